namespace Monitor.Hosting;

/// <summary>
/// The repository control endpoints: <c>POST /v2/repository/index</c>,
/// <c>/v2/repository/models/{model}/load</c> and <c>/unload</c>.
/// </summary>
public sealed class RepositoryControlOptions
{
    /// <summary>Gets or sets whether the endpoints are served; when false they return 403. Default: false.</summary>
    public bool Enabled { get; set; }
}
