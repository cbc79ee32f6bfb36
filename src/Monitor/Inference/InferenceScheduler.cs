using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Monitor.Hosting;
using Monitor.Telemetry;
using Polly.CircuitBreaker;

namespace Monitor.Inference;

/// <summary>
/// Runs the requests of one model version. With batching on, requests wait in a queue bounded by
/// the queue capacity, and one loop stacks their rows along the batch dimension into batches that
/// close at the maximum batch size or after the maximum queue delay. Up to the configured number
/// of batches run at once, and each batch's outputs are split back to its requests.
/// With batching off, each request runs on its own thread as it arrives.
/// </summary>
internal sealed class InferenceScheduler
{
    private readonly LoadedModel model;
    private readonly MonitorMetrics metrics;
    private readonly ILogger logger;
    private readonly Channel<PendingInference>? queue;
    private readonly Task? loop;
    private int waiting;

    public InferenceScheduler(LoadedModel model, BatchingOptions batching, MonitorMetrics metrics, ILogger logger)
    {
        this.model = model;
        this.metrics = metrics;
        this.logger = logger;
        this.Batching = batching;

        if (batching.Enabled && model.CanBatch && batching.MaxBatchSize > 1)
        {
            // the capacity is enforced by the waiting count, which includes the batch being formed
            this.queue = Channel.CreateUnbounded<PendingInference>(new UnboundedChannelOptions
            {
                SingleReader = true,
                SingleWriter = false,
            });
            this.loop = Task.Run(this.RunBatchesAsync);
        }
    }

    public BatchingOptions Batching { get; }

    /// <summary>Gets whether requests are batched.</summary>
    public bool IsBatching => this.queue is not null;

    /// <summary>Gets the requests waiting for compute: queued, or in a batch that has not started running.</summary>
    public int QueueDepth => Volatile.Read(ref this.waiting);

    /// <summary>Runs one request: queued for a batch when batching is on, else at once. Takes ownership of the input buffers.</summary>
    /// <exception cref="InferenceRequestException">The queue is full, or the deadline passed while queued.</exception>
    public Task<OutputTensor[]> InferAsync(InferenceInputs inputs, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (this.queue is null)
        {
            try
            {
                return Task.FromResult(this.RunAlone(inputs));
            }
            finally
            {
                inputs.ReturnBuffers();
            }
        }

        if (Interlocked.Increment(ref this.waiting) > this.Batching.QueueCapacity)
        {
            Interlocked.Decrement(ref this.waiting);
            inputs.ReturnBuffers();
            throw InferenceRequestException.QueueFull(this.model.Name, this.model.Version, this.Batching.QueueCapacity);
        }

        PendingInference pending = new(inputs, Stopwatch.GetTimestamp(), timeout, cancellationToken);
        if (!this.queue.Writer.TryWrite(pending))
        {
            Interlocked.Decrement(ref this.waiting);
            inputs.ReturnBuffers();
            throw new InferenceRequestException(
                StatusCodes.Status503ServiceUnavailable, Outcomes.Unavailable,
                $"Model '{this.model.Name}' version {this.model.Version} is unloading; retry, and the request goes to the version that replaces it.")
            { RetryAfterSeconds = 1 };
        }

        pending.RegisterCancellation();
        return pending.Completion.Task;
    }

    /// <summary>Stops taking requests; queued ones still run.</summary>
    public void Complete()
    {
        this.queue?.Writer.TryComplete();
    }

    /// <summary>Waits for the queue to drain after <see cref="Complete"/>.</summary>
    public Task Completion => this.loop ?? Task.CompletedTask;

    private OutputTensor[] RunAlone(InferenceInputs inputs)
    {
        long started = Stopwatch.GetTimestamp();
        using IDisposableReadOnlyCollection<OrtValue> results = this.RunThroughBreaker(inputs.Buffers, inputs.Shapes);
        this.metrics.RecordBatch(this.model.Name, this.model.VersionLabel, this.model.Provider, inputs.Rows, Stopwatch.GetElapsedTime(started).TotalSeconds);
        return this.CopyOutputs(results, 0, inputs.Rows, inputs.Rows);
    }

    private async Task RunBatchesAsync()
    {
        ChannelReader<PendingInference> reader = this.queue!.Reader;
        TimeSpan maxDelay = TimeSpan.FromMilliseconds(this.Batching.MaxQueueDelayMilliseconds);
        using SemaphoreSlim running = new(this.Batching.MaxConcurrentBatches);
        List<Task> inFlight = [];

        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // a new batch starts forming only when a run slot is free, so queued requests keep batching up
            await running.WaitAsync().ConfigureAwait(false);
            List<PendingInference> batch = new(this.Batching.MaxBatchSize);
            int rows = 0;
            long firstArrival = 0;

            // fill the batch until it is full or the first request has waited the maximum delay
            while (rows < this.Batching.MaxBatchSize)
            {
                if (reader.TryPeek(out PendingInference? next))
                {
                    if (rows > 0 && rows + next.Inputs.Rows > this.Batching.MaxBatchSize)
                    {
                        break;
                    }

                    reader.TryRead(out _);
                    if (!this.Admit(next))
                    {
                        continue;
                    }

                    if (batch.Count == 0)
                    {
                        firstArrival = next.EnqueuedTimestamp;
                    }

                    batch.Add(next);
                    rows += next.Inputs.Rows;
                    continue;
                }

                if (batch.Count == 0)
                {
                    break;
                }

                TimeSpan remaining = maxDelay - Stopwatch.GetElapsedTime(firstArrival);
                if (remaining <= TimeSpan.Zero || !await WaitForMoreAsync(reader, remaining).ConfigureAwait(false))
                {
                    break;
                }
            }

            if (batch.Count == 0)
            {
                running.Release();
                continue;
            }

            int batchRows = rows;
            inFlight.RemoveAll(task => task.IsCompleted);
            inFlight.Add(Task.Run(() =>
            {
                try
                {
                    this.RunBatch(batch, batchRows);
                }
                finally
                {
                    running.Release();
                }
            }));
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
    }

    /// <summary>Waits for another queued request; false when the delay ran out or the queue completed.</summary>
    /// <remarks>
    /// Each wait gets its own source because <see cref="CancellationTokenSource.TryReset"/> fails
    /// once a timer has fired, and a shared source would then end every later wait at once.
    /// </remarks>
    private static async Task<bool> WaitForMoreAsync(ChannelReader<PendingInference> reader, TimeSpan remaining)
    {
        using CancellationTokenSource delay = new(remaining);
        try
        {
            return await reader.WaitToReadAsync(delay.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (delay.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Drops a request whose caller went away or whose deadline passed while it waited.</summary>
    private bool Admit(PendingInference pending)
    {
        bool admitted = this.AdmitCore(pending);
        if (!admitted)
        {
            Interlocked.Decrement(ref this.waiting);
        }

        return admitted;
    }

    private bool AdmitCore(PendingInference pending)
    {
        double waited = Stopwatch.GetElapsedTime(pending.EnqueuedTimestamp).TotalSeconds;
        if (pending.Completion.Task.IsCompleted)
        {
            this.metrics.RecordRejected(this.model.Name, this.model.VersionLabel, RejectionReasons.Cancelled);
            pending.Dispose();
            return false;
        }

        if (waited > pending.Timeout.TotalSeconds)
        {
            pending.Completion.TrySetException(InferenceRequestException.DeadlineExceeded(this.model.Name, this.model.Version, pending.Timeout));
            pending.Dispose();
            return false;
        }

        return true;
    }

    private void RunBatch(List<PendingInference> batch, int rows)
    {
        Interlocked.Add(ref this.waiting, -batch.Count);

        // requests cancelled or timed out while the batch formed are dropped before compute
        foreach (PendingInference expired in batch.Where(pending => pending.Completion.Task.IsCompleted))
        {
            this.metrics.RecordRejected(this.model.Name, this.model.VersionLabel, RejectionReasons.Cancelled);
            rows -= expired.Inputs.Rows;
            expired.Dispose();
        }

        batch.RemoveAll(pending => pending.Completion.Task.IsCompleted);
        if (batch.Count == 0)
        {
            return;
        }

        // queue wait ends when the batch runs, so it includes the time spent in the forming batch
        foreach (PendingInference pending in batch)
        {
            this.metrics.RecordQueueDuration(this.model.Name, this.model.VersionLabel, Stopwatch.GetElapsedTime(pending.EnqueuedTimestamp).TotalSeconds);
        }

        float[][]? rented = null;
        try
        {
            float[][] buffers;
            long[][] shapes;
            if (batch.Count == 1)
            {
                buffers = batch[0].Inputs.Buffers;
                shapes = batch[0].Inputs.Shapes;
            }
            else
            {
                (rented, shapes) = BatchAssembler.Stack(batch.Select(pending => pending.Inputs).ToArray(), this.model.Inputs, rows);
                buffers = rented;
            }

            long started = Stopwatch.GetTimestamp();
            using IDisposableReadOnlyCollection<OrtValue> results = this.RunThroughBreaker(buffers, shapes);
            this.metrics.RecordBatch(this.model.Name, this.model.VersionLabel, this.model.Provider, rows, Stopwatch.GetElapsedTime(started).TotalSeconds);

            int offset = 0;
            foreach (PendingInference pending in batch)
            {
                pending.Completion.TrySetResult(this.CopyOutputs(results, offset, pending.Inputs.Rows, rows));
                offset += pending.Inputs.Rows;
            }
        }
        catch (Exception exception) when (exception is OnnxRuntimeException or InferenceRequestException or InvalidOperationException or ArgumentException)
        {
            if (exception is OnnxRuntimeException)
            {
                this.logger.InferenceFailed(this.model.Name, this.model.Version, rows, exception);
            }

            foreach (PendingInference pending in batch)
            {
                pending.Completion.TrySetException(exception);
            }
        }
        finally
        {
            if (rented is not null)
            {
                foreach (float[] buffer in rented)
                {
                    ArrayPool<float>.Shared.Return(buffer);
                }
            }

            foreach (PendingInference pending in batch)
            {
                pending.Dispose();
            }
        }
    }

    /// <summary>Runs one batch inside the version's circuit breaker; an open circuit becomes a 503.</summary>
    private IDisposableReadOnlyCollection<OrtValue> RunThroughBreaker(float[][] buffers, long[][] shapes)
    {
        try
        {
            return this.model.CircuitBreaker.Execute(
                static state => state.Model.Run(state.Buffers, state.Shapes),
                (Model: this.model, Buffers: buffers, Shapes: shapes));
        }
        catch (BrokenCircuitException exception)
        {
            throw this.CircuitOpen(exception);
        }
    }

    private InferenceRequestException CircuitOpen(BrokenCircuitException exception)
    {
        int retryAfter = (int)Math.Ceiling(exception.RetryAfter?.TotalSeconds ?? 1);
        return new InferenceRequestException(
            StatusCodes.Status503ServiceUnavailable, Outcomes.Unavailable,
            $"Model '{this.model.Name}' version {this.model.Version} failed repeatedly and its circuit breaker is open; retry after {retryAfter} s.",
            RejectionReasons.CircuitOpen, exception)
        { RetryAfterSeconds = Math.Max(retryAfter, 1) };
    }

    /// <summary>Copies rows [first, first + count) of every output into arrays the response can keep.</summary>
    private OutputTensor[] CopyOutputs(IDisposableReadOnlyCollection<OrtValue> results, int first, int count, int batchRows)
    {
        OutputTensor[] outputs = new OutputTensor[results.Count];
        for (int i = 0; i < results.Count; i++)
        {
            OrtValue value = results[i];
            long[] shape = value.GetTensorTypeAndShape().Shape;
            ReadOnlySpan<float> data = value.GetTensorDataAsSpan<float>();
            int rowSize = batchRows == 0 ? 0 : data.Length / batchRows;

            long[] requestShape = (long[])shape.Clone();
            if (requestShape.Length > 0)
            {
                requestShape[0] = count;
            }

            outputs[i] = new OutputTensor(this.model.Outputs[i], requestShape, data.Slice(first * rowSize, count * rowSize).ToArray());
        }

        return outputs;
    }
}
