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
