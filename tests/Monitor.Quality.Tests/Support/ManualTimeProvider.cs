namespace Monitor.Quality.Tests;

/// <summary>
/// Clock that moves only when a test advances it.
/// </summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        return _now;
    }

    public void Advance(TimeSpan delta)
    {
        _now += delta;
    }
}
