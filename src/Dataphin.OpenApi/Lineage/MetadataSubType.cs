using System.ComponentModel;
using System.Text.Json.Serialization;
using Dataphin.OpenApi.Serialization;

namespace Dataphin.OpenApi;

/// <summary>
/// The sub-class of a table asset. Only allowed when <see cref="AssetReference.MetadataType"/> is <c>TABLE</c> and the reference is not by GUID.
/// </summary>
/// <remarks>
/// An extensible value set: the known values are static properties, and any other string converts
/// implicitly, so values the service adds later can be sent and read back unchanged. Comparison is ordinal
/// (case-sensitive), because the service's values are case-sensitive.
/// </remarks>
[JsonConverter(typeof(DataphinValueSetJsonConverter))]
public readonly struct MetadataSubType : IEquatable<MetadataSubType>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire text.</summary>
    /// <param name="value">The text the service uses, for example <c>PHYSICAL_TABLE</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public MetadataSubType(string value)
    {
        _value = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>A physical table. Wire text <c>PHYSICAL_TABLE</c>.</summary>
    public static MetadataSubType PhysicalTable { get; } = new("PHYSICAL_TABLE");

    /// <summary>A physical view. Wire text <c>PHYSICAL_VIEW</c>.</summary>
    public static MetadataSubType PhysicalView { get; } = new("PHYSICAL_VIEW");

    /// <summary>A physical materialized view. Wire text <c>PHYSICAL_MATERIALIZED_VIEW</c>.</summary>
    public static MetadataSubType PhysicalMaterializedView { get; } = new("PHYSICAL_MATERIALIZED_VIEW");

    /// <summary>A table of a registered data source. Wire text <c>DATASOURCE_TABLE</c>.</summary>
    public static MetadataSubType DatasourceTable { get; } = new("DATASOURCE_TABLE");

    /// <summary>A view of a registered data source. Wire text <c>DATASOURCE_VIEW</c>.</summary>
    public static MetadataSubType DatasourceView { get; } = new("DATASOURCE_VIEW");

    /// <summary>A materialized view of a registered data source. Wire text <c>DATASOURCE_MATERIALIZED_VIEW</c>.</summary>
    public static MetadataSubType DatasourceMaterializedView { get; } = new("DATASOURCE_MATERIALIZED_VIEW");

    /// <summary>A normal dimension logical table. Wire text <c>DIM_NORMAL</c>.</summary>
    public static MetadataSubType DimNormal { get; } = new("DIM_NORMAL");

    /// <summary>A hierarchy dimension logical table. Wire text <c>DIM_LEVEL</c>.</summary>
    public static MetadataSubType DimLevel { get; } = new("DIM_LEVEL");

    /// <summary>An enumeration dimension logical table. Wire text <c>DIM_ENUM</c>.</summary>
    public static MetadataSubType DimEnum { get; } = new("DIM_ENUM");

    /// <summary>A virtual dimension logical table. Wire text <c>DIM_VIRTUAL</c>.</summary>
    public static MetadataSubType DimVirtual { get; } = new("DIM_VIRTUAL");

    /// <summary>A transaction (event) fact logical table. Wire text <c>FACT_EVENT</c>.</summary>
    public static MetadataSubType FactEvent { get; } = new("FACT_EVENT");

    /// <summary>A process fact logical table. Wire text <c>FACT_PROCESS</c>.</summary>
    public static MetadataSubType FactProcess { get; } = new("FACT_PROCESS");

    /// <summary>A snapshot fact logical table. Wire text <c>FACT_SNAPSHOT</c>.</summary>
    public static MetadataSubType FactSnapshot { get; } = new("FACT_SNAPSHOT");

    /// <summary>A business-unit summary logical table. Wire text <c>SUM_BIZ_UNIT</c>.</summary>
    public static MetadataSubType SumBizUnit { get; } = new("SUM_BIZ_UNIT");

    /// <summary>Every value documented by the service, in documentation order.</summary>
    public static IReadOnlyList<MetadataSubType> KnownValues { get; } = new[] { PhysicalTable, PhysicalView, PhysicalMaterializedView, DatasourceTable, DatasourceView, DatasourceMaterializedView, DimNormal, DimLevel, DimEnum, DimVirtual, FactEvent, FactProcess, FactSnapshot, SumBizUnit };

    /// <summary><see langword="true"/> for the default value, which means "not set".</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public bool IsDefault => _value is null;

    /// <summary><see langword="true"/> when this is one of <see cref="KnownValues"/>.</summary>
    public bool IsKnown
    {
        get
        {
            foreach (var known in KnownValues)
            {
                if (Equals(known))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Compares two values ordinally.</summary>
    public static bool operator ==(MetadataSubType left, MetadataSubType right) => left.Equals(right);

    /// <summary>Compares two values ordinally.</summary>
    public static bool operator !=(MetadataSubType left, MetadataSubType right) => !left.Equals(right);

    /// <summary>Converts wire text to a value.</summary>
    /// <param name="value">The wire text.</param>
    public static implicit operator MetadataSubType(string value) => new(value);

    /// <inheritdoc />
    public bool Equals(MetadataSubType other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is MetadataSubType other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <summary>Returns the wire text, or an empty string for the default value.</summary>
    public override string ToString() => _value ?? string.Empty;

    internal string? Value => _value;
}

/// <summary>Reads and writes <see cref="MetadataSubType"/> as a JSON string.</summary>
internal sealed class MetadataSubTypeJsonConverter : ExtensibleStringJsonConverter<MetadataSubType>
{
    /// <summary>Creates the converter.</summary>
    public MetadataSubTypeJsonConverter()
        : base(static text => new MetadataSubType(text), static value => value.Value)
    {
    }
}
