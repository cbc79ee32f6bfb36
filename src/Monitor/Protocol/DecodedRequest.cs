using Monitor.Inference;

namespace Monitor.Protocol;

/// <summary>An inference request checked against the model's signature and decoded to float32 buffers.</summary>
/// <param name="Id">The request id to echo, or null.</param>
/// <param name="Inputs">The decoded inputs, in the model's input order.</param>
/// <param name="RequestedOutputs">Indexes of the outputs to return, in model order; every output when none were named.</param>
/// <param name="Classification">Whether the response adds the top class and its confidence per row.</param>
public sealed record DecodedRequest(string? Id, InferenceInputs Inputs, int[] RequestedOutputs, bool Classification);
