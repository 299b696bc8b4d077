using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Dataphin.OpenApi.Testing;

namespace Dataphin.OpenApi.IntegrationTests.GeneratedOperations;

/// <summary>What the tests check of a generated call on the wire and of its typed answer.</summary>
internal static class WireChecks
{
    /// <summary>
    /// Every parameter the SDK sent is declared by the catalog where it was sent (query or form), and, when
    /// <paramref name="exact"/>, every declared one was sent (the request had all its fields set); JSON form fields
    /// likewise, member by member, at every depth.
    /// </summary>
    public static void SentAsDocumented(TestOperation operation, EmulatorRequest sent, bool exact)
    {
        var query = sent.Query.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var form = sent.Form.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        Assert.Subset((HashSet<string>)[.. operation.Query], query);
        Assert.Subset((HashSet<string>)[.. operation.Body], form);
        if (exact)
        {
            Assert.Equal(operation.Query.Order(StringComparer.Ordinal), query.Order(StringComparer.Ordinal));
            Assert.Equal(operation.Body.Order(StringComparer.Ordinal), form.Order(StringComparer.Ordinal));
        }

        foreach (var (name, value) in sent.Form)
        {
            var field = operation.Request.Single(f => f.Name == name);
            using var document = JsonDocument.Parse(value);
            Members(document.RootElement, field, name, exact);
        }
    }

    /// <summary>
    /// Reads <paramref name="json"/> into the operation's response type with its generated metadata, made strict: a
    /// member the type does not declare fails (unmapped members disallowed), and so does a member the catalog marks
    /// required that the JSON lacks. The type must also declare exactly the catalog's fields, at every depth.
    /// </summary>
    public static object ReadStrictly(TestOperation operation, Type responseType, string json)
    {
        var required = new Dictionary<Type, HashSet<string>>();
        Declared(responseType, operation.Response, required);
        var contextType = typeof(DataphinClient).Assembly.GetType($"Dataphin.OpenApi.Models.{operation.Name}JsonContext", throwOnError: true)!;
        var context = (JsonSerializerContext)contextType.GetProperty("Default", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        var options = new JsonSerializerOptions(context.Options)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            TypeInfoResolver = ((IJsonTypeInfoResolver)context).WithAddedModifier(info =>
            {
                if (required.TryGetValue(info.Type, out var names))
                {
                    foreach (var property in info.Properties.Where(p => names.Contains(p.Name)))
                    {
                        property.IsRequired = true;
                    }
                }
            }),
        };

        return JsonSerializer.Deserialize(json, options.GetTypeInfo(responseType))!;
    }

    private static void Declared(Type type, IReadOnlyList<TestField> fields, Dictionary<Type, HashSet<string>> required)
    {
        var properties = ExampleRequests.WireProperties(type);
        Assert.Equal(fields.Select(f => f.Name).Order(StringComparer.Ordinal), properties.Keys.Order(StringComparer.Ordinal));
        required[type] = fields.Where(f => f.Required).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var field in fields.Where(f => f.Fields.Count > 0))
        {
            var clr = properties[field.Name].PropertyType;
            Declared(clr.IsGenericType ? clr.GetGenericArguments()[0] : clr, field.Fields, required);
        }
    }

    private static void Members(JsonElement value, TestField field, string path, bool exact)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            Assert.True(value.GetArrayLength() > 0 || !exact, $"{path} was sent empty.");
            foreach (var item in value.EnumerateArray())
            {
                Members(item, field, path + "[]", exact);
            }

            return;
        }

        if (value.ValueKind != JsonValueKind.Object || field.Fields.Count == 0)
        {
            return;
        }

        var sent = value.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Subset(field.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal), sent.ToHashSet(StringComparer.Ordinal));
        if (exact)
        {
            Assert.Equal(field.Fields.Select(f => f.Name).Order(StringComparer.Ordinal), sent.Order(StringComparer.Ordinal));
        }

        foreach (var member in value.EnumerateObject())
        {
            Members(member.Value, field.Fields.Single(f => f.Name == member.Name), path + "." + member.Name, exact);
        }
    }
}
