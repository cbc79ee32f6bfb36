namespace Monitor.Quality.Tests;

public sealed class FeedbackDeduplicatorTests
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TryRegister_NewId_ReturnsTrue()
    {
        var deduplicator = new FeedbackDeduplicator(10, TimeSpan.FromMinutes(5), _clock);

        Assert.True(deduplicator.TryRegister("a"));
    }

    [Fact]
    public void TryRegister_RepeatWithinWindow_ReturnsFalse()
    {
        var deduplicator = new FeedbackDeduplicator(10, TimeSpan.FromMinutes(5), _clock);
        deduplicator.TryRegister("a");
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.False(deduplicator.TryRegister("a"));
    }

    [Fact]
    public void TryRegister_RepeatAfterWindow_ReturnsTrue()
    {
        var deduplicator = new FeedbackDeduplicator(10, TimeSpan.FromMinutes(5), _clock);
        deduplicator.TryRegister("a");
        _clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromTicks(1));

        Assert.True(deduplicator.TryRegister("a"));
        Assert.Equal(1, deduplicator.Count);
    }

    [Fact]
    public void TryRegister_OverCapacity_ForgetsOldest()
    {
        var deduplicator = new FeedbackDeduplicator(2, TimeSpan.FromMinutes(5), _clock);
        deduplicator.TryRegister("a");
        deduplicator.TryRegister("b");
        deduplicator.TryRegister("c");

        Assert.Equal(2, deduplicator.Count);
        Assert.False(deduplicator.TryRegister("b"));
        Assert.False(deduplicator.TryRegister("c"));
        Assert.True(deduplicator.TryRegister("a"));
    }

    [Fact]
    public void TryRegister_Concurrent_AcceptsEachIdOnce()
    {
        var deduplicator = new FeedbackDeduplicator(100_000, TimeSpan.FromMinutes(5), _clock);
        int accepted = 0;

        Parallel.For(0, 8, _ =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                if (deduplicator.TryRegister("id-" + i))
                {
                    Interlocked.Increment(ref accepted);
                }
            }
        });

        Assert.Equal(10_000, accepted);
    }
}
