namespace Monitor.Quality;

/// <summary>
/// File format of a dataset.
/// </summary>
public enum DatasetFormat
{
    /// <summary>Chosen from the file name (<c>.csv</c>, <c>.npy</c>, <c>-ubyte</c>), or from the file's magic bytes.</summary>
    Auto,

    /// <summary>IDX, the MNIST format: a big-endian header with type code and dimensions, then the values.</summary>
    Idx,

    /// <summary>Comma-separated values, one row per line.</summary>
    Csv,

    /// <summary>NumPy <c>.npy</c> array, format version 1.0, 2.0 or 3.0.</summary>
    Npy,
}
