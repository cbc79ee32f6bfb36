using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Monitor.Inference;
using Monitor.Repository;

namespace Monitor.Cli;

/// <summary>Describes an ONNX model: its signature, producer, operator sets and how Monitor will serve it.</summary>
internal static class ModelInspector
{
    /// <exception cref="CommandException">The file is not a valid ONNX model or <c>monitor.json</c> is invalid (exit code 2).</exception>
    public static ModelDescription Describe(ModelLocation location)
    {
        ModelSettings settings = LoadSettings(location);
        OnnxModelProto proto = ReadProto(location.ModelPath);

        using InferenceSession session = ModelSessions.Open(location.ModelPath);
        TensorSpec[] inputs = [.. session.InputMetadata.Select(pair => TensorSpec.FromMetadata(pair.Key, pair.Value))];
        TensorSpec[] outputs = [.. session.OutputMetadata.Select(pair => TensorSpec.FromMetadata(pair.Key, pair.Value))];
        string producer = session.ModelMetadata.ProducerName;

        return new ModelDescription(
            location.Name,
            location.ModelPath,
            producer.Length > 0 ? producer : proto.ProducerName,
            proto.ProducerVersion,
            proto.IrVersion,
            proto.DefaultOpset,
            proto.OperatorSets,
            [.. inputs.Select(Describe)],
            [.. outputs.Select(Describe)],
            Infer(settings, inputs, outputs),
            FindWarnings(settings, inputs, outputs));
    }

    /// <summary>Gets the task Monitor serves a model as: the one in <c>monitor.json</c>, else classification when the first output's last dimension is above 1.</summary>
    public static ModelTask InferTask(ModelSettings settings, TensorSpec firstOutput) =>
        settings.Task ?? (firstOutput.Rank >= 2 && firstOutput.Dimensions[^1] > 1 ? ModelTask.Classification : ModelTask.Regression);

    /// <summary>Gets the class names by index: those in <c>monitor.json</c>, else the indexes as text.</summary>
    public static IReadOnlyList<string> ClassNamesOf(ModelSettings settings, int classCount) =>
        settings.ClassNames ?? [.. Enumerable.Range(0, classCount).Select(index => index.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private static ModelSettings LoadSettings(ModelLocation location)
    {
        try
        {
            return location.LoadSettings();
        }
        catch (InvalidDataException exception)
        {
            throw CommandException.Usage(exception.Message, exception);
        }
    }

    private static OnnxModelProto ReadProto(string path)
    {
        try
        {
            return OnnxModelProto.Read(path);
        }
        catch (InvalidProtocolBufferException exception)
        {
            throw CommandException.Usage($"'{path}' is not an ONNX model: {exception.Message}", exception);
        }
    }

    private static TensorDescription Describe(TensorSpec spec)
    {
        string[] dimensions = new string[spec.Rank];
        for (int i = 0; i < spec.Rank; i++)
        {
            string symbolic = spec.SymbolicDimensions[i];
            dimensions[i] = spec.Dimensions[i] >= 0
                ? spec.Dimensions[i].ToString(System.Globalization.CultureInfo.InvariantCulture)
                : symbolic.Length > 0 ? symbolic : "?";
        }

        return new TensorDescription(spec.Name, spec.Datatype, spec.Dimensions, dimensions);
    }

    private static InferredSettings Infer(ModelSettings settings, TensorSpec[] inputs, TensorSpec[] outputs)
    {
        ModelTask task = outputs.Length == 0 ? ModelTask.Regression : InferTask(settings, outputs[0]);
        int classes = task == ModelTask.Classification ? (int)Math.Max(outputs[0].Dimensions[^1], 1) : 0;
        bool nhwc = inputs.Length > 0 && IsNhwc(inputs[0]);
        bool batching = inputs.Length > 0 && inputs.All(input => input.HasDynamicBatch && !input.HasSymbolicInnerDimension);

        return new InferredSettings(
            task.ToString().ToLowerInvariant(),
            classes,
            ClassNamesOf(settings, classes),
            nhwc ? "NHWC" : null,
            batching,
            settings.Input.Scale,
            settings.Input.Offset);
    }

    private static bool IsNhwc(TensorSpec input) => input.Rank == 4 && input.Dimensions[3] is 1 or 3;

    private static List<string> FindWarnings(ModelSettings settings, TensorSpec[] inputs, TensorSpec[] outputs)
    {
        List<string> warnings = [];
        if (inputs.Length == 0 || outputs.Length == 0)
        {
            warnings.Add("The graph has no inputs or no outputs; the daemon will not load it.");
        }

        foreach (TensorSpec tensor in inputs.Concat(outputs))
        {
            if (tensor.ElementType != TensorElementType.Float)
            {
                warnings.Add($"Tensor '{tensor.Name}' is {tensor.Datatype}; the daemon loads only models whose inputs and outputs are FP32.");
            }
        }

        foreach (TensorSpec input in inputs)
        {
            if (input.Rank > 0 && !input.HasDynamicBatch)
            {
                warnings.Add($"Input '{input.Name}' has a fixed batch dimension of {input.Dimensions[0]}; every request must send exactly that many rows and the daemon cannot batch requests.");
            }

            if (input.HasSymbolicInnerDimension)
            {
                warnings.Add($"Input '{input.Name}' has a symbolic dimension after the first; requests must give the full shape and the daemon cannot batch them.");
            }

            if (input.Rank == 4 && input.Dimensions[1] is 1 or 3 && input.Dimensions[3] is not (1 or 3))
            {
                warnings.Add($"Input '{input.Name}' looks like NCHW (channels first); Keras exports are NHWC, so check the preprocessing.");
            }
        }

        if (inputs.Length > 1)
        {
            warnings.Add($"The graph has {inputs.Length} inputs; 'monitor evaluate' and 'monitor replay' feed only single-input models.");
        }

        if (settings.ClassNames is { } names && outputs.Length > 0 && InferTask(settings, outputs[0]) == ModelTask.Classification &&
            names.Count != outputs[0].Dimensions[^1])
        {
            warnings.Add($"monitor.json lists {names.Count} class names but output '{outputs[0].Name}' has {outputs[0].Dimensions[^1]} classes; the daemon will not load the model.");
        }

        return warnings;
    }
}
