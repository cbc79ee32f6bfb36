namespace Monitor.Quality;

/// <summary>
/// Set of recently seen feedback ids, bounded by a count and a time window, so that the same feedback
/// is scored only once. Thread-safe.
/// </summary>
/// <remarks>
/// An id is forgotten when it is older than the window or when <see cref="Capacity"/> newer ids have
/// arrived since, whichever comes first. Under a sustained rate above capacity divided by window, the
/// effective window is therefore shorter than <see cref="Window"/>, and a repeat sent later than that
/// is accepted again. Memory grows with the number and length of the stored ids.
/// </remarks>
public sealed class FeedbackDeduplicator
{
    private readonly HashSet<string> _seen;

    private readonly Queue<(string Id, long Timestamp)> _arrivals;

    private readonly TimeProvider _timeProvider;

    private readonly long _windowTicks;

    private readonly Lock _lock = new();

    /// <summary>Initializes a new instance of the <see cref="FeedbackDeduplicator"/> class.</summary>
    /// <param name="capacity">Maximum number of ids kept, at least 1.</param>
    /// <param name="window">Time for which an id is remembered, greater than zero.</param>
    /// <param name="timeProvider">Clock that timestamps each id.</param>
    public FeedbackDeduplicator(int capacity, TimeSpan window, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "The deduplication window must be positive.");
        }

        this.Capacity = capacity;
        this.Window = window;
        _timeProvider = timeProvider;
        _windowTicks = window.Ticks;
        _seen = new HashSet<string>(StringComparer.Ordinal);
        _arrivals = new Queue<(string Id, long Timestamp)>();
    }

    /// <summary>Gets the maximum number of ids kept.</summary>
    public int Capacity { get; }

    /// <summary>Gets the time for which an id is remembered.</summary>
    public TimeSpan Window { get; }

    /// <summary>Gets the number of ids kept now, including any not yet removed after the window.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _seen.Count;
            }
        }
    }

    /// <summary>Records an id unless it was recorded within the window.</summary>
    /// <returns>True when the id is new, or false when it is a duplicate.</returns>
    public bool TryRegister(string id)
    {
        ArgumentNullException.ThrowIfNull(id);

        long now = _timeProvider.GetUtcNow().UtcTicks;
        lock (_lock)
        {
            this.RemoveExpired(now);

            if (!_seen.Add(id))
            {
                return false;
            }

            _arrivals.Enqueue((id, now));
            if (_arrivals.Count > this.Capacity)
            {
                (string oldest, _) = _arrivals.Dequeue();
                _seen.Remove(oldest);
            }

            return true;
        }
    }

    private void RemoveExpired(long now)
    {
        // Each stored id has exactly one queue entry, in arrival order, so the oldest are at the head.
        while (_arrivals.TryPeek(out (string Id, long Timestamp) oldest) && now - oldest.Timestamp > _windowTicks)
        {
            _arrivals.Dequeue();
            _seen.Remove(oldest.Id);
        }
    }
}
