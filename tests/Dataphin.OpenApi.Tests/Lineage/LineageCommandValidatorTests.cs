using System.Text.Json.Nodes;
using Dataphin.OpenApi.Tests.Support;

namespace Dataphin.OpenApi.Tests.Lineage;

public sealed class LineageCommandValidatorTests
{
    private const long Tenant = 300001234;

    private static IReadOnlyList<DataphinValidationError> Errors(LineageCommand command, long tenant = Tenant)
        => LineageCommandValidator.Validate(tenant, command);

    private static void AssertSingle(IReadOnlyList<DataphinValidationError> errors, string path, string rule)
    {
        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        Assert.Equal(rule, error.Rule);
    }

    [Fact]
    public void A_complete_command_has_no_errors()
        => Assert.Empty(Errors(TestClients.ValidAddCommand(100)));

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Tenant_id_must_be_positive(long tenant)
        => AssertSingle(Errors(TestClients.ValidAddCommand(), tenant), "OpTenantId", DataphinValidationRules.Positive);

    [Fact]
    public void Source_and_target_are_required()
    {
        var errors = Errors(new AddRegisterLineageCommand());
        Assert.Equal(["Source", "Target"], errors.Select(e => e.Path));
        Assert.All(errors, e => Assert.Equal(DataphinValidationRules.Required, e.Rule));
    }

    [Fact]
    public void ReferenceType_and_MetadataType_are_required()
    {
        var command = TestClients.ValidAddCommand();
        command.Source = new AssetReference { Name = "t" };
        var errors = Errors(command);
        Assert.Equal(["Source.ReferenceType", "Source.MetadataType"], errors.Select(e => e.Path));
    }

    [Fact]
    public void Guid_is_required_for_a_reference_by_guid()
    {
        var command = TestClients.ValidAddCommand();
        command.Target = new AssetReference { ReferenceType = ReferenceType.ByGuid, MetadataType = MetadataType.Table, Guid = "  " };
        AssertSingle(Errors(command), "Target.Guid", DataphinValidationRules.Required);
    }

    [Fact]
    public void Name_is_required_for_a_reference_by_property()
    {
        var command = TestClients.ValidAddCommand();
        command.Source = new AssetReference { ReferenceType = ReferenceType.ByProperty, MetadataType = MetadataType.Table, Schema = "ods", Catalog = "dataphin" };
        var error = Assert.Single(Errors(command));
        Assert.Equal("Source.Name", error.Path);
        Assert.Contains("BY_PROPERTY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MetadataSubType_is_not_allowed_with_a_guid_reference()
    {
        var command = TestClients.ValidAddCommand();
        command.Target!.MetadataSubType = MetadataSubType.PhysicalView;
        AssertSingle(Errors(command), "Target.MetadataSubType", DataphinValidationRules.NotAllowed);
    }

    [Fact]
    public void MetadataSubType_is_only_allowed_on_tables()
    {
        var command = TestClients.ValidAddCommand();
        command.Source = AssetReference.ByProperty("v", metadataType: "VIEW", subType: MetadataSubType.PhysicalView);
        var error = Assert.Single(Errors(command));
        Assert.Equal("Source.MetadataSubType", error.Path);
        Assert.Contains("only allowed when MetadataType is TABLE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MetadataSubType_is_not_allowed_on_field_references()
    {
        var command = TestClients.ValidAddCommand();
        command.DetailedLineages[1].Source!.MetadataSubType = MetadataSubType.PhysicalTable;
        AssertSingle(Errors(command), "DetailedLineages[1].Source.MetadataSubType", DataphinValidationRules.NotAllowed);
    }

    [Fact]
    public void ParentGuid_is_not_allowed_on_table_references()
    {
        var command = TestClients.ValidAddCommand();
        command.Source!.ParentGuid = "odps.1.p.t";
        AssertSingle(Errors(command), "Source.ParentGuid", DataphinValidationRules.NotAllowed);
    }

    [Fact]
    public void More_than_100_field_lineages_is_rejected_and_points_at_the_split_helper()
    {
        var error = Assert.Single(Errors(TestClients.ValidAddCommand(101)));
        Assert.Equal("DetailedLineages", error.Path);
        Assert.Equal(DataphinValidationRules.TooMany, error.Rule);
        Assert.Contains("101", error.Message, StringComparison.Ordinal);
        Assert.Contains("DetailedLineages[100]", error.Message, StringComparison.Ordinal);
        Assert.Contains("SplitByFieldLineageLimit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Field_references_must_be_complete()
    {
        var command = TestClients.ValidAddCommand(4);
        command.DetailedLineages[0] = null!;
        command.DetailedLineages[1].Target = null;
        command.DetailedLineages[2].Source = new AssetReference { ReferenceType = ReferenceType.ByGuid, MetadataType = MetadataType.Column };
        command.DetailedLineages[3].Target!.ReferenceType = default;

        var errors = Errors(command);
        Assert.Equal(
            ["DetailedLineages[0]", "DetailedLineages[1].Target", "DetailedLineages[2].Source.Guid", "DetailedLineages[3].Target.ReferenceType"],
            errors.Select(e => e.Path));
    }

    [Fact]
    public void Every_violation_is_reported_at_once()
    {
        var command = TestClients.ValidAddCommand(102);
        command.Source = null;
        command.TenantId = -1;
        command.DetailedLineages[5].Source!.Name = null;

        var errors = Errors(command, tenant: 0);
        Assert.Equal(
            ["OpTenantId", "TenantId", "Source", "DetailedLineages", "DetailedLineages[5].Source.Name"],
            errors.Select(e => e.Path));

        var exception = Assert.Throws<DataphinValidationException>(() => LineageCommandValidator.EnsureValid(0, command));
        Assert.Equal(5, exception.Errors.Count);
        Assert.Equal("AddRegisterLineage", exception.OperationName);
        Assert.Contains("DetailedLineages[5].Source.Name", exception.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was sent", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Surrounding_white_space_in_names_is_reported_not_trimmed()
    {
        var command = TestClients.ValidAddCommand();
        command.Source!.Name = "orders ";
        AssertSingle(Errors(command), "Source.Name", DataphinValidationRules.InvalidText);
        Assert.Equal("orders ", command.Source.Name);
    }

    [Fact]
    public void Unknown_future_value_set_members_are_accepted()
    {
        var command = TestClients.ValidAddCommand();
        command.Source = AssetReference.ByProperty("dash", metadataType: "BI_DATASET", env: "STAGING");
        Assert.Empty(Errors(command));
    }

    [Theory]
    [InlineData(" ", DataphinValidationRules.Required)]
    [InlineData("\t", DataphinValidationRules.Required)]
    [InlineData("BY_FOO", DataphinValidationRules.UnknownValue)]
    [InlineData("GUID", DataphinValidationRules.UnknownValue)]
    [InlineData("By_Property", DataphinValidationRules.InvalidValue)]
    [InlineData("BY_PROPERTY ", DataphinValidationRules.InvalidText)]
    [InlineData("BY_PRO\u0000PERTY", DataphinValidationRules.InvalidText)]
    public void ReferenceType_has_exactly_two_values(string referenceType, string rule)
    {
        var command = TestClients.ValidAddCommand();
        command.Source!.ReferenceType = referenceType;
        AssertSingle(Errors(command), "Source.ReferenceType", rule);
    }

    [Fact]
    public void A_case_variant_of_BY_GUID_is_refused_and_does_not_skip_the_Guid_requirement()
    {
        var command = TestClients.ValidAddCommand();
        command.Target = new AssetReference { ReferenceType = "by_guid", MetadataType = MetadataType.Table, Name = "dwd_orders" };

        var errors = Errors(command);

        Assert.Equal(["Target.ReferenceType", "Target.Guid"], errors.Select(e => e.Path));
        Assert.Equal([DataphinValidationRules.InvalidValue, DataphinValidationRules.Required], errors.Select(e => e.Rule));
        Assert.Contains("write BY_GUID", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_padded_BY_PROPERTY_still_needs_its_Name()
    {
        var command = TestClients.ValidAddCommand();
        command.Source = new AssetReference { ReferenceType = " BY_PROPERTY", MetadataType = MetadataType.Table, Guid = "odps.1.p.t" };
        Assert.Equal(["Source.ReferenceType", "Source.Name"], Errors(command).Select(e => e.Path));
    }

    [Theory]
    [InlineData("  ", DataphinValidationRules.Required)]
    [InlineData("table", DataphinValidationRules.InvalidValue)]
    [InlineData("Table", DataphinValidationRules.InvalidValue)]
    [InlineData(" TABLE", DataphinValidationRules.InvalidText)]
    [InlineData("TABLE\n", DataphinValidationRules.InvalidText)]
    [InlineData(" BI_DATASET ", DataphinValidationRules.InvalidText)]
    public void MetadataType_refuses_blank_padded_and_case_variant_forms(string metadataType, string rule)
    {
        var command = TestClients.ValidAddCommand();
        command.Target!.MetadataType = metadataType;
        AssertSingle(Errors(command), "Target.MetadataType", rule);
    }

    [Theory]
    [InlineData("", DataphinValidationRules.InvalidValue)]
    [InlineData("   ", DataphinValidationRules.InvalidValue)]
    [InlineData("physical_table", DataphinValidationRules.InvalidValue)]
    [InlineData("Dim_Normal", DataphinValidationRules.InvalidValue)]
    [InlineData("PHYSICAL_TABLE ", DataphinValidationRules.InvalidText)]
    public void MetadataSubType_refuses_blank_padded_and_case_variant_forms(string subType, string rule)
    {
        var command = TestClients.ValidAddCommand();
        command.Source!.MetadataSubType = subType;
        AssertSingle(Errors(command), "Source.MetadataSubType", rule);
    }

    [Theory]
    [InlineData("", DataphinValidationRules.InvalidValue)]
    [InlineData("prod", DataphinValidationRules.InvalidValue)]
    [InlineData("Dev", DataphinValidationRules.InvalidValue)]
    [InlineData("PROD ", DataphinValidationRules.InvalidText)]
    public void Env_refuses_blank_padded_and_case_variant_forms(string env, string rule)
    {
        var command = TestClients.ValidAddCommand();
        command.DetailedLineages[0].Source!.Env = env;
        AssertSingle(Errors(command), "DetailedLineages[0].Source.Env", rule);
    }

    [Fact]
    public void Unknown_well_formed_sub_types_stay_open_because_the_documentation_gives_examples_not_an_enumeration()
    {
        var command = TestClients.ValidAddCommand();
        command.Source!.MetadataSubType = "EXTERNAL_TABLE";
        command.Target = AssetReference.ByProperty("dash", metadataType: "BI_DATASET", env: "STAGING");
        Assert.Empty(Errors(command));
    }

    [Theory]
    [InlineData("Source.Name")]
    [InlineData("Source.Schema")]
    [InlineData("Source.Catalog")]
    [InlineData("Source.Env")]
    [InlineData("Source.MetadataSubType")]
    [InlineData("Target.MetadataType")]
    [InlineData("Source.ReferenceType")]
    [InlineData("Target.Guid")]
    [InlineData("DetailedLineages[1].Target.ParentGuid")]
    [InlineData("UserId")]
    [InlineData("Source.ExtProperties.job")]
    [InlineData("Source.ExtProperties.job.steps[1]")]
    [InlineData("RelationProperties")]
    [InlineData("RelationProperties.owner")]
    public void Unpaired_surrogates_are_refused_in_every_string_field_naming_it(string path)
    {
        foreach (var lone in new[] { "\uD800", "\uDBFF", "\uDC00", "\uDFFF" })
        {
            var command = TestClients.ValidAddCommand();
            var text = "ab" + lone + "cd";
            switch (path)
            {
                case "Source.Name": command.Source!.Name = text; break;
                case "Source.Schema": command.Source!.Schema = text; break;
                case "Source.Catalog": command.Source!.Catalog = text; break;
                case "Source.Env": command.Source!.Env = text; break;
                case "Source.MetadataSubType": command.Source!.MetadataSubType = text; break;
                case "Target.MetadataType": command.Target!.MetadataType = text; break;
                case "Source.ReferenceType": command.Source!.ReferenceType = text; break;
                case "Target.Guid": command.Target!.Guid = text; break;
                case "DetailedLineages[1].Target.ParentGuid": command.DetailedLineages[1].Target!.ParentGuid = text; break;
                case "UserId": command.UserId = text; break;
                case "Source.ExtProperties.job": command.Source!.ExtProperties = new Dictionary<string, JsonNode?> { ["job"] = text }; break;
                case "Source.ExtProperties.job.steps[1]": command.Source!.ExtProperties = new Dictionary<string, JsonNode?> { ["job"] = new JsonObject { ["steps"] = new JsonArray("ok", text) } }; break;
                case "RelationProperties": command.RelationProperties[text] = "value"; break;
                case "RelationProperties.owner": command.RelationProperties["owner"] = JsonNode.Parse($"\"x\\u{(int)lone[0]:x4}\""); break; // parsed from JSON text holding the escape
            }

            var error = Assert.Single(Errors(command));
            Assert.Equal(path, error.Path);
            Assert.Equal(DataphinValidationRules.InvalidUtf16, error.Rule);
            Assert.StartsWith(path + " ", error.Message, StringComparison.Ordinal);
            Assert.Contains("unpaired UTF-16 surrogate", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(error.Message, c => char.IsSurrogate(c));
        }
    }

    [Fact]
    public void Every_control_character_and_lone_surrogate_inside_a_name_is_refused_and_every_other_character_accepted()
    {
        // The whole UTF-16 range, one character at a time between two letters (so white space at the ends plays no part):
        // the fast scan for plain text must agree with the rules character by character.
        for (var c = char.MinValue; ; c++)
        {
            var command = TestClients.ValidAddCommand();
            command.Source!.Name = "a" + c + "b";
            var errors = Errors(command);
            var expectedRule = char.IsSurrogate(c) ? DataphinValidationRules.InvalidUtf16 : char.IsControl(c) ? DataphinValidationRules.InvalidText : null;
            if (expectedRule is null)
            {
                Assert.True(errors.Count == 0, $"U+{(int)c:X4} inside a name was refused: {(errors.Count > 0 ? errors[0].Message : string.Empty)}");
            }
            else
            {
                Assert.True(errors.Count == 1 && errors[0].Rule == expectedRule && errors[0].Path == "Source.Name", $"U+{(int)c:X4} inside a name was not reported as {expectedRule}");
            }

            if (c == char.MaxValue)
            {
                break;
            }
        }
    }

    [Fact]
    public void Surrogate_pairs_are_valid_text()
    {
        var command = TestClients.ValidAddCommand();
        command.Source!.Name = "orders_\U0001F600";
        command.UserId = "\U0001F600";
        command.RelationProperties["\U0001F600"] = "\U0001F600";
        Assert.Empty(Errors(command));
    }

    [Fact]
    public void A_sub_type_on_a_case_variant_of_TABLE_is_not_allowed_and_its_text_is_not_echoed_raw()
    {
        var command = TestClients.ValidAddCommand();
        command.Source!.MetadataType = "VIEW\u0007";
        var errors = Errors(command);
        Assert.Equal(["Source.MetadataType", "Source.MetadataSubType"], errors.Select(e => e.Path));
        Assert.Equal(DataphinValidationRules.NotAllowed, errors[1].Rule);
        Assert.DoesNotContain('\u0007', errors[1].Message);
    }

    [Fact]
    public void Delete_commands_follow_the_same_rules()
    {
        var command = new DeleteRegisterLineageCommand { Source = AssetReference.ByGuid("odps.1.p.a") };
        AssertSingle(Errors(command), "Target", DataphinValidationRules.Required);
    }

    [Fact]
    public void Factories_reject_empty_identities_immediately()
    {
        Assert.Throws<ArgumentException>(() => AssetReference.ByGuid(" "));
        Assert.Throws<ArgumentException>(() => AssetReference.ByProperty(""));
        Assert.Throws<ArgumentNullException>(() => new FieldLineage(null!, AssetReference.FieldByGuid("g")));
    }
}
