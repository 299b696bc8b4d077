using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.IntegrationTests.Support;

/// <summary>Lineage commands used across the tests.</summary>
internal static class Lineages
{
    public const string OdsOrders = "ods_trade_order";
    public const string DwdGuid = "odps.300001234.dw_project.dwd_trade_order_di";

    public static AssetReference OdsTable() => AssetReference.ByProperty(OdsOrders, schema: "ods_project", catalog: "dataphin", env: DataphinEnvironment.Prod, subType: MetadataSubType.PhysicalTable);

    public static AssetReference DwdTable() => AssetReference.ByGuid(DwdGuid);

    public static FieldLineage Field(string source, string target)
        => new(AssetReference.FieldByProperty(source, schema: "ods_project", catalog: "dataphin", env: DataphinEnvironment.Prod), AssetReference.FieldByGuid(DwdGuid + "." + target, DwdGuid));

    public static AddRegisterLineageCommand Add(params (string Source, string Target)[] fields)
    {
        var command = new AddRegisterLineageCommand(OdsTable(), DwdTable());
        foreach (var (s, t) in fields)
        {
            command.DetailedLineages.Add(Field(s, t));
        }

        return command;
    }

    public static DeleteRegisterLineageCommand Delete(bool? cascade, params (string Source, string Target)[] fields)
    {
        var command = new DeleteRegisterLineageCommand(OdsTable(), DwdTable()) { CascadeDeleteLineage = cascade };
        foreach (var (s, t) in fields)
        {
            command.DetailedLineages.Add(Field(s, t));
        }

        return command;
    }

    public static DataphinClient Client(DataphinEmulator emulator, string? secret = null, string? accessKeyId = null, string? token = null, TimeProvider? time = null, Action<DataphinClientOptions>? configure = null)
    {
        var options = new DataphinClientOptions { TimeProvider = time ?? TimeProvider.System };
        configure?.Invoke(options);
        return new(
            emulator.Endpoint,
            new DataphinCredential(accessKeyId ?? emulator.AccessKeyId, secret ?? emulator.AccessKeySecret, token ?? emulator.SecurityToken),
            options);
    }

    /// <summary>One attempt per call and no circuit breaker: for tests that observe each answer of the emulator.</summary>
    public static void SingleAttempt(DataphinClientOptions options)
    {
        options.Retry.MaxAttempts = 1;
        options.CircuitBreaker.Enabled = false;
    }
}
