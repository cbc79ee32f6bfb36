using System.Text.RegularExpressions;

namespace Monitor.Observability.Tests;

/// <summary>The level-2 sections of <c>docs/runbooks.md</c>, by their GitHub anchor.</summary>
internal static partial class Runbooks
{
    /// <summary>
    /// Placeholder address that every <c>runbook_url</c> starts with. Deployments replace it with
    /// the address where <c>docs/runbooks.md</c> is published.
    /// </summary>
    public const string BaseUrl = "https://monitor.example.com/docs/runbooks.md";

    /// <summary>Reads the sections, keyed by anchor, each with its text up to the next level-2 heading.</summary>
    public static IReadOnlyDictionary<string, string> LoadSections()
    {
        Dictionary<string, string> sections = new(StringComparer.Ordinal);
        string? anchor = null;
        List<string> body = [];

        foreach (string line in File.ReadLines(RepositoryPaths.Runbooks))
        {
            Match heading = LevelTwoHeading().Match(line);
            if (heading.Success)
            {
                Store();
                anchor = Anchor(heading.Groups[1].Value);
                body.Clear();
            }
            else if (anchor is not null)
            {
                body.Add(line);
            }
        }

        Store();
        return sections;

        void Store()
        {
            if (anchor is not null)
            {
                sections[anchor] = string.Join('\n', body);
            }
        }
    }

    /// <summary>Computes the anchor GitHub gives a heading: lower case, punctuation removed, spaces as hyphens.</summary>
    public static string Anchor(string heading)
    {
        string lower = heading.Trim().ToLowerInvariant();
        string kept = NotAnchorCharacter().Replace(lower, string.Empty);
        return kept.Replace(' ', '-');
    }

    [GeneratedRegex(@"^##\s+(.+?)\s*$")]
    private static partial Regex LevelTwoHeading();

    [GeneratedRegex(@"[^a-z0-9 _-]")]
    private static partial Regex NotAnchorCharacter();
}
