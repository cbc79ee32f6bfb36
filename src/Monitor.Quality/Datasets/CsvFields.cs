namespace Monitor.Quality;

/// <summary>
/// Splits one CSV line into fields. Fields may be enclosed in double quotes, with a doubled quote for a
/// literal one, but a quoted field cannot span lines. Whitespace around unquoted fields is removed.
/// </summary>
internal static class CsvFields
{
    public static bool TrySplit(string line, List<string> fields)
    {
        fields.Clear();
        int position = 0;
        while (true)
        {
            while (position < line.Length && line[position] is ' ' or '\t')
            {
                position++;
            }

            if (position < line.Length && line[position] == '"')
            {
                var value = new System.Text.StringBuilder();
                position++;
                while (true)
                {
                    if (position >= line.Length)
                    {
                        return false;
                    }

                    if (line[position] == '"')
                    {
                        if (position + 1 < line.Length && line[position + 1] == '"')
                        {
                            value.Append('"');
                            position += 2;
                            continue;
                        }

                        position++;
                        break;
                    }

                    value.Append(line[position]);
                    position++;
                }

                fields.Add(value.ToString());
                while (position < line.Length && line[position] is ' ' or '\t')
                {
                    position++;
                }

                if (position < line.Length && line[position] != ',')
                {
                    return false;
                }
            }
            else
            {
                int comma = line.IndexOf(',', position);
                int end = comma < 0 ? line.Length : comma;
                fields.Add(line[position..end].Trim());
                position = end;
            }

            if (position >= line.Length)
            {
                return true;
            }

            // line[position] is a comma.
            position++;
        }
    }
}
