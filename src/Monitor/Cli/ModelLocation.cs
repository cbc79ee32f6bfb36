using System.Globalization;
using Monitor.Repository;

namespace Monitor.Cli;

/// <summary>
/// The ONNX file a verb runs and the model folder whose <c>monitor.json</c> applies to it.
/// </summary>
/// <param name="ModelPath">The ONNX file.</param>
/// <param name="ModelDirectory">
/// The folder that holds <c>monitor.json</c> and <c>reference.json</c>: <c>&lt;repository&gt;/&lt;model&gt;</c> for a
/// file inside a version folder, otherwise the folder of the file.
/// </param>
/// <param name="Name">The model name: the model folder's name, or the file name without extension.</param>
internal sealed record ModelLocation(string ModelPath, string ModelDirectory, string Name)
{
    /// <summary>
    /// Resolves a command-line path: an ONNX file, a model folder (<c>&lt;model&gt;/&lt;version&gt;/model.onnx</c>,
    /// latest version) or a folder with <c>model.onnx</c> directly inside.
    /// </summary>
    /// <exception cref="CommandException">The path does not exist or contains no model (exit code 2).</exception>
    public static ModelLocation Resolve(string path)
    {
        string fullPath = Path.GetFullPath(path);
        if (File.Exists(fullPath))
        {
            return FromFile(fullPath);
        }

        if (!Directory.Exists(fullPath))
        {
            throw CommandException.Usage($"Model '{path}' was not found; give an .onnx file or a model folder.");
        }

        string direct = Path.Combine(fullPath, ModelRepositoryScanner.ModelFileName);
        if (File.Exists(direct))
        {
            return new ModelLocation(direct, fullPath, Path.GetFileName(fullPath));
        }

        ModelVersionEntry? latest = FindVersions(fullPath).LastOrDefault();
        if (latest is not null)
        {
            return new ModelLocation(latest.ModelPath, fullPath, Path.GetFileName(fullPath));
        }

        if (IsRepository(fullPath))
        {
            throw CommandException.Usage($"'{path}' is a model repository; give one model folder such as '{Path.Combine(path, "<model>")}'.");
        }

        throw CommandException.Usage($"No model found in '{path}': expected <version>/{ModelRepositoryScanner.ModelFileName} or {ModelRepositoryScanner.ModelFileName} inside it.");
    }

    /// <summary>Checks whether a folder is one model: it has <c>model.onnx</c> or version folders with it inside.</summary>
    public static bool IsModelFolder(string directory) =>
        File.Exists(Path.Combine(directory, ModelRepositoryScanner.ModelFileName)) || FindVersions(directory).Count > 0;

    /// <summary>Checks whether a folder is a model repository: it has model folders with version folders inside.</summary>
    public static bool IsRepository(string directory)
    {
        try
        {
            return ModelRepositoryScanner.Scan(directory).Count > 0;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Reads the model folder's <c>monitor.json</c>, or defaults when it has none.</summary>
    /// <exception cref="InvalidDataException">The file is invalid.</exception>
    public ModelSettings LoadSettings() => ModelSettings.Load(this.ModelDirectory);

    private static ModelLocation FromFile(string file)
    {
        string directory = Path.GetDirectoryName(file)!;
        string? parent = Path.GetDirectoryName(directory);
        bool inVersionFolder = parent is not null &&
            long.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out long version) &&
            version > 0;

        return inVersionFolder
            ? new ModelLocation(file, parent!, Path.GetFileName(parent!))
            : new ModelLocation(file, directory, Path.GetFileNameWithoutExtension(file));
    }

    private static List<ModelVersionEntry> FindVersions(string modelDirectory)
    {
        List<ModelVersionEntry> versions = [];
        foreach (string versionDirectory in Directory.EnumerateDirectories(modelDirectory))
        {
            string versionName = Path.GetFileName(versionDirectory);
            string modelPath = Path.Combine(versionDirectory, ModelRepositoryScanner.ModelFileName);
            if (long.TryParse(versionName, NumberStyles.None, CultureInfo.InvariantCulture, out long version) && version > 0 && File.Exists(modelPath))
            {
                versions.Add(new ModelVersionEntry(version, modelPath));
            }
        }

        versions.Sort((left, right) => left.Version.CompareTo(right.Version));
        return versions;
    }
}
