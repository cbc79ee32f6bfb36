namespace Monitor.Cli;

/// <summary>A change applied to replayed rows so that the daemon's drift and accuracy metrics move.</summary>
internal enum ReplayDrift
{
    /// <summary>Rows are sent as read.</summary>
    None,

    /// <summary>Every feature value x becomes max - x, where max is the largest value in the dataset.</summary>
    Invert,

    /// <summary>Only rows whose class is in the first half of the classes are sent.</summary>
    Subset,
}
