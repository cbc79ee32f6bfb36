namespace Monitor.Quality;

/// <summary>
/// Enumerates the non-empty lines of a CSV file as fields, keeping the one-based line number for messages.
/// </summary>
internal sealed class CsvLineReader(TextReader reader, string path)
{
    public List<string> Fields { get; } = [];

    public int LineNumber { get; private set; }

    public bool MoveNext()
    {
        string? line;
        do
        {
            line = reader.ReadLine();
            if (line is null)
            {
                return false;
            }

            this.LineNumber++;
        }
        while (string.IsNullOrWhiteSpace(line));

        if (!CsvFields.TrySplit(line, this.Fields))
        {
            throw new DatasetFormatException(
                $"CSV file '{path}' line {this.LineNumber} has an unterminated or misplaced double quote.", path, null);
        }

        return true;
    }
}
