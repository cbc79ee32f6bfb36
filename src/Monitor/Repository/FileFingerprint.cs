namespace Monitor.Repository;

/// <summary>
/// The identity of one version of a model file: the size and last write time of the file a path
/// leads to (through symbolic links), and the same for the model's <c>monitor.json</c>.
/// </summary>
/// <remarks>
/// NOTE: a rewrite that keeps both the size and the last write time of every file is not seen;
/// copying tools and Kubernetes volume updates change the last write time.
/// </remarks>
public sealed record FileFingerprint(long Length, DateTime LastWriteTimeUtc, long SettingsLength, DateTime SettingsLastWriteTimeUtc)
{
    /// <summary>Reads the fingerprint of a model file and of its settings file, which may be absent.</summary>
    /// <exception cref="IOException">The model file is gone or cannot be read.</exception>
    public static FileFingerprint Of(string modelPath, string settingsPath)
    {
        FileInfo model = Resolve(modelPath);
        if (!model.Exists)
        {
            throw new FileNotFoundException($"Model file '{modelPath}' is gone.", modelPath);
        }

        FileInfo settings = Resolve(settingsPath);
        return settings.Exists
            ? new FileFingerprint(model.Length, model.LastWriteTimeUtc, settings.Length, settings.LastWriteTimeUtc)
            : new FileFingerprint(model.Length, model.LastWriteTimeUtc, -1, DateTime.MinValue);
    }

    private static FileInfo Resolve(string path)
    {
        FileInfo info = new(path);
        return info.LinkTarget is null ? info : info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
    }
}
