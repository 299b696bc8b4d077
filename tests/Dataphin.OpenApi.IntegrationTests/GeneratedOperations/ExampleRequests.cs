using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Dataphin.OpenApi.IntegrationTests.Support;

namespace Dataphin.OpenApi.IntegrationTests.GeneratedOperations;

/// <summary>
/// Builds the request of any generated method from the catalog by reflection: every field set, from its example (or
/// first documented value) where that fits the property's type, else from a fixed value of the type.
/// </summary>
internal static class ExampleRequests
{
    public static object Build(TestOperation operation, OperationMethod method)
    {
        switch (operation.Name)
        {
            case "AddRegisterLineage":
                return Lineages.Add(("pay_amount", "pay_amount_cny"));
            case "DeleteRegisterLineage":
                return Lineages.Delete(cascade: true, ("pay_amount", "pay_amount_cny"));
        }

        var request = Activator.CreateInstance(method.RequestType)!;
        Fill(request, operation.Request.Where(f => f.Name != "OpTenantId"));
        return request;
    }

    /// <summary>The C# property of each wire name of a generated type.</summary>
    public static Dictionary<string, PropertyInfo> WireProperties(Type type)
        => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .ToDictionary(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? throw new InvalidOperationException($"{type.Name}.{p.Name} has no JsonPropertyName."), StringComparer.Ordinal);

    private static void Fill(object target, IEnumerable<TestField> fields)
    {
        var properties = WireProperties(target.GetType());
        foreach (var field in fields)
        {
            Assert.True(properties.TryGetValue(field.Name, out var property), $"{target.GetType().Name} has no property for the documented field {field.Name}.");
            property!.SetValue(target, Value(field, field.Type, property.PropertyType));
        }
    }

    private static object Value(TestField field, string type, Type clr)
    {
        var target = Nullable.GetUnderlyingType(clr) ?? clr;
        switch (type)
        {
            case "string":
                return field.Candidates.FirstOrDefault(c => c.Length > 0) ?? "x";
            case "int32" or "int64":
                var integer = field.Candidates.Select(c => long.TryParse(c, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : (long?)null)
                    .FirstOrDefault(v => v is { } value && (target == typeof(long) || value is >= int.MinValue and <= int.MaxValue)) ?? 1;
                return target == typeof(long) ? (object)integer : checked((int)integer);
            case "boolean":
                return field.Candidates.Select(c => bool.TryParse(c, out var v) ? v : (bool?)null).FirstOrDefault(v => v is not null) ?? true;
            case "float" or "double":
                var number = field.Candidates.Select(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : (double?)null).FirstOrDefault(v => v is not null) ?? 1.5;
                return target == typeof(float) ? (object)(float)number : number;
            case "any":
                return JsonValue.Create(field.Example ?? "x");
            case "object" when target == typeof(JsonObject):
                return new JsonObject { ["key"] = "value" };
            case "object":
                var instance = Activator.CreateInstance(target)!;
                Fill(instance, field.Fields);
                return instance;
        }

        if (type.StartsWith("map<", StringComparison.Ordinal))
        {
            if (target == typeof(JsonObject))
            {
                return new JsonObject { ["key"] = "value" };
            }

            var valueType = target.GetGenericArguments()[1];
            var map = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), valueType))!;
            map["key"] = Value(field with { Fields = [] }, field.Inner!, valueType);
            return map;
        }

        var elementType = target.GetGenericArguments()[0];
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType))!;
        list.Add(Value(field, field.Inner!, elementType));
        return list;
    }
}
