using System.ComponentModel;
using System.Text.Json.Serialization;
using Dataphin.OpenApi.Serialization;

namespace Dataphin.OpenApi;

/// <summary>
/// The Dataphin environment an asset lives in: <c>DEV</c> or <c>PROD</c>.
/// </summary>
/// <remarks>
/// An extensible value set: the known values are static properties, and any other string converts
/// implicitly, so values the service adds later can be sent and read back unchanged. Comparison is ordinal
/// (case-sensitive), because the service's values are case-sensitive.
/// </remarks>
[JsonConverter(typeof(DataphinValueSetJsonConverter))]
public readonly struct DataphinEnvironment : IEquatable<DataphinEnvironment>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire text.</summary>
    /// <param name="value">The text the service uses, for example <c>DEV</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public DataphinEnvironment(string value)
    {
        _value = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The development environment. Wire text <c>DEV</c>.</summary>
    public static DataphinEnvironment Dev { get; } = new("DEV");

    /// <summary>The production environment. Wire text <c>PROD</c>.</summary>
    public static DataphinEnvironment Prod { get; } = new("PROD");

    /// <summary>Every value documented by the service, in documentation order.</summary>
    public static IReadOnlyList<DataphinEnvironment> KnownValues { get; } = new[] { Dev, Prod };

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
    public static bool operator ==(DataphinEnvironment left, DataphinEnvironment right) => left.Equals(right);

    /// <summary>Compares two values ordinally.</summary>
    public static bool operator !=(DataphinEnvironment left, DataphinEnvironment right) => !left.Equals(right);

    /// <summary>Converts wire text to a value.</summary>
    /// <param name="value">The wire text.</param>
    public static implicit operator DataphinEnvironment(string value) => new(value);

    /// <inheritdoc />
    public bool Equals(DataphinEnvironment other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DataphinEnvironment other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <summary>Returns the wire text, or an empty string for the default value.</summary>
    public override string ToString() => _value ?? string.Empty;

    internal string? Value => _value;
}

/// <summary>Reads and writes <see cref="DataphinEnvironment"/> as a JSON string.</summary>
internal sealed class DataphinEnvironmentJsonConverter : ExtensibleStringJsonConverter<DataphinEnvironment>
{
    /// <summary>Creates the converter.</summary>
    public DataphinEnvironmentJsonConverter()
        : base(static text => new DataphinEnvironment(text), static value => value.Value)
    {
    }
}
