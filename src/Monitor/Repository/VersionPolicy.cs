namespace Monitor.Repository;

/// <summary>
/// Which versions of a model are served, from <c>versionPolicy</c> in <c>monitor.json</c>:
/// <c>{"latest": N}</c> (the N highest, the default with N = 1), <c>{"specific": [1, 3]}</c>
/// or <c>{"all": true}</c>. Exactly one of the three is set.
/// </summary>
public sealed class VersionPolicy
{
    /// <summary>The policy applied when <c>monitor.json</c> has none: the highest version only.</summary>
    public static readonly VersionPolicy Default = new() { Latest = 1 };

    /// <summary>Gets or sets how many of the highest versions are served.</summary>
    public int? Latest { get; set; }

    /// <summary>Gets or sets the version numbers that are served.</summary>
    public IReadOnlyList<long>? Specific { get; set; }

    /// <summary>Gets or sets whether every version is served.</summary>
    public bool? All { get; set; }

    /// <summary>Picks the versions to serve from those on disk, given lowest first.</summary>
    public IReadOnlyList<ModelVersionEntry> Select(IReadOnlyList<ModelVersionEntry> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);

        if (this.All == true)
        {
            return versions;
        }

        if (this.Specific is { } specific)
        {
            return versions.Where(version => specific.Contains(version.Version)).ToArray();
        }

        int latest = this.Latest ?? 1;
        return versions.Skip(Math.Max(0, versions.Count - latest)).ToArray();
    }

    /// <summary>Checks that exactly one policy is set and that its values are usable.</summary>
    /// <exception cref="InvalidDataException">The policy is empty, mixed or holds invalid values.</exception>
    internal void Validate(string path)
    {
        int set = (this.Latest is null ? 0 : 1) + (this.Specific is null ? 0 : 1) + (this.All is null ? 0 : 1);
        if (set != 1)
        {
            throw new InvalidDataException(
                $"'{path}': versionPolicy must set exactly one of latest, specific or all, for example {{\"latest\": 1}}, {{\"specific\": [1, 3]}} or {{\"all\": true}}.");
        }

        if (this.Latest is < 1)
        {
            throw new InvalidDataException($"'{path}': versionPolicy.latest is {this.Latest}; serve at least 1 version.");
        }

        if (this.Specific is { } specific && (specific.Count == 0 || specific.Any(version => version < 1)))
        {
            throw new InvalidDataException($"'{path}': versionPolicy.specific must list one or more version numbers, each a positive integer.");
        }

        if (this.All == false)
        {
            throw new InvalidDataException($"'{path}': versionPolicy.all is false; use {{\"all\": true}} or another policy.");
        }
    }
}
