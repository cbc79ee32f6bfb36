namespace Monitor.Quality;

/// <summary>
/// How the labels of a dataset are read.
/// </summary>
public enum DatasetLabelKind
{
    /// <summary>
    /// Chosen from the values. Labels that are all non-negative whole numbers, or that include a name, are class labels.
    /// Labels that are all numbers, with at least one fraction, are regression targets.
    /// </summary>
    Auto,

    /// <summary>Class labels: non-negative integers, or names that are mapped to indices.</summary>
    Classification,

    /// <summary>Regression targets: numbers.</summary>
    Regression,

    /// <summary>No labels: every CSV column is a feature, and no labels file is read.</summary>
    None,
}
