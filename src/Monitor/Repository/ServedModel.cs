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
    private bool removed;

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
            if (this.removed)
            {
                throw InferenceRequestException.NotFound($"Model '{this.Name}' was removed from the repository.");
            }

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

    /// <summary>
    /// Makes a loaded version ready in one step and unloads the instance it replaces, if any, once
    /// that instance's last request ends.
    /// </summary>
    /// <returns>The replaced instance, already disposed, or null.</returns>
    internal LoadedModel? Publish(LoadedModel loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);

        LoadedModel? replaced;
        lock (this.gate)
        {
            SortedDictionary<long, LoadedModel> next = new(this.ready);
            next.TryGetValue(loaded.Version, out replaced);
            next[loaded.Version] = loaded;
            this.ready = next;
            this.states[loaded.Version] = new VersionStatus(loaded.Version, ModelVersionState.Ready, null);
        }

        replaced?.Dispose();
        return replaced;
    }

    /// <summary>Stops serving one version; it shows as unloading until its last request ends.</summary>
    /// <returns>The retired instance, already disposed, or null when the version was not ready.</returns>
    internal LoadedModel? Retire(long version)
    {
        LoadedModel? retired;
        VersionStatus unloading = new(version, ModelVersionState.Unloading, null);
        lock (this.gate)
        {
            if (!this.ready.TryGetValue(version, out retired))
            {
                return null;
            }

            SortedDictionary<long, LoadedModel> next = new(this.ready);
            next.Remove(version);
            this.ready = next;
            this.states[version] = unloading;
        }

        retired.Dispose();
        _ = retired.Unloaded.ContinueWith(_ => this.ForgetState(unloading), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        return retired;
    }

    /// <summary>Retires every version and returns 404 to later requests, for a model that left the repository.</summary>
    /// <returns>The retired instances, already disposed.</returns>
    internal IReadOnlyList<LoadedModel> Remove()
    {
        long[] versions;
        lock (this.gate)
        {
            this.removed = true;
            versions = this.ready.Keys.ToArray();
        }

        return versions.Select(this.Retire).OfType<LoadedModel>().ToArray();
    }

    /// <summary>Drops the state of a version that is neither ready nor unloading, such as a failed one whose folder is gone.</summary>
    internal void ClearState(long version)
    {
        lock (this.gate)
        {
            if (!this.ready.ContainsKey(version) && this.states.TryGetValue(version, out VersionStatus? status) && status.State != ModelVersionState.Unloading)
            {
                this.states.Remove(version);
            }
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

    private void ForgetState(VersionStatus unloading)
    {
        lock (this.gate)
        {
            // a newer load of the same version replaces the record, and then it stays
            if (this.states.TryGetValue(unloading.Version, out VersionStatus? current) && ReferenceEquals(current, unloading))
            {
                this.states.Remove(unloading.Version);
            }
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
