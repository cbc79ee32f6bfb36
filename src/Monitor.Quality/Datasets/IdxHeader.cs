using System.Buffers.Binary;

namespace Monitor.Quality;

/// <summary>
/// Header of an IDX file: two zero bytes, a type code, the number of dimensions, then each dimension as a
/// big-endian 32-bit integer. Values follow in row-major order, big-endian.
/// </summary>
internal sealed record IdxHeader(byte TypeCode, int[] Dimensions)
{
    public const byte UnsignedByte = 0x08;

    public const byte SignedByte = 0x09;

    public const byte Int16 = 0x0B;

    public const byte Int32 = 0x0C;

    public const byte Float32 = 0x0D;

    public const byte Float64 = 0x0E;

    public int Length => 4 + (4 * this.Dimensions.Length);

    public int ElementSize => ElementSizeOf(this.TypeCode);

    public string TypeName => this.TypeCode switch
    {
        UnsignedByte => "unsigned byte",
        SignedByte => "signed byte",
        Int16 => "int16",
        Int32 => "int32",
        Float32 => "float32",
        _ => "float64",
    };

    public bool IsInteger => this.TypeCode is UnsignedByte or SignedByte or Int16 or Int32;

    public static bool HasMagic(ReadOnlySpan<byte> head)
    {
        return head.Length >= 4 && head[0] == 0 && head[1] == 0 && ElementSizeOf(head[2]) > 0 && head[3] > 0;
    }

    public static IdxHeader Read(Stream stream, string path)
    {
        Span<byte> magic = stackalloc byte[4];
        int length = DatasetFiles.ReadAtMost(stream, magic);
        if (!HasMagic(magic[..length]))
        {
            throw new DatasetFormatException(
                $"'{path}' is not an IDX file: expected the magic number 00 00 <type> <dimensions> with type 08, 09, 0B, 0C, 0D " +
                $"or 0E, but the file starts with {Convert.ToHexString(magic[..length])}.",
                path,
                null);
        }

        int dimensionCount = magic[3];
        Span<byte> dimensionBytes = stackalloc byte[4 * dimensionCount];
        length = DatasetFiles.ReadAtMost(stream, dimensionBytes);
        if (length < dimensionBytes.Length)
        {
            throw new DatasetFormatException(
                $"'{path}' is truncated: its IDX header declares {dimensionCount} dimensions ({dimensionBytes.Length} bytes) " +
                $"but only {length} bytes follow the magic number.",
                path,
                null);
        }

        int[] dimensions = new int[dimensionCount];
        for (int i = 0; i < dimensionCount; i++)
        {
            uint dimension = BinaryPrimitives.ReadUInt32BigEndian(dimensionBytes[(4 * i)..]);
            if (dimension > int.MaxValue)
            {
                throw new DatasetFormatException(
                    $"'{path}' has an IDX dimension of {dimension} at position {i}; at most {int.MaxValue} is supported.", path, null);
            }

            dimensions[i] = (int)dimension;
        }

        return new IdxHeader(magic[2], dimensions);
    }

    private static int ElementSizeOf(byte typeCode)
    {
        return typeCode switch
        {
            UnsignedByte or SignedByte => 1,
            Int16 => 2,
            Int32 or Float32 => 4,
            Float64 => 8,
            _ => 0,
        };
    }
}
