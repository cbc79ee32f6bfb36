using System.Globalization;
using Monitor.Inference;
using Monitor.Telemetry;

namespace Monitor.Repository;

/// <summary>
/// One model of the repository: its ready versions and the state of every version it tried.
/// Replacing a version publishes the new one first, then disposes the old one, whose session
/// lives until its last request ends.
/// </summary>
public sealed class ServedModel : IDisposable
{
    private readonly object gate = new();
    private SortedDictionary<long, LoadedModel> ready = [];
    private readonly SortedDictionary<long, VersionStatus> states = [];

    public ServedModel(string name)
    {
        this.Name = name;
    }

    public string Name { get; }

    /// <summary>Gets the highest ready version, or null when none is ready.</summary>
    public LoadedModel? Latest
    {
        get
        {
            lock (this.gate)
            {
                return this.ready.Count == 0 ? null : this.ready.Values.Last();
            }
        }
    }

    public IReadOnlyList<LoadedModel> ReadyVersions
    {
        get
        {
            lock (this.gate)
            {
                return this.ready.Values.ToArray();
            }
        }
    }

    /// <summary>Gets the state of every version this model has tried to load, lowest first.</summary>
    public IReadOnlyList<VersionStatus> States
    {
        get
        {
            lock (this.gate)
            {
                return this.states.Values.ToArray();
            }
        }
    }

    /// <summary>Finds the named ready version, or the latest when <paramref name="version"/> is null.</summary>
    /// <exception cref="InferenceRequestException">The version is not a positive integer, not found or not ready.</exception>
    public LoadedModel Resolve(string? version)
    {
        lock (this.gate)
        {
            if (version is null)
            {
                return this.ready.Count > 0
                    ? this.ready.Values.Last()
                    : throw new InferenceRequestException(
                        Microsoft.AspNetCore.Http.StatusCodes.Status503ServiceUnavailable, Outcomes.Unavailable,
                        $"Model '{this.Name}' has no ready version{this.DescribeFailure()}.");
            }

            if (!long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out long number) || number < 1)
            {
                throw new InferenceRequestException($"Version '{version}' of model '{this.Name}' is invalid: versions are positive integers.");
            }

            if (this.ready.TryGetValue(number, out LoadedModel? loaded))
            {
                return loaded;
            }

            throw InferenceRequestException.NotFound(
                $"Model '{this.Name}' version {number} is not ready; ready versions: [{string.Join(", ", this.ready.Keys)}].");
        }
    }

    internal void SetState(long version, ModelVersionState state, string? error)
    {
        lock (this.gate)
        {
            this.states[version] = new VersionStatus(version, state, error);
        }
    }

    /// <summary>Makes a loaded version ready and unloads the versions it replaces.</summary>
    internal void Publish(LoadedModel loaded, int keepVersions = 1)
    {
        List<LoadedModel> retired = [];
        lock (this.gate)
        {
            SortedDictionary<long, LoadedModel> next = new(this.ready) { [loaded.Version] = loaded };
            while (next.Count > keepVersions)
            {
                long oldest = next.Keys.First();
                retired.Add(next[oldest]);
                next.Remove(oldest);
                this.states[oldest] = new VersionStatus(oldest, ModelVersionState.Unloading, null);
            }

            this.ready = next;
            this.states[loaded.Version] = new VersionStatus(loaded.Version, ModelVersionState.Ready, null);
        }

        foreach (LoadedModel model in retired)
        {
            model.Dispose();
        }
    }

    public void Dispose()
    {
        lock (this.gate)
        {
            foreach (LoadedModel model in this.ready.Values)
            {
                model.Dispose();
            }

            this.ready = [];
        }
    }

    private string DescribeFailure()
    {
        VersionStatus? failed = this.states.Values.LastOrDefault(status => status.State == ModelVersionState.Failed);
        return failed is null ? string.Empty : $" (version {failed.Version} failed to load: {failed.Error})";
    }
}

/// <summary>The state of one version and, when it failed, why.</summary>
public sealed record VersionStatus(long Version, ModelVersionState State, string? Error);
