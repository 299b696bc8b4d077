namespace Dataphin.OpenApi;

/// <summary>Settings shared by the built-in credential sources: where they read variables and files, and how often files are checked for changes.</summary>
public sealed class DataphinCredentialSourceOptions
{
    /// <summary>The environment variables and home folder to read. Defaults to <see cref="DataphinProcessEnvironment.Current"/>.</summary>
    public DataphinProcessEnvironment Environment { get; set; } = DataphinProcessEnvironment.Current;

    /// <summary>The clock that paces file checks. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// How long a file's contents are used before the file is checked again (its last-write time and length); when
    /// either changed, it is read again, so a rotated key is used at the latest this long after the file was saved.
    /// Defaults to 5 seconds; <see cref="TimeSpan.Zero"/> checks on every request.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    internal DataphinCredentialSourceOptions Validated()
    {
        if (Environment is null)
        {
            throw new ArgumentException("DataphinCredentialSourceOptions.Environment must not be null.", nameof(Environment));
        }

        if (TimeProvider is null)
        {
            throw new ArgumentException("DataphinCredentialSourceOptions.TimeProvider must not be null.", nameof(TimeProvider));
        }

        if (RefreshInterval < TimeSpan.Zero)
        {
            throw new ArgumentException($"DataphinCredentialSourceOptions.RefreshInterval must not be negative; it was {RefreshInterval}.", nameof(RefreshInterval));
        }

        return this;
    }
}
