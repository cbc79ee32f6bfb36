namespace Monitor.Quality;

/// <summary>
/// Options for <see cref="DatasetReader.Read"/>.
/// </summary>
public sealed class DatasetReadOptions
{
    /// <summary>Gets the format of the file. Default value: <see cref="DatasetFormat.Auto"/>.</summary>
    public DatasetFormat Format { get; init; } = DatasetFormat.Auto;

    /// <summary>
    /// Gets the labels file of an IDX or NPY dataset. When null, an IDX file named <c>*-images.idx3-ubyte</c>
    /// (optionally <c>.gz</c>) uses <c>*-labels.idx1-ubyte</c> beside it if that file exists. Default value: null.
    /// </summary>
    public string? LabelsPath { get; init; }

    /// <summary>
    /// Gets the label column of a CSV file: a header name, or a zero-based index. A header name takes precedence
    /// over an index with the same text. Default value: null, which selects the last column.
    /// </summary>
    public string? LabelColumn { get; init; }

    /// <summary>
    /// Gets a value indicating whether the first CSV line is a header. Default value: null, which treats the first
    /// line as a header when any of its fields is not a number.
    /// </summary>
    public bool? HasHeader { get; init; }

    /// <summary>Gets how labels are read. Default value: <see cref="DatasetLabelKind.Auto"/>.</summary>
    public DatasetLabelKind LabelKind { get; init; } = DatasetLabelKind.Auto;

    /// <summary>Gets a value indicating whether a dataset without labels is an error. Default value: false.</summary>
    public bool RequireLabels { get; init; }

    /// <summary>Gets the maximum number of rows read from the start of the file. Default value: null, for all rows.</summary>
    public int? Limit { get; init; }

    /// <summary>Gets the dataset name. Default value: null, which uses the file name without <c>.gz</c> and extension.</summary>
    public string? Name { get; init; }
}
