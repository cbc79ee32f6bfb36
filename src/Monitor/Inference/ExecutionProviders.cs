namespace Monitor.Inference;

/// <summary>ONNX Runtime execution provider names, as ONNX Runtime spells them.</summary>
public static class ExecutionProviders
{
    public const string Cpu = "CPUExecutionProvider";
    public const string Cuda = "CUDAExecutionProvider";
}
