namespace Dataphin.OpenApi.Resilience;

/// <summary>Counts the calls sent on one day against one daily cap, and says when the warning threshold is first reached.</summary>
internal sealed class DailyQuotaCounter
{
    private readonly object _gate = new();
    private DateTime _day;
    private long _count;
    private bool _warned;

    /// <summary>Counts one call; returns the count when this call is the first of the day to reach the threshold, otherwise <see langword="null"/>.</summary>
    public (long Count, DateTime Day)? Record(DateTimeOffset utcNow, TimeSpan utcOffset, long limit, double threshold)
    {
        var day = utcNow.ToOffset(utcOffset).Date;
        lock (_gate)
        {
            if (day != _day)
            {
                _day = day;
                _count = 0;
                _warned = false;
            }

            _count++;
            if (!_warned && _count >= Math.Ceiling(limit * threshold))
            {
                _warned = true;
                return (_count, day);
            }

            return null;
        }
    }

    public long CountOn(DateTime day)
    {
        lock (_gate)
        {
            return _day == day ? _count : 0;
        }
    }
}
