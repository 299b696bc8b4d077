using Dataphin.OpenApi.IntegrationTests.Support;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.IntegrationTests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Parallel_clients_adding_and_deleting_leave_a_consistent_store()
    {
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled });
        var tenant = emulator.DefaultTenantId;
        const int Clients = 8;
        const int FieldsPerClient = 12;

        // Every client registers its own fields on the same table edge, one call per field, then deletes its odd fields.
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async c =>
        {
            using var client = Lineages.Client(emulator);
            for (var f = 0; f < FieldsPerClient; f++)
            {
                await client.AddRegisterLineageAsync(tenant, Lineages.Add(($"c{c}_f{f}", $"c{c}_f{f}")));
            }

            for (var f = 1; f < FieldsPerClient; f += 2)
            {
                await client.DeleteRegisterLineageAsync(tenant, Lineages.Delete(cascade: true, ($"c{c}_f{f}", $"c{c}_f{f}")));
            }
        }));

        var edge = Assert.Single(emulator.GetLineage(tenant));
        var expected = Enumerable.Range(0, Clients).SelectMany(c => Enumerable.Range(0, FieldsPerClient).Where(f => f % 2 == 0).Select(f => $"c{c}_f{f}")).Order().ToList();
        Assert.Equal(expected, edge.FieldLineages.Select(f => f.Source.Name!).Order().ToList());
        Assert.Equal(Clients * (FieldsPerClient + (FieldsPerClient / 2)), emulator.Requests.Count(r => r.Status == 200 && r.Applied));
    }
}
