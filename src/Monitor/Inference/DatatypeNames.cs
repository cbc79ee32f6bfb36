using Microsoft.ML.OnnxRuntime.Tensors;

namespace Monitor.Inference;

/// <summary>Maps ONNX Runtime element types to the Open Inference Protocol datatype names.</summary>
public static class DatatypeNames
{
    public const string Fp32 = "FP32";
    public const string Fp64 = "FP64";
    public const string Integer32 = "INT32";
    public const string Integer64 = "INT64";
    public const string Bool = "BOOL";

    /// <summary>Gets the request datatypes Monitor decodes.</summary>
    public static IReadOnlyList<string> Supported { get; } = [Fp32, Fp64, Integer32, Integer64, Bool];

    public static string FromElementType(TensorElementType elementType) => elementType switch
    {
        TensorElementType.Float => Fp32,
        TensorElementType.Double => Fp64,
        TensorElementType.Int32 => Integer32,
        TensorElementType.Int64 => Integer64,
        TensorElementType.Bool => Bool,
        TensorElementType.Float16 => "FP16",
        TensorElementType.BFloat16 => "BF16",
        TensorElementType.Int8 => "INT8",
        TensorElementType.UInt8 => "UINT8",
        TensorElementType.Int16 => "INT16",
        TensorElementType.UInt16 => "UINT16",
        TensorElementType.UInt32 => "UINT32",
        TensorElementType.UInt64 => "UINT64",
        TensorElementType.String => "BYTES",
        _ => elementType.ToString().ToUpperInvariant(),
    };
}
