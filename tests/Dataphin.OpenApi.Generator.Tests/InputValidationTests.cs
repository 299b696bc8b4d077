using System.Text.Json.Nodes;

namespace Dataphin.OpenApi.Generator.Tests;

/// <summary>Inputs the generator cannot turn into code stop it with a message naming the place and the rule; nothing is written.</summary>
public class InputValidationTests
{
    [Fact]
    public void A_value_set_missing_a_value_that_operations_json_documents_is_refused()
    {
        var (error, repository) = Refused(editValueSets: sets => RemoveValue(sets, "MetadataSubType", "SUM_BIZ_UNIT"));
        using var _ = repository;

        Assert.Contains("eng/value-sets.json: value set 'MetadataSubType'", error, StringComparison.Ordinal);
        Assert.Contains("AddRegisterLineage request AddRegisterLineageCommand.Source.MetadataSubType", error, StringComparison.Ordinal);
        Assert.Contains("missing SUM_BIZ_UNIT", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_set_with_a_value_operations_json_does_not_document_is_refused()
    {
        var (error, repository) = Refused(editValueSets: sets => Set(sets, "DataphinEnvironment")["values"]!.AsArray()
            .Add(new JsonObject { ["wire"] = "TEST", ["property"] = "Test", ["doc"] = "A test environment." }));
        using var _ = repository;

        Assert.Contains("value set 'DataphinEnvironment'", error, StringComparison.Ordinal);
        Assert.Contains("not documented there: TEST", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_set_in_another_order_than_the_documentation_is_refused()
    {
        var (error, repository) = Refused(editValueSets: sets =>
        {
            var values = Set(sets, "ReferenceType")["values"]!.AsArray();
            var first = values[0]!.DeepClone();
            values.RemoveAt(0);
            values.Add(first);
        });
        using var _ = repository;

        Assert.Contains("the same values in another order", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_set_whose_values_do_not_include_the_documented_example_is_refused()
    {
        var (error, repository) = Refused(editValueSets: sets => Set(sets, "MetadataType")["values"]![0]!["wire"] = "TABLES");
        using var _ = repository;

        Assert.Contains("gives the example 'TABLE', which is not a value of the set", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_set_checked_against_a_field_that_does_not_exist_is_refused()
    {
        var (error, repository) = Refused(editValueSets: sets => Set(sets, "ReferenceType")["checkedAgainst"]![0]!["field"] = "AddRegisterLineageCommand.Nope");
        using var _ = repository;

        Assert.Contains("'AddRegisterLineage request AddRegisterLineageCommand.Nope', which is not a field of operations.json", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("property", "Is Known", "property 'Is Known' is not a C# identifier")]
    [InlineData("property", "KnownValues", "collides with a member every value set has")]
    [InlineData("doc", "A <b>broken doc.", "'doc' is not well-formed XML documentation text")]
    [InlineData("wire", "", "wire text must be non-empty")]
    public void A_value_that_would_not_compile_or_document_is_refused(string key, string value, string expected)
    {
        var (error, repository) = Refused(editValueSets: sets => Set(sets, "DataphinEnvironment")["values"]![0]![key] = value);
        using var _ = repository;

        Assert.Contains("value set 'DataphinEnvironment'", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_set_aimed_outside_src_is_refused()
    {
        var (error, repository) = Refused(editValueSets: sets => Set(sets, "DataphinEnvironment")["directory"] = "src/../../etc");
        using var _ = repository;

        Assert.Contains("directory 'src/../../etc' must be a folder under src/", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_field_type_names_the_operation_and_the_field()
    {
        var (error, repository) = Refused(editOperations: api =>
            Operation(api, "AddRegisterLineage")["request"]![0]!["fields"]![0]!["type"] = "decimal");
        using var _ = repository;

        Assert.Contains(
            "eng/operations.json: operation 'AddRegisterLineage', request field 'AddRegisterLineageCommand.CheckAssetExist': type 'decimal' is not one the generator knows",
            error,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_the_generator_does_not_know_is_refused_rather_than_dropped()
    {
        var (error, repository) = Refused(editOperations: api => Operation(api, "ListFiles")["pagination"] = true);
        using var _ = repository;

        Assert.Contains("operation 'ListFiles': 'pagination' is not a key the generator knows", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4, "level 4 is not 1, 2, 3 or null")]
    [InlineData(0, "level 0 is not 1, 2, 3 or null")]
    public void A_level_outside_1_to_3_is_refused(int level, string expected)
    {
        var (error, repository) = Refused(editOperations: api => Operation(api, "GetAdHocFile")["level"] = level);
        using var _ = repository;

        Assert.Contains($"operation 'GetAdHocFile': {expected}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_edition_is_refused()
    {
        var (error, repository) = Refused(editOperations: api => Operation(api, "GetAdHocFile")["minEdition"] = "Enterprise");
        using var _ = repository;

        Assert.Contains("operation 'GetAdHocFile': minEdition 'Enterprise' is not Agile, Basic, Intelligent or null", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_operation_listed_twice_is_refused()
    {
        var (error, repository) = Refused(editOperations: api => api["operations"]!.AsArray().Add(Operation(api, "ListFiles").DeepClone()));
        using var _ = repository;

        Assert.Contains("operation 'ListFiles' appears twice", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lineage_write_marked_read_only_contradicts_the_retry_safety_list()
    {
        var (error, repository) = Refused(editOperations: api => Operation(api, "DeleteRegisterLineage")["readOnlyGuess"] = true);
        using var _ = repository;

        Assert.Contains("retry-safety list of the operation catalog names 'DeleteRegisterLineage', which operations.json marks read-only", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_JSON_names_the_file_and_line()
    {
        using var repository = TempRepository.Create();
        File.WriteAllText(repository.PathOf("eng/value-sets.json"), "{\n  \"valueSets\": [\n    {\"name\": \"A\",}\n  ]\n}\n");

        var (exitCode, _, error) = repository.Run();

        Assert.Equal(2, exitCode);
        Assert.StartsWith("eng/value-sets.json: not valid JSON on line 3", error, StringComparison.Ordinal);
        Assert.Empty(repository.Snapshot());
    }

    [Fact]
    public void A_duplicate_key_is_refused()
    {
        using var repository = TempRepository.Create();
        var path = repository.PathOf("eng/operations.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"readOnlyGuess\"", "\"readOnlyGuess\":true,\"readOnlyGuess\"", StringComparison.Ordinal));

        var (exitCode, _, error) = repository.Run();

        Assert.Equal(2, exitCode);
        Assert.StartsWith("eng/operations.json: operation 'AddDataServiceAppMember': 'readOnlyGuess' appears twice.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_operation_without_a_section_that_no_family_places_is_refused_with_its_name()
    {
        var (error, repository) = Refused(editOperations: api =>
        {
            var copy = Operation(api, "GetTableColumns").DeepClone();
            copy["name"] = "FrobnicateWidgets";
            api["operations"]!.AsArray().Add(copy);
        });
        using var _ = repository;

        Assert.Contains("operation 'FrobnicateWidgets' has no section, and no family of ClientLayout.Families places it", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lineage_operation_whose_parameters_no_longer_match_its_hand_written_command_is_refused()
    {
        var (error, repository) = Refused(editOperations: api =>
        {
            var operation = Operation(api, "AddRegisterLineage");
            operation["request"]!.AsArray().Add(new JsonObject { ["name"] = "OpUserId", ["type"] = "string", ["required"] = false });
            operation["query"]!.AsArray().Add(new JsonObject { ["name"] = "OpUserId", ["type"] = "string", ["required"] = false });
        });
        using var _ = repository;

        Assert.Contains("operation 'AddRegisterLineage' no longer has exactly the parameters its hand-written command stands for", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_object_parameter_in_the_query_is_refused()
    {
        var (error, repository) = Refused(editOperations: api =>
        {
            var operation = Operation(api, "ListFiles");
            var body = operation["body"]!.AsArray();
            var query = body.Single(f => (string?)f!["name"] == "ListQuery")!;
            body.Remove(query);
            operation["query"]!.AsArray().Add(query);
        });
        using var _ = repository;

        Assert.Contains("operation 'ListFiles' sends 'ListQuery' (object) in the query, where only scalars can go", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_operation_without_its_tenant_parameter_is_refused()
    {
        var (error, repository) = Refused(editOperations: api =>
        {
            var query = Operation(api, "GetMyRoles")["query"]!.AsArray();
            query.Remove(query.Single(f => (string?)f!["name"] == "OpTenantId"));
        });
        using var _ = repository;

        Assert.Contains("operation 'GetMyRoles' has no required int64 query parameter OpTenantId", error, StringComparison.Ordinal);
    }

    /// <summary>Runs the generator on edited inputs and proves it refused them without writing anything.</summary>
    private static (string Error, TempRepository Repository) Refused(Action<JsonNode>? editOperations = null, Action<JsonNode>? editValueSets = null)
    {
        var repository = TempRepository.Create(editOperations, editValueSets);
        try
        {
            var (exitCode, output, error) = repository.Run();
            Assert.Equal(2, exitCode);
            Assert.Equal(string.Empty, output);
            Assert.EndsWith("Nothing was written.", error.TrimEnd(), StringComparison.Ordinal);
            Assert.Empty(repository.Snapshot());
            Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
            return (error, repository);
        }
        catch
        {
            repository.Dispose();
            throw;
        }
    }

    private static JsonNode Operation(JsonNode api, string name)
        => api["operations"]!.AsArray().Single(o => (string?)o!["name"] == name)!;

    private static JsonNode Set(JsonNode sets, string name)
        => sets["valueSets"]!.AsArray().Single(s => (string?)s!["name"] == name)!;

    private static void RemoveValue(JsonNode sets, string set, string wire)
    {
        var values = Set(sets, set)["values"]!.AsArray();
        values.Remove(values.Single(v => (string?)v!["wire"] == wire));
    }
}
