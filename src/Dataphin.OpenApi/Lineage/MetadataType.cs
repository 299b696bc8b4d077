using System.ComponentModel;
using System.Text.Json.Serialization;
using Dataphin.OpenApi.Serialization;

namespace Dataphin.OpenApi;

/// <summary>
/// The kind of asset a reference points to, for example <c>TABLE</c> for a table-level reference and <c>COLUMN</c> for a field.
/// </summary>
/// <remarks>
/// An extensible value set: the known values are static properties, and any other string converts
/// implicitly, so values the service adds later can be sent and read back unchanged. Comparison is ordinal
/// (case-sensitive), because the service's values are case-sensitive.
/// </remarks>
[JsonConverter(typeof(DataphinValueSetJsonConverter))]
public readonly struct MetadataType : IEquatable<MetadataType>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire text.</summary>
    /// <param name="value">The text the service uses, for example <c>TABLE</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public MetadataType(string value)
    {
        _value = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>A table (table-level lineage). Wire text <c>TABLE</c>.</summary>
    public static MetadataType Table { get; } = new("TABLE");

    /// <summary>A column of a table (field-level lineage). Wire text <c>COLUMN</c>.</summary>
    public static MetadataType Column { get; } = new("COLUMN");

    /// <summary>Every value documented by the service, in documentation order.</summary>
    public static IReadOnlyList<MetadataType> KnownValues { get; } = new[] { Table, Column };

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
    public static bool operator ==(MetadataType left, MetadataType right) => left.Equals(right);

    /// <summary>Compares two values ordinally.</summary>
    public static bool operator !=(MetadataType left, MetadataType right) => !left.Equals(right);

    /// <summary>Converts wire text to a value.</summary>
    /// <param name="value">The wire text.</param>
    public static implicit operator MetadataType(string value) => new(value);

    /// <inheritdoc />
    public bool Equals(MetadataType other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is MetadataType other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <summary>Returns the wire text, or an empty string for the default value.</summary>
    public override string ToString() => _value ?? string.Empty;

    internal string? Value => _value;
}

/// <summary>Reads and writes <see cref="MetadataType"/> as a JSON string.</summary>
internal sealed class MetadataTypeJsonConverter : ExtensibleStringJsonConverter<MetadataType>
{
    /// <summary>Creates the converter.</summary>
    public MetadataTypeJsonConverter()
        : base(static text => new MetadataType(text), static value => value.Value)
    {
    }
}
