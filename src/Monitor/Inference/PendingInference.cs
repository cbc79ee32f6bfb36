namespace Monitor.Inference;

/// <summary>A request waiting in a batching queue, completed by the batching loop.</summary>
internal sealed class PendingInference : IDisposable
{
    private readonly CancellationToken cancellationToken;
    private CancellationTokenRegistration registration;

    public PendingInference(InferenceInputs inputs, long enqueuedTimestamp, TimeSpan timeout, CancellationToken cancellationToken)
    {
        this.Inputs = inputs;
        this.EnqueuedTimestamp = enqueuedTimestamp;
        this.Timeout = timeout;
        this.cancellationToken = cancellationToken;
    }

    public InferenceInputs Inputs { get; }

    public long EnqueuedTimestamp { get; }

    public TimeSpan Timeout { get; }

    public TaskCompletionSource<OutputTensor[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes the request as cancelled when the caller goes away, so the loop skips it.</summary>
    public void RegisterCancellation()
    {
        if (this.cancellationToken.CanBeCanceled)
        {
            this.registration = this.cancellationToken.Register(
                static state => ((PendingInference)state!).Completion.TrySetCanceled(), this);
        }
    }

    /// <summary>Ends the registration and returns the input buffers; the batching loop calls it once per request.</summary>
    public void Dispose()
    {
        this.registration.Dispose();
        this.Inputs.ReturnBuffers();
    }
}
