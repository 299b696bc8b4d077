namespace Dataphin.OpenApi.TestSupport;

/// <summary>Runs a task that waits on a <see cref="ManualTimeProvider"/> by moving the clock to each next timer until the task ends.</summary>
internal static class ClockDriver
{
    /// <summary>
    /// Advances <paramref name="clock"/> from timer to timer while <paramref name="task"/> is incomplete, never past
    /// <paramref name="limit"/> of fake time; fails when the task waits on nothing the clock can move.
    /// <paramref name="beforeAdvance"/>, if given, is awaited before each move, for work the clock cannot see (a
    /// request on its way to a real server): the driver settles again after it.
    /// </summary>
    public static async Task<T> DriveAsync<T>(this ManualTimeProvider clock, Task<T> task, TimeSpan? limit = null, Func<Task>? beforeAdvance = null)
    {
        ManualTimeProvider.Untrack();
        var end = clock.GetUtcNow() + (limit ?? TimeSpan.FromHours(1));
        while (true)
        {
            await Settle(clock, task);
            if (!task.IsCompleted && beforeAdvance is not null)
            {
                await beforeAdvance();
                await Settle(clock, task);
            }

            if (task.IsCompleted)
            {
                return await task;
            }

            if (clock.NextDue is not { } due || due > end)
            {
                // Nothing to move to yet. On a loaded machine the thread that is about to arm the next timer may simply
                // not have been scheduled during Settle: look again for a while (real time, only on this path, so a
                // passing test never waits here) before calling the task stuck.
                if (await NextTimerAsync(clock, task, end) is not { } late)
                {
                    if (task.IsCompleted)
                    {
                        return await task;
                    }

                    throw new InvalidOperationException($"The task is still waiting at {clock.GetUtcNow():O}, but no timer is due before {end:O}.");
                }

                due = late;
            }

            // SetUtcNow rather than Advance: FakeTimeProvider.Advance pauses the thread for a millisecond after each move.
            var now = clock.GetUtcNow();
            clock.SetUtcNow(due > now ? due : now);
        }
    }

    /// <summary>Settles again until a timer is due (before <paramref name="end"/>) or the task ends, for at most <see cref="StuckAfter"/> of real time.</summary>
    private static async Task<DateTimeOffset?> NextTimerAsync(ManualTimeProvider clock, Task task, DateTimeOffset end)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(started) < StuckAfter)
        {
            await Settle(clock, task);
            if (task.IsCompleted)
            {
                return null;
            }

            if (clock.NextDue is { } due && due <= end)
            {
                return due;
            }
        }

        return null;
    }

    /// <summary>How long a task waiting on no timer is given to arm one before it is reported stuck.</summary>
    private static readonly TimeSpan StuckAfter = TimeSpan.FromSeconds(10);

    public static async Task DriveAsync(this ManualTimeProvider clock, Task task, TimeSpan? limit = null, Func<Task>? beforeAdvance = null)
        => await clock.DriveAsync(Wrap(task), limit, beforeAdvance);

    private static async Task<bool> Wrap(Task task)
    {
        await task;
        return true;
    }

    /// <summary>
    /// Lets continuations that were queued rather than run inline finish before the clock moves again: waits (by
    /// yielding, not sleeping) until the timers have stopped changing, the thread pool has no queued work, and no
    /// thread is running code of the call under test. Without the last check a retry that Polly resumed on the thread
    /// pool could be half-way through an attempt (its timeout armed, its answer not yet read) with nothing queued, and
    /// moving the clock then would fire that attempt's timeout.
    /// </summary>
    private static async Task Settle(ManualTimeProvider clock, Task task)
    {
        var quiet = 0;
        var version = clock.Version;
        while (!task.IsCompleted && quiet < 50)
        {
            await Task.Yield();
            Thread.Yield();
            var now = clock.Version;
            quiet = now == version && ThreadPool.PendingWorkItemCount == 0 && clock.Running == 0 ? quiet + 1 : 0;
            version = now;
        }
    }
}
