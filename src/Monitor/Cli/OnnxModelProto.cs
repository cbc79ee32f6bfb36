using Google.Protobuf;

namespace Monitor.Cli;

/// <summary>
/// The header fields of an ONNX <c>ModelProto</c>, some of which ONNX Runtime's C# API does not expose: the IR
/// version (field 1), the producer's name and version (fields 2 and 3) and the operator sets the graph imports
/// (field 8, <c>OperatorSetIdProto</c> with domain 1 and version 2).
/// </summary>
internal sealed record OnnxModelProto(long IrVersion, string ProducerName, string ProducerVersion, IReadOnlyList<OperatorSet> OperatorSets)
{
    private const int IrVersionField = 1;
    private const int ProducerNameField = 2;
    private const int ProducerVersionField = 3;
    private const int OpsetImportField = 8;
    private const int OpsetDomainField = 1;
    private const int OpsetVersionField = 2;

    /// <summary>The domain of the standard ONNX operators, stored as the empty string.</summary>
    public const string DefaultDomain = "ai.onnx";

    /// <summary>Gets the version of the standard operator set, or null when the graph does not import it.</summary>
    public long? DefaultOpset => this.OperatorSets.FirstOrDefault(set => set.Domain == DefaultDomain)?.Version;

    /// <summary>Reads the header fields, skipping the graph and every other field.</summary>
    /// <exception cref="InvalidProtocolBufferException">The file is not a protobuf message.</exception>
    public static OnnxModelProto Read(string path)
    {
        using FileStream file = File.OpenRead(path);
        CodedInputStream input = new(file);
        long irVersion = 0;
        string producerName = string.Empty;
        string producerVersion = string.Empty;
        List<OperatorSet> operatorSets = [];

        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            int field = WireFormat.GetTagFieldNumber(tag);
            WireFormat.WireType wireType = WireFormat.GetTagWireType(tag);
            if (field == IrVersionField && wireType == WireFormat.WireType.Varint)
            {
                irVersion = input.ReadInt64();
            }
            else if (field == ProducerNameField && wireType == WireFormat.WireType.LengthDelimited)
            {
                producerName = input.ReadString();
            }
            else if (field == ProducerVersionField && wireType == WireFormat.WireType.LengthDelimited)
            {
                producerVersion = input.ReadString();
            }
            else if (field == OpsetImportField && wireType == WireFormat.WireType.LengthDelimited)
            {
                operatorSets.Add(ReadOperatorSet(input.ReadBytes()));
            }
            else
            {
                input.SkipLastField();
            }
        }

        return new OnnxModelProto(irVersion, producerName, producerVersion, operatorSets);
    }

    private static OperatorSet ReadOperatorSet(ByteString bytes)
    {
        CodedInputStream input = bytes.CreateCodedInput();
        string domain = string.Empty;
        long version = 0;

        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case OpsetDomainField:
                    domain = input.ReadString();
                    break;
                case OpsetVersionField:
                    version = input.ReadInt64();
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return new OperatorSet(domain.Length == 0 ? DefaultDomain : domain, version);
    }
}

/// <summary>One imported operator set. The empty domain of the ONNX format is shown as <c>ai.onnx</c>.</summary>
internal sealed record OperatorSet(string Domain, long Version);
