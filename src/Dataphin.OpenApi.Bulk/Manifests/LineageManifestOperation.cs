namespace Dataphin.OpenApi;

/// <summary>Which command a manifest's items become.</summary>
public enum LineageManifestOperation
{
    /// <summary>Register lineage: items become <see cref="AddRegisterLineageCommand"/>s.</summary>
    Add,

    /// <summary>Delete lineage: items become <see cref="DeleteRegisterLineageCommand"/>s.</summary>
    Delete,
}
