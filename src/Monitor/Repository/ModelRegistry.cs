using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Monitor.Hosting;
using Monitor.Inference;
using Monitor.Telemetry;

namespace Monitor.Repository;

/// <summary>
/// The models the daemon serves, by name and version. Request paths are looked up here and
/// never turned into file paths.
/// </summary>
public sealed partial class ModelRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, ServedModel> models = new(StringComparer.Ordinal);
    private readonly MonitorOptions options;
    private readonly ModelLoader loader;
    private readonly ILogger<ModelRegistry> logger;
    private readonly MonitorMetrics metrics;
    private volatile bool initialLoadDone;

    public ModelRegistry(IOptions<MonitorOptions> options, ModelLoader loader, MonitorMetrics metrics, ILogger<ModelRegistry> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);

        this.options = options.Value;
        this.loader = loader;
        this.logger = logger;
        this.metrics = metrics;

        metrics.Meter.CreateObservableGauge("monitor.model.loaded", this.ObserveLoaded, description: "1 while a model version is loaded and serving.");
        metrics.Meter.CreateObservableGauge("monitor.inference.queue.depth", this.ObserveQueueDepth, "{request}", "Requests waiting in the batching queue.");
        metrics.Meter.CreateObservableGauge("monitor.inference.circuit.state", this.ObserveCircuitState, description: "Circuit breaker state: 0 closed, 1 open, 2 half-open.");
    }

    /// <summary>Gets whether the server is ready: the first load pass is over and the readiness rule holds.</summary>
    public bool IsReady
    {
        get
        {
            if (!this.initialLoadDone || this.models.IsEmpty)
            {
                return false;
            }

            return this.options.StrictReadiness
                ? this.models.Values.All(model => model.Latest is not null)
                : this.models.Values.Any(model => model.Latest is not null);
        }
    }

    public IReadOnlyCollection<ServedModel> Models => this.models.Values.OrderBy(model => model.Name, StringComparer.Ordinal).ToArray();

    /// <summary>Loads the versions that each model's policy selects, at once, without waiting for files to settle.</summary>
    public void LoadRepository()
    {
        this.Synchronize(settle: false, CancellationToken.None);
        this.initialLoadDone = true;
        this.logger.RepositoryLoaded(this.options.ModelRepository, this.models.Values.Count(model => model.Latest is not null), this.models.Count);
    }

    /// <summary>Finds a model by the name in a request path.</summary>
    /// <exception cref="InferenceRequestException">The name is invalid or no such model is served.</exception>
    public ServedModel GetModel(string name)
    {
        if (!ModelRepositoryScanner.IsValidModelName(name))
        {
            throw new InferenceRequestException(
                $"Model name '{name}' is invalid: use letters, digits, '_', '-' and '.', starting with a letter or digit, as the repository folder is named.");
        }

        if (!this.models.TryGetValue(name, out ServedModel? model))
        {
            throw InferenceRequestException.NotFound(
                $"Model '{name}' was not found; models served: {string.Join(", ", this.models.Keys.Order(StringComparer.Ordinal))}.");
        }

        return model;
    }

    /// <summary>Takes a lease on a ready version: the named one, else the latest.</summary>
    /// <exception cref="InferenceRequestException">The version is invalid, not found or not ready.</exception>
    public LoadedModel AcquireVersion(string name, string? version)
    {
        ServedModel model = this.GetModel(name);
        for (int attempt = 0; attempt < 3; attempt++)
        {
            LoadedModel loaded = model.Resolve(version);
            if (loaded.TryAcquire())
            {
                return loaded;
            }
        }

        throw new InferenceRequestException(
            Microsoft.AspNetCore.Http.StatusCodes.Status503ServiceUnavailable, Outcomes.Unavailable,
            $"Model '{name}' is being replaced; retry the request.");
    }

    public void Dispose()
    {
        foreach (ServedModel model in this.models.Values)
        {
            model.Dispose();
        }

        this.models.Clear();
    }

    private IEnumerable<Measurement<int>> ObserveLoaded()
    {
        foreach (ServedModel model in this.models.Values)
        {
            foreach (LoadedModel loaded in model.ReadyVersions)
            {
                yield return new Measurement<int>(1, new("model", loaded.Name), new("version", loaded.VersionLabel), new("provider", loaded.Provider));
            }
        }
    }

    private IEnumerable<Measurement<int>> ObserveCircuitState()
    {
        foreach (ServedModel model in this.models.Values)
        {
            foreach (LoadedModel loaded in model.ReadyVersions)
            {
                int state = loaded.CircuitStateProvider?.CircuitState switch
                {
                    Polly.CircuitBreaker.CircuitState.Open or Polly.CircuitBreaker.CircuitState.Isolated => 1,
                    Polly.CircuitBreaker.CircuitState.HalfOpen => 2,
                    _ => 0,
                };
                yield return new Measurement<int>(state, new("model", loaded.Name), new("version", loaded.VersionLabel));
            }
        }
    }

    private IEnumerable<Measurement<int>> ObserveQueueDepth()
    {
        foreach (ServedModel model in this.models.Values)
        {
            foreach (LoadedModel loaded in model.ReadyVersions)
            {
                if (loaded.Scheduler is { IsBatching: true } scheduler)
                {
                    yield return new Measurement<int>(scheduler.QueueDepth, new("model", loaded.Name), new("version", loaded.VersionLabel));
                }
            }
        }
    }
}
