namespace Monitor.Cli;

/// <summary>What <c>monitor inspect</c> reports about one ONNX model.</summary>
internal sealed record ModelDescription(
    string Name,
    string Path,
    string Producer,
    string ProducerVersion,
    long IrVersion,
    long? Opset,
    IReadOnlyList<OperatorSet> Opsets,
    IReadOnlyList<TensorDescription> Inputs,
    IReadOnlyList<TensorDescription> Outputs,
    InferredSettings Inferred,
    IReadOnlyList<string> Warnings);

/// <summary>One graph input or output.</summary>
/// <param name="Name">The tensor name as the graph stores it.</param>
/// <param name="Datatype">The Open Inference Protocol datatype, for example <c>FP32</c>.</param>
/// <param name="Shape">The dimensions, with -1 for a symbolic one.</param>
/// <param name="Dimensions">The dimensions as text: the symbolic name (such as <c>unk__6</c>) or the size.</param>
internal sealed record TensorDescription(string Name, string Datatype, IReadOnlyList<long> Shape, IReadOnlyList<string> Dimensions)
{
    /// <summary>Formats the shape for people, for example <c>[unk__6, 4]</c>.</summary>
    public string FormatDimensions() => "[" + string.Join(", ", this.Dimensions) + "]";
}

/// <summary>How the daemon will treat the model, from the graph and <c>monitor.json</c>.</summary>
/// <param name="Task"><c>classification</c> or <c>regression</c>.</param>
/// <param name="Classes">The number of classes, 0 for regression.</param>
/// <param name="ClassNames">The class names by index, from <c>monitor.json</c> or the class indexes.</param>
/// <param name="ImageLayout"><c>NHWC</c> for a rank-4 input whose last dimension is 1 or 3 channels, otherwise null.</param>
/// <param name="Batching">Whether every input has a symbolic first dimension, so requests can be batched.</param>
/// <param name="InputScale">The factor applied to every input value, from <c>monitor.json</c>.</param>
/// <param name="InputOffset">The value added after scaling, from <c>monitor.json</c>.</param>
internal sealed record InferredSettings(
    string Task,
    int Classes,
    IReadOnlyList<string> ClassNames,
    string? ImageLayout,
    bool Batching,
    float InputScale,
    float InputOffset);
