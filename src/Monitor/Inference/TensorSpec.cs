using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Monitor.Inference;

/// <summary>
/// One input or output of an ONNX graph. Symbolic dimensions such as <c>unk__12</c>, <c>N</c> or
/// <c>batch_size</c> are -1 in <see cref="Dimensions"/>.
/// </summary>
public sealed class TensorSpec
{
    private TensorSpec(string name, TensorElementType elementType, long[] dimensions, string[] symbolicDimensions)
    {
        this.Name = name;
        this.ElementType = elementType;
        this.Dimensions = dimensions;
        this.SymbolicDimensions = symbolicDimensions;
        this.RowSize = 1;
        for (int i = 1; i < dimensions.Length; i++)
        {
            this.RowSize *= Math.Max(dimensions[i], 1);
        }
    }

    /// <summary>Gets the graph's name for the tensor, for example <c>dense_input</c> or <c>input_1:0</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the name without a TensorFlow <c>:0</c> output-index suffix.</summary>
    public string ShortName => this.Name.EndsWith(":0", StringComparison.Ordinal) ? this.Name[..^2] : this.Name;

    public TensorElementType ElementType { get; }

    public long[] Dimensions { get; }

    public string[] SymbolicDimensions { get; }

    public int Rank => this.Dimensions.Length;

    /// <summary>Gets whether the first dimension is symbolic, so that one run can take any number of rows.</summary>
    public bool HasDynamicBatch => this.Dimensions.Length > 0 && this.Dimensions[0] < 0;

    /// <summary>Gets the elements of one row: the product of every dimension after the first (symbolic ones count as 1).</summary>
    public long RowSize { get; }

    /// <summary>Gets whether a dimension after the first is symbolic, so the row size depends on the request.</summary>
    public bool HasSymbolicInnerDimension => this.Dimensions.Skip(1).Any(dimension => dimension < 0);

    /// <summary>Gets the protocol datatype of the element type, for example <c>FP32</c>.</summary>
    public string Datatype => DatatypeNames.FromElementType(this.ElementType);

    public static TensorSpec FromMetadata(string name, NodeMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);

        int[] dims = metadata.Dimensions;
        long[] dimensions = new long[dims.Length];
        string[] symbolic = new string[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            dimensions[i] = dims[i] < 0 ? -1 : dims[i];
            symbolic[i] = metadata.SymbolicDimensions.Length > i ? metadata.SymbolicDimensions[i] ?? string.Empty : string.Empty;
        }

        return new TensorSpec(name, metadata.ElementDataType, dimensions, symbolic);
    }

    /// <summary>Checks whether a request names this tensor, with or without the <c>:0</c> suffix.</summary>
    public bool IsNamed(string requestedName)
    {
        ArgumentNullException.ThrowIfNull(requestedName);

        string requestedShortName = requestedName.EndsWith(":0", StringComparison.Ordinal) ? requestedName[..^2] : requestedName;
        return string.Equals(requestedName, this.Name, StringComparison.Ordinal) ||
            string.Equals(requestedShortName, this.ShortName, StringComparison.Ordinal);
    }

    /// <summary>Formats the shape as the protocol shows it, with -1 for symbolic dimensions.</summary>
    public string FormatShape() => "[" + string.Join(",", this.Dimensions) + "]";
}
