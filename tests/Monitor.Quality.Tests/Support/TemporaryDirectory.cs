namespace Monitor.Quality.Tests;

/// <summary>
/// Folder under the system temporary folder that is deleted on dispose.
/// </summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory()
    {
        this.Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "monitor-quality-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(this.Path);
    }

    public string Path { get; }

    public string Combine(string fileName)
    {
        return System.IO.Path.Combine(this.Path, fileName);
    }

    public void Dispose()
    {
        Directory.Delete(this.Path, recursive: true);
    }
}
