namespace Monitor.Quality;

/// <summary>
/// Error raised when a dataset file cannot be read. The message names the file, the problem and what was expected.
/// </summary>
public sealed class DatasetFormatException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="DatasetFormatException"/> class.</summary>
    public DatasetFormatException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DatasetFormatException"/> class with a message.</summary>
    public DatasetFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DatasetFormatException"/> class with a message and its cause.</summary>
    public DatasetFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DatasetFormatException"/> class for a file.</summary>
    public DatasetFormatException(string message, string? filePath, Exception? innerException)
        : base(message, innerException)
    {
        this.FilePath = filePath;
    }

    /// <summary>Gets the path of the file that could not be read, when known.</summary>
    public string? FilePath { get; }
}
