namespace Dataphin.OpenApi.Bulk;

/// <summary>Settings of a bulk run (<see cref="DataphinBulkLineage"/>).</summary>
public sealed class BulkOptions
{
    private int _maxConcurrency = 8;
    private int _maxFieldLineagesPerCall = LineageLimits.MaxFieldLineagesPerCall;

    /// <summary>
    /// The most items in progress at once (1 to 256; default 8). The client's rate limiter decides how fast calls
    /// actually go; this bounds how many wait at once, and so how far the input is read ahead.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 1 and 256.</exception>
    public int MaxConcurrency
    {
        get => _maxConcurrency;
        set => _maxConcurrency = value is >= 1 and <= 256 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxConcurrency must be between 1 and 256.");
    }

    /// <summary>The most field lineages per call (1 to 100; default 100). Items with more are split into several calls.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 1 and 100.</exception>
    public int MaxFieldLineagesPerCall
    {
        get => _maxFieldLineagesPerCall;
        set => _maxFieldLineagesPerCall = value >= 1 && value <= LineageLimits.MaxFieldLineagesPerCall
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"MaxFieldLineagesPerCall must be between 1 and {LineageLimits.MaxFieldLineagesPerCall}.");
    }

    /// <summary>When <see langword="true"/>, items are validated and split but nothing is sent; valid items are reported as <see cref="BulkItemStatus.Validated"/>.</summary>
    public bool DryRun { get; set; }

    /// <summary>The Dataphin user id sent as <c>OpUserId</c> with every call, or <see langword="null"/> to leave it out.</summary>
    public string? OpUserId { get; set; }
}
