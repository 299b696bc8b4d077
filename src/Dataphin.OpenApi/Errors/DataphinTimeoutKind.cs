namespace Dataphin.OpenApi;

/// <summary>Which timeout a <see cref="DataphinTimeoutException"/> reports.</summary>
public enum DataphinTimeoutKind
{
    /// <summary>One attempt took longer than <see cref="DataphinTimeoutOptions.AttemptTimeout"/>.</summary>
    Attempt = 1,

    /// <summary>The whole call, retries and waits included, took longer than <see cref="DataphinTimeoutOptions.TotalTimeout"/>.</summary>
    Total = 2,
}
