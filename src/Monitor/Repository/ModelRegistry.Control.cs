using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Monitor.Inference;
using Monitor.Telemetry;

namespace Monitor.Repository;

/// <summary>
/// Explicit control of what is served, for the repository extension endpoints. A model is
/// found by name in the scanned folder list; a request name never becomes a path.
/// </summary>
public sealed partial class ModelRegistry
{
    // models unloaded by request stay unloaded, whatever changes the watcher finds, until a load request
    private readonly ConcurrentDictionary<string, bool> unloadedByRequest = new(StringComparer.Ordinal);

    /// <summary>Lists every model of the repository with the state of each of its versions.</summary>
    /// <exception cref="InferenceRequestException">The repository cannot be read.</exception>
    public IReadOnlyList<RepositoryIndexEntry> Index()
    {
        IReadOnlyList<ModelEntry> entries = this.ScanForRequest();
        List<RepositoryIndexEntry> index = [];
        foreach (ModelEntry entry in entries)
        {
            IReadOnlyList<VersionStatus> states = this.models.TryGetValue(entry.Name, out ServedModel? served) ? served.States : [];
            if (states.Count == 0)
            {
                string reason = this.unloadedByRequest.ContainsKey(entry.Name) ? "unloaded by request" : "not loaded";
                index.Add(new RepositoryIndexEntry(entry.Name, null, "UNAVAILABLE", reason));
                continue;
            }

            foreach (VersionStatus status in states)
            {
                index.Add(new RepositoryIndexEntry(
                    entry.Name,
                    status.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    status.State.ToString().ToUpperInvariant(),
                    status.Error));
            }
        }

        return index;
    }

    /// <summary>Loads a model of the repository now, reloading every version its policy selects, and lets the watcher follow it again.</summary>
    /// <exception cref="InferenceRequestException">The name is invalid, the model is not in the repository, or no version loaded.</exception>
    public async Task<ServedModel> LoadByRequestAsync(string name, CancellationToken cancellationToken)
    {
        await this.synchronizeGate.WaitAsync(cancellationToken);
        try
        {
            ModelEntry entry = this.FindInRepository(name);
            this.unloadedByRequest.TryRemove(entry.Name, out _);
            foreach ((string Model, long Version) key in this.attempted.Keys.Where(key => key.Model == entry.Name).ToArray())
            {
                this.attempted.Remove(key);
            }

            this.logger.ModelLoadRequested(entry.Name);
            await Task.Run(() => this.SynchronizeCore(settle: false, onlyModel: entry.Name, cancellationToken), cancellationToken);
        }
        finally
        {
            this.synchronizeGate.Release();
        }

        ServedModel? served = this.models.GetValueOrDefault(name);
        if (served?.Latest is null)
        {
            string reason = served?.States.LastOrDefault(status => status.State == ModelVersionState.Failed)?.Error ?? "no version was selected";
            throw new InferenceRequestException(StatusCodes.Status400BadRequest, Outcomes.BadRequest, $"Model '{name}' failed to load: {reason}");
        }

        return served;
    }

    /// <summary>Unloads every version of a model; it stays unloaded until a load request.</summary>
    /// <exception cref="InferenceRequestException">The name is invalid or the model is neither served nor in the repository.</exception>
    public async Task UnloadByRequestAsync(string name, CancellationToken cancellationToken)
    {
        await this.synchronizeGate.WaitAsync(cancellationToken);
        try
        {
            if (!this.models.ContainsKey(name))
            {
                _ = this.FindInRepository(name);
            }

            this.unloadedByRequest[name] = true;
            this.logger.ModelUnloadRequested(name);
            this.RemoveModel(name, "an unload request");
        }
        finally
        {
            this.synchronizeGate.Release();
        }
    }

    private ModelEntry FindInRepository(string name)
    {
        if (!ModelRepositoryScanner.IsValidModelName(name))
        {
            throw new InferenceRequestException(
                $"Model name '{name}' is invalid: use letters, digits, '_', '-' and '.', starting with a letter or digit, as the repository folder is named.");
        }

        IReadOnlyList<ModelEntry> entries = this.ScanForRequest();
        return entries.FirstOrDefault(entry => string.Equals(entry.Name, name, StringComparison.Ordinal))
            ?? throw InferenceRequestException.NotFound(
                $"Model '{name}' is not in the repository; models there: {string.Join(", ", entries.Select(entry => entry.Name))}.");
    }

    private IReadOnlyList<ModelEntry> ScanForRequest()
    {
        try
        {
            return ModelRepositoryScanner.Scan(this.options.ModelRepository);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new InferenceRequestException(
                StatusCodes.Status503ServiceUnavailable, Outcomes.Unavailable,
                $"The model repository cannot be read: {exception.Message}", null, exception);
        }
    }
}

/// <summary>One row of the repository index: a model version and its state, or a model with no version loaded.</summary>
public sealed record RepositoryIndexEntry(string Name, string? Version, string State, string? Reason);
