using Google.Protobuf;

namespace Monitor.Demo;

/// <summary>
/// Writes a small ONNX model (protobuf <c>ModelProto</c>) of float32 MatMul, Add, Relu and Softmax
/// nodes, laid out as tf2onnx lays out a Keras Dense network. Field numbers are those of onnx.proto3.
/// </summary>
internal sealed class OnnxGraphWriter
{
    public const int FloatElementType = 1;

    public const int Int64ElementType = 7;

    private readonly List<byte[]> nodes = [];
    private readonly List<byte[]> initializers = [];
    private readonly List<byte[]> inputs = [];
    private readonly List<byte[]> outputs = [];

    /// <summary>Adds a float32 [batch, features] input whose batch dimension is symbolic.</summary>
    public void AddInput(string name, string batchDimension, long features) =>
        this.inputs.Add(ValueInfo(name, [(batchDimension, 0), (null, features)], FloatElementType));

    /// <summary>Adds a float32 [batch, features] output whose batch dimension is symbolic.</summary>
    public void AddOutput(string name, string batchDimension, long features) =>
        this.outputs.Add(ValueInfo(name, [(batchDimension, 0), (null, features)], FloatElementType));

    /// <summary>Adds an input of fixed dimensions and the given ONNX element type.</summary>
    public void AddFixedInput(string name, long[] dims, int elementType) =>
        this.inputs.Add(ValueInfo(name, dims.Select(dim => ((string?)null, dim)).ToArray(), elementType));

    /// <summary>Adds an output of fixed dimensions and the given ONNX element type.</summary>
    public void AddFixedOutput(string name, long[] dims, int elementType) =>
        this.outputs.Add(ValueInfo(name, dims.Select(dim => ((string?)null, dim)).ToArray(), elementType));

    public void AddInitializer(string name, long[] dims, float[] values) =>
        this.initializers.Add(Message(output =>
        {
            foreach (long dim in dims)
            {
                output.WriteTag(1, WireFormat.WireType.Varint);
                output.WriteInt64(dim);
            }

            output.WriteTag(2, WireFormat.WireType.Varint);
            output.WriteInt32(FloatElementType);
            output.WriteTag(8, WireFormat.WireType.LengthDelimited);
            output.WriteString(name);

            byte[] raw = new byte[values.Length * sizeof(float)];
            Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
            output.WriteTag(9, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(raw));
        }));

    public void AddNode(string opType, string name, string[] nodeInputs, string output, (string Name, long Value)? attribute = null) =>
        this.nodes.Add(Message(writer =>
        {
            foreach (string input in nodeInputs)
            {
                writer.WriteTag(1, WireFormat.WireType.LengthDelimited);
                writer.WriteString(input);
            }

            writer.WriteTag(2, WireFormat.WireType.LengthDelimited);
            writer.WriteString(output);
            writer.WriteTag(3, WireFormat.WireType.LengthDelimited);
            writer.WriteString(name);
            writer.WriteTag(4, WireFormat.WireType.LengthDelimited);
            writer.WriteString(opType);

            if (attribute is { } value)
            {
                // AttributeProto: name = 1, i = 3, type = 20 (INT = 2)
                byte[] attributeBytes = Message(attributeWriter =>
                {
                    attributeWriter.WriteTag(1, WireFormat.WireType.LengthDelimited);
                    attributeWriter.WriteString(value.Name);
                    attributeWriter.WriteTag(3, WireFormat.WireType.Varint);
                    attributeWriter.WriteInt64(value.Value);
                    attributeWriter.WriteTag(20, WireFormat.WireType.Varint);
                    attributeWriter.WriteInt32(2);
                });
                WriteEmbedded(writer, 5, attributeBytes);
            }
        }));

    /// <summary>Serialises the model: IR version 8, opset 13 of the default domain.</summary>
    public byte[] ToBytes(string graphName, string producerName, string producerVersion)
    {
        byte[] graph = Message(writer =>
        {
            foreach (byte[] node in this.nodes)
            {
                WriteEmbedded(writer, 1, node);
            }

            writer.WriteTag(2, WireFormat.WireType.LengthDelimited);
            writer.WriteString(graphName);
            foreach (byte[] initializer in this.initializers)
            {
                WriteEmbedded(writer, 5, initializer);
            }

            foreach (byte[] input in this.inputs)
            {
                WriteEmbedded(writer, 11, input);
            }

            foreach (byte[] output in this.outputs)
            {
                WriteEmbedded(writer, 12, output);
            }
        });

        byte[] opset = Message(writer =>
        {
            writer.WriteTag(1, WireFormat.WireType.LengthDelimited);
            writer.WriteString(string.Empty);
            writer.WriteTag(2, WireFormat.WireType.Varint);
            writer.WriteInt64(13);
        });

        return Message(writer =>
        {
            writer.WriteTag(1, WireFormat.WireType.Varint);
            writer.WriteInt64(8);
            writer.WriteTag(2, WireFormat.WireType.LengthDelimited);
            writer.WriteString(producerName);
            writer.WriteTag(3, WireFormat.WireType.LengthDelimited);
            writer.WriteString(producerVersion);
            WriteEmbedded(writer, 7, graph);
            WriteEmbedded(writer, 8, opset);
        });
    }

    /// <summary>A ValueInfoProto of a tensor; each dimension is symbolic (a name) or fixed (a size).</summary>
    private static byte[] ValueInfo(string name, (string? Symbol, long Size)[] dims, int elementType)
    {
        byte[] shape = Message(writer =>
        {
            foreach ((string? symbol, long size) in dims)
            {
                WriteEmbedded(writer, 1, Message(dimension =>
                {
                    if (symbol is not null)
                    {
                        dimension.WriteTag(2, WireFormat.WireType.LengthDelimited);
                        dimension.WriteString(symbol);
                    }
                    else
                    {
                        dimension.WriteTag(1, WireFormat.WireType.Varint);
                        dimension.WriteInt64(size);
                    }
                }));
            }
        });
        byte[] tensorType = Message(writer =>
        {
            writer.WriteTag(1, WireFormat.WireType.Varint);
            writer.WriteInt32(elementType);
            WriteEmbedded(writer, 2, shape);
        });
        byte[] type = Message(writer => WriteEmbedded(writer, 1, tensorType));

        return Message(writer =>
        {
            writer.WriteTag(1, WireFormat.WireType.LengthDelimited);
            writer.WriteString(name);
            WriteEmbedded(writer, 2, type);
        });
    }

    private static void WriteEmbedded(CodedOutputStream writer, int field, byte[] message)
    {
        writer.WriteTag(field, WireFormat.WireType.LengthDelimited);
        writer.WriteBytes(ByteString.CopyFrom(message));
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using MemoryStream stream = new();
        using (CodedOutputStream output = new(stream, leaveOpen: true))
        {
            write(output);
        }

        return stream.ToArray();
    }
}
