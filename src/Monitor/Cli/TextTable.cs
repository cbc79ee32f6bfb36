using System.Text;

namespace Monitor.Cli;

/// <summary>A plain-text table with columns padded to their widest cell, for terminal output.</summary>
internal sealed class TextTable
{
    private readonly string[] headers;
    private readonly List<string[]> rows = [];
    private readonly bool[] rightAligned;

    public TextTable(params string[] headers)
    {
        this.headers = headers;
        this.rightAligned = new bool[headers.Length];
    }

    /// <summary>Aligns a column to the right, as numbers read best.</summary>
    public TextTable AlignRight(params int[] columns)
    {
        foreach (int column in columns)
        {
            this.rightAligned[column] = true;
        }

        return this;
    }

    public void AddRow(params string[] cells)
    {
        if (cells.Length != this.headers.Length)
        {
            throw new ArgumentException($"The row has {cells.Length} cells; the table has {this.headers.Length} columns.", nameof(cells));
        }

        this.rows.Add(cells);
    }

    public override string ToString()
    {
        int[] widths = new int[this.headers.Length];
        foreach (string[] row in this.rows.Prepend(this.headers))
        {
            for (int i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        StringBuilder text = new();
        this.AppendRow(text, this.headers, widths);
        this.AppendRow(text, [.. widths.Select(width => new string('-', width))], widths);
        foreach (string[] row in this.rows)
        {
            this.AppendRow(text, row, widths);
        }

        return text.ToString();
    }

    private void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        text.Append("  ");
        for (int i = 0; i < cells.Length; i++)
        {
            string cell = this.rightAligned[i] ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i]);
            text.Append(cell);
            if (i < cells.Length - 1)
            {
                text.Append("  ");
            }
        }

        text.Append('\n');
    }
}
