using System.ComponentModel;
using System.Text.Json.Serialization;
using Dataphin.OpenApi.Serialization;

namespace Dataphin.OpenApi;

/// <summary>
/// How an asset reference identifies the asset: by its GUID or by its properties (Catalog, Schema, Env, Name).
/// </summary>
/// <remarks>
/// An extensible value set: the known values are static properties, and any other string converts
/// implicitly, so values the service adds later can be sent and read back unchanged. Comparison is ordinal
/// (case-sensitive), because the service's values are case-sensitive.
/// </remarks>
[JsonConverter(typeof(DataphinValueSetJsonConverter))]
public readonly struct ReferenceType : IEquatable<ReferenceType>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire text.</summary>
    /// <param name="value">The text the service uses, for example <c>BY_GUID</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public ReferenceType(string value)
    {
        _value = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The asset is identified by <see cref="AssetReference.Guid"/>. Wire text <c>BY_GUID</c>.</summary>
    public static ReferenceType ByGuid { get; } = new("BY_GUID");

    /// <summary>The asset is identified by Catalog, Schema, Env and Name. Wire text <c>BY_PROPERTY</c>.</summary>
    public static ReferenceType ByProperty { get; } = new("BY_PROPERTY");

    /// <summary>Every value documented by the service, in documentation order.</summary>
    public static IReadOnlyList<ReferenceType> KnownValues { get; } = new[] { ByGuid, ByProperty };

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
    public static bool operator ==(ReferenceType left, ReferenceType right) => left.Equals(right);

    /// <summary>Compares two values ordinally.</summary>
    public static bool operator !=(ReferenceType left, ReferenceType right) => !left.Equals(right);

    /// <summary>Converts wire text to a value.</summary>
    /// <param name="value">The wire text.</param>
    public static implicit operator ReferenceType(string value) => new(value);

    /// <inheritdoc />
    public bool Equals(ReferenceType other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ReferenceType other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <summary>Returns the wire text, or an empty string for the default value.</summary>
    public override string ToString() => _value ?? string.Empty;

    internal string? Value => _value;
}

/// <summary>Reads and writes <see cref="ReferenceType"/> as a JSON string.</summary>
internal sealed class ReferenceTypeJsonConverter : ExtensibleStringJsonConverter<ReferenceType>
{
    /// <summary>Creates the converter.</summary>
    public ReferenceTypeJsonConverter()
        : base(static text => new ReferenceType(text), static value => value.Value)
    {
    }
}
