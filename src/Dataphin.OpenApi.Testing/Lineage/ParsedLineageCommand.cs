using System.Text.Json.Nodes;

namespace Dataphin.OpenApi.Testing.Lineage;

/// <summary>An AddRegisterLineage or DeleteRegisterLineage command that passed the server-side rules.</summary>
internal sealed record ParsedLineageCommand(
    RegisteredReference Source,
    RegisteredReference Target,
    IReadOnlyList<(RegisteredReference Source, RegisteredReference Target, bool IsDirect)> FieldLineages,
    JsonObject? RelationProperties,
    bool CascadeDeleteLineage);
