using System.Globalization;
using System.Text.RegularExpressions;

namespace Monitor.Repository;

/// <summary>
/// Lists the models of a repository folder laid out as <c>&lt;model&gt;/&lt;version&gt;/model.onnx</c>.
/// </summary>
public static partial class ModelRepositoryScanner
{
    public const string ModelFileName = "model.onnx";

    /// <summary>Checks a model name: letters, digits, <c>_</c>, <c>-</c> and <c>.</c>, starting with a letter or digit, at most 128 characters.</summary>
    public static bool IsValidModelName(string? name) =>
        name is not null && ModelNamePattern().IsMatch(name) && !name.Contains("..", StringComparison.Ordinal);

    /// <summary>Lists every model folder with its numbered version folders that contain a model file.</summary>
    /// <param name="repository">The repository folder.</param>
    /// <param name="skipped">Receives the folders that are not models, with the reason.</param>
    public static IReadOnlyList<ModelEntry> Scan(string repository, ICollection<string>? skipped = null)
    {
        if (!Directory.Exists(repository))
        {
            throw new DirectoryNotFoundException($"Model repository '{repository}' does not exist. Set Monitor:ModelRepository to a folder that contains <model>/<version>/model.onnx.");
        }

        List<ModelEntry> models = [];
        foreach (string modelDirectory in Directory.EnumerateDirectories(repository).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(modelDirectory);
            if (name.StartsWith('.'))
            {
                continue;
            }

            if (!IsValidModelName(name))
            {
                skipped?.Add($"'{modelDirectory}': the folder name is not a valid model name (letters, digits, '_', '-', '.').");
                continue;
            }

            List<ModelVersionEntry> versions = [];
            foreach (string versionDirectory in Directory.EnumerateDirectories(modelDirectory))
            {
                string versionName = Path.GetFileName(versionDirectory);
                if (!long.TryParse(versionName, NumberStyles.None, CultureInfo.InvariantCulture, out long version) || version < 1)
                {
                    continue;
                }

                if (version > int.MaxValue)
                {
                    skipped?.Add($"'{versionDirectory}': version numbers go up to {int.MaxValue}.");
                    continue;
                }

                string modelPath = Path.Combine(versionDirectory, ModelFileName);
                if (File.Exists(modelPath))
                {
                    versions.Add(new ModelVersionEntry(version, modelPath));
                }
            }

            if (versions.Count == 0)
            {
                skipped?.Add($"'{modelDirectory}': no version folder (a positive integer) holds {ModelFileName}.");
                continue;
            }

            versions.Sort((left, right) => left.Version.CompareTo(right.Version));
            models.Add(new ModelEntry(name, modelDirectory, versions));
        }

        return models;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex ModelNamePattern();
}

/// <summary>A model folder of the repository and its versions, lowest first.</summary>
public sealed record ModelEntry(string Name, string Directory, IReadOnlyList<ModelVersionEntry> Versions);

/// <summary>One numbered version folder and its ONNX file.</summary>
public sealed record ModelVersionEntry(long Version, string ModelPath);
