using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Monitor.Inference;
using Monitor.Telemetry;

namespace Monitor.Repository;

/// <summary>
/// Brings the served versions in line with the repository folder. New and changed files load once
/// they have settled, and each replaces its version in one step. Versions that the policy or the
/// folder drops are unloaded, and a new file that fails to load leaves the old version serving.
/// </summary>
public sealed partial class ModelRegistry
{
    // one pass at a time: the watcher, the rescan timer and the control endpoints all synchronize
    private readonly SemaphoreSlim synchronizeGate = new(1, 1);

    // the fingerprint of the last load attempt per version, so that an unchanged file is tried once
    private readonly Dictionary<(string Model, long Version), FileFingerprint> attempted = [];

    // the first sighting of a new or changed file that has not settled yet
    private readonly Dictionary<(string Model, long Version), (FileFingerprint Fingerprint, long SeenTimestamp)> unsettled = [];

    // settings files that failed to parse, so that each failure is logged once
    private readonly Dictionary<string, FileFingerprint> invalidSettings = new(StringComparer.Ordinal);

    private readonly HashSet<string> loggedSkips = new(StringComparer.Ordinal);
    private volatile bool hasUnsettledFiles;

    /// <summary>Gets whether the last pass saw a file that has not settled, so that the next pass is due after the settle time.</summary>
    public bool HasUnsettledFiles => this.hasUnsettledFiles;

    /// <summary>Rescans the repository and applies what changed.</summary>
    /// <param name="settle">Whether new or changed files must stay unchanged for <c>Monitor:RepositorySettleSeconds</c> before they load.</param>
    /// <param name="cancellationToken">Stops the pass between models.</param>
    public void Synchronize(bool settle, CancellationToken cancellationToken)
    {
        this.synchronizeGate.Wait(cancellationToken);
        try
        {
            this.SynchronizeCore(settle, onlyModel: null, cancellationToken);
        }
        finally
        {
            this.synchronizeGate.Release();
        }
    }

    private void SynchronizeCore(bool settle, string? onlyModel, CancellationToken cancellationToken)
    {
        IReadOnlyList<ModelEntry>? entries = this.ScanRepository(rethrow: !this.initialLoadDone);
        if (entries is null)
        {
            return;
        }

        Dictionary<string, ModelEntry> byName = entries.ToDictionary(entry => entry.Name, StringComparer.Ordinal);
        foreach (string name in this.models.Keys.ToArray())
        {
            if (!byName.ContainsKey(name) && (onlyModel is null || onlyModel == name))
            {
                this.RemoveModel(name, "its folder left the repository or holds no version");
            }
        }

        foreach (string name in this.unloadedByRequest.Keys.Where(name => !byName.ContainsKey(name)))
        {
            this.unloadedByRequest.TryRemove(name, out _);
        }

        bool waiting = false;
        foreach (ModelEntry entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if ((onlyModel is null || onlyModel == entry.Name) && !this.unloadedByRequest.ContainsKey(entry.Name))
            {
                waiting |= this.SynchronizeModel(entry, settle);
            }
        }

        // a pass over one model keeps what the last full pass found about the others
        this.hasUnsettledFiles = onlyModel is null ? waiting : this.hasUnsettledFiles || waiting;
    }

    /// <summary>Scans the repository; after the first pass a failed scan is logged and changes nothing.</summary>
    private IReadOnlyList<ModelEntry>? ScanRepository(bool rethrow)
    {
        List<string> skipped = [];
        IReadOnlyList<ModelEntry> entries;
        try
        {
            entries = ModelRepositoryScanner.Scan(this.options.ModelRepository, skipped);
        }
        catch (Exception exception) when (!rethrow && exception is IOException or UnauthorizedAccessException)
        {
            this.logger.RepositoryScanFailed(this.options.ModelRepository, exception.Message, exception);
            return null;
        }

        foreach (string reason in skipped)
        {
            if (this.loggedSkips.Add(reason))
            {
                this.logger.RepositoryEntrySkipped(reason);
            }
        }

        return entries;
    }

    /// <summary>Loads, replaces and retires the versions of one model; returns whether a file waits to settle.</summary>
    private bool SynchronizeModel(ModelEntry entry, bool settle)
    {
        string settingsPath = Path.Combine(entry.Directory, ModelSettings.FileName);
        ModelSettings? settings = this.ReadSettings(entry, settingsPath);
        if (settings is null)
        {
            return false;
        }

        // a new model is registered once its first load attempt ends, so that requests get 404
        // rather than 503 while its files settle and load
        ServedModel? served = this.models.GetValueOrDefault(entry.Name);
        bool isNew = served is null;
        IReadOnlyList<ModelVersionEntry> selected = (settings.VersionPolicy ?? VersionPolicy.Default).Select(entry.Versions);
        bool waiting = false;
        foreach (ModelVersionEntry version in selected)
        {
            (string, long) key = (entry.Name, version.Version);
            FileFingerprint fingerprint;
            try
            {
                fingerprint = FileFingerprint.Of(version.ModelPath, settingsPath);
            }
            catch (IOException)
            {
                // removed between the scan and now; the next pass finds the folder as it is then
                continue;
            }

            if (this.attempted.TryGetValue(key, out FileFingerprint? previous) && previous == fingerprint)
            {
                this.unsettled.Remove(key);
                continue;
            }

            if (settle && !this.IsSettled(key, fingerprint))
            {
                this.logger.ModelFileNotSettled(entry.Name, version.Version, version.ModelPath);
                waiting = true;
                continue;
            }

            this.unsettled.Remove(key);
            this.attempted[key] = fingerprint;
            served ??= new ServedModel(entry.Name);
            this.LoadVersion(served, version, settings);
        }

        if (served is not null)
        {
            if (isNew)
            {
                served = this.models.GetOrAdd(entry.Name, served);
            }

            this.RetireUnselected(served, selected);
        }

        return waiting;
    }

    private bool IsSettled((string, long) key, FileFingerprint fingerprint)
    {
        TimeSpan settleTime = TimeSpan.FromSeconds(this.options.RepositorySettleSeconds);
        if (DateTime.UtcNow - fingerprint.LastWriteTimeUtc >= settleTime)
        {
            return true;
        }

        if (this.unsettled.TryGetValue(key, out (FileFingerprint Fingerprint, long SeenTimestamp) seen) && seen.Fingerprint == fingerprint)
        {
            return Stopwatch.GetElapsedTime(seen.SeenTimestamp) >= settleTime;
        }

        this.unsettled[key] = (fingerprint, Stopwatch.GetTimestamp());
        return false;
    }

    /// <summary>Reads <c>monitor.json</c>; when it is invalid, reports that once per file change and returns null, so that nothing changes.</summary>
    private ModelSettings? ReadSettings(ModelEntry entry, string settingsPath)
    {
        try
        {
            ModelSettings settings = ModelSettings.Load(entry.Directory);
            this.invalidSettings.Remove(entry.Name);
            return settings;
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            FileFingerprint fingerprint;
            try
            {
                fingerprint = FileFingerprint.Of(entry.Versions[^1].ModelPath, settingsPath);
            }
            catch (IOException)
            {
                return null;
            }

            if (this.invalidSettings.TryGetValue(entry.Name, out FileFingerprint? reported) && reported == fingerprint)
            {
                return null;
            }

            // the highest version stands for the model, as the default policy would serve it
            this.invalidSettings[entry.Name] = fingerprint;
            ModelVersionEntry latest = entry.Versions[^1];
            string versionLabel = latest.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            this.logger.ModelLoadFailed(entry.Name, latest.Version, settingsPath, exception.Message, exception);
            this.metrics.RecordLoadFailure(entry.Name, versionLabel);
            this.models.GetOrAdd(entry.Name, name => new ServedModel(name)).SetState(latest.Version, ModelVersionState.Failed, exception.Message);
            return null;
        }
    }

    private void LoadVersion(ServedModel served, ModelVersionEntry version, ModelSettings settings)
    {
        served.SetState(version.Version, ModelVersionState.Loading, null);
        try
        {
            LoadedModel loaded = this.loader.Load(served.Name, version, settings);
            LoadedModel? replaced = served.Publish(loaded);
            if (replaced is not null)
            {
                this.logger.ModelReplaced(served.Name, version.Version, version.ModelPath);
                this.LogWhenUnloaded(replaced);
            }
        }
        catch (ModelLoadException exception)
        {
            // the loader logged and counted the failure; a ready instance of this version keeps serving
            served.SetState(version.Version, ModelVersionState.Failed, exception.Message);
        }
    }

    /// <summary>
    /// Retires the ready versions that the policy no longer selects, but only once a selected
    /// version is ready, so that a failed new version leaves the old one serving.
    /// </summary>
    private void RetireUnselected(ServedModel served, IReadOnlyList<ModelVersionEntry> selected)
    {
        HashSet<long> selectedVersions = selected.Select(version => version.Version).ToHashSet();
        IReadOnlyList<LoadedModel> ready = served.ReadyVersions;
        if (ready.Any(loaded => selectedVersions.Contains(loaded.Version)))
        {
            foreach (LoadedModel loaded in ready.Where(loaded => !selectedVersions.Contains(loaded.Version)))
            {
                this.RetireVersion(served, loaded.Version);
            }
        }

        HashSet<long> stillReady = served.ReadyVersions.Select(loaded => loaded.Version).ToHashSet();
        foreach (VersionStatus status in served.States)
        {
            if (!selectedVersions.Contains(status.Version) && !stillReady.Contains(status.Version))
            {
                served.ClearState(status.Version);
                this.attempted.Remove((served.Name, status.Version));
                this.unsettled.Remove((served.Name, status.Version));
            }
        }
    }

    private void RetireVersion(ServedModel served, long version)
    {
        LoadedModel? retired = served.Retire(version);
        this.attempted.Remove((served.Name, version));
        if (retired is not null)
        {
            this.logger.RetiringModel(served.Name, version);
            this.LogWhenUnloaded(retired);
        }
    }

    /// <summary>Stops serving a model: later requests get 404 and each version unloads after its last request.</summary>
    private void RemoveModel(string name, string reason)
    {
        if (this.models.TryRemove(name, out ServedModel? served))
        {
            this.logger.ModelRemoved(name, reason);
            foreach (LoadedModel retired in served.Remove())
            {
                this.LogWhenUnloaded(retired);
            }
        }

        foreach ((string Model, long Version) key in this.attempted.Keys.Where(key => key.Model == name).ToArray())
        {
            this.attempted.Remove(key);
        }

        foreach ((string Model, long Version) key in this.unsettled.Keys.Where(key => key.Model == name).ToArray())
        {
            this.unsettled.Remove(key);
        }

        this.invalidSettings.Remove(name);
    }

    private void LogWhenUnloaded(LoadedModel model) =>
        _ = model.Unloaded.ContinueWith(
            _ => this.logger.UnloadedModel(model.Name, model.Version), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

    /// <summary>
    /// Unloads every version for shutdown, after the requests that hold them end, and waits for
    /// their queues to drain until <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        LoadedModel[] loaded = this.models.Values.SelectMany(model => model.ReadyVersions).ToArray();
        this.Dispose();
        try
        {
            await Task.WhenAll(loaded.Select(model => model.Unloaded)).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            this.logger.DrainTimedOut(loaded.Count(model => !model.Unloaded.IsCompleted));
        }
    }
}
