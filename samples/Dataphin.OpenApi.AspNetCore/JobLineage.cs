namespace Dataphin.OpenApi.Samples.AspNetCore;

/// <summary>What a job run reports: the table it read, the table it wrote, and which columns came from which.</summary>
public sealed class JobLineage
{
    /// <summary>The table the job read.</summary>
    public TableRef? Source { get; set; }

    /// <summary>The table the job wrote.</summary>
    public TableRef? Target { get; set; }

    /// <summary>Column mappings, source column to target column.</summary>
    public List<ColumnMapping> Columns { get; set; } = [];
}

/// <summary>A table, by its Dataphin GUID or by catalog/schema/name/env.</summary>
public sealed class TableRef
{
    /// <summary>The table GUID, e.g. odps.300001234.dw_project.dwd_trade_order_di.</summary>
    public string? Guid { get; set; }

    /// <summary>The catalog, e.g. dataphin.</summary>
    public string? Catalog { get; set; }

    /// <summary>The project or business unit.</summary>
    public string? Schema { get; set; }

    /// <summary>The table name.</summary>
    public string? Name { get; set; }

    /// <summary>DEV or PROD.</summary>
    public string? Env { get; set; }
}

/// <summary>One target column and the source column it comes from.</summary>
public sealed class ColumnMapping
{
    /// <summary>The source column.</summary>
    public string? Source { get; set; }

    /// <summary>The target column.</summary>
    public string? Target { get; set; }

    /// <summary>Whether the target is a direct copy or transform of the source (default true).</summary>
    public bool Direct { get; set; } = true;
}
