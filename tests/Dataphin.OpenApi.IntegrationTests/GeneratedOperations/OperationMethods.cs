using System.Reflection;

namespace Dataphin.OpenApi.IntegrationTests.GeneratedOperations;

/// <summary>One generated method, found by reflection from DataphinClient's public surface.</summary>
/// <param name="Path">How it is reached, e.g. <c>DataDevelopment.BatchTask.GetBatchTaskInfoAsync</c>.</param>
internal sealed record OperationMethod(string Operation, string Path, Func<DataphinClient, object> Owner, MethodInfo Method)
{
    public Type RequestType => Method.GetParameters()[1].ParameterType;

    public async Task<object> InvokeAsync(DataphinClient client, long tenant, object? request)
    {
        var task = (Task)Method.Invoke(Owner(client), [tenant, request, CancellationToken.None])!;
        await task;
        return task.GetType().GetProperty("Result")!.GetValue(task)!;
    }
}

/// <summary>Every <c>&lt;Operation&gt;Async</c> reachable from a DataphinClient through its sub-client properties.</summary>
internal static class OperationMethods
{
    public const string ClientsNamespace = "Dataphin.OpenApi.Clients";

    private static readonly Lazy<IReadOnlyList<OperationMethod>> Found = new(Find);

    public static IReadOnlyList<OperationMethod> All => Found.Value;

    public static OperationMethod For(string operation) => All.Single(m => m.Operation == operation);

    private static List<OperationMethod> Find()
    {
        var methods = new List<OperationMethod>();
        foreach (var section in SubClients(typeof(DataphinClient)))
        {
            Func<DataphinClient, object> sectionOf = client => section.GetValue(client)!;
            Collect(section.PropertyType, section.Name, sectionOf, methods);
            foreach (var group in SubClients(section.PropertyType))
            {
                Collect(group.PropertyType, section.Name + "." + group.Name, client => group.GetValue(sectionOf(client))!, methods);
            }
        }

        return methods;
    }

    private static IEnumerable<PropertyInfo> SubClients(Type type)
        => type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType.Namespace == ClientsNamespace);

    private static void Collect(Type client, string path, Func<DataphinClient, object> owner, List<OperationMethod> methods)
    {
        foreach (var method in client.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
        {
            if (method.Name.EndsWith("Async", StringComparison.Ordinal))
            {
                methods.Add(new OperationMethod(method.Name[..^"Async".Length], path + "." + method.Name, owner, method));
            }
        }
    }
}
