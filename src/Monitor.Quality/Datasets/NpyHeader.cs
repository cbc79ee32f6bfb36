using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Monitor.Quality;

/// <summary>
/// Header of a NumPy <c>.npy</c> file: the magic string, the format version, the header length, and a Python
/// dict literal with <c>descr</c>, <c>fortran_order</c> and <c>shape</c>.
/// </summary>
internal sealed partial record NpyHeader(string Descr, bool FortranOrder, long[] Shape)
{
    /// <summary>Element types that can be read, as numpy writes them in <c>descr</c>.</summary>
    public static readonly string[] SupportedDescrs = ["<f4", "<f8", "|u1", "<i4", "<i8"];

    private const int MaxHeaderLength = 1 << 20;

    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public int ElementSize => this.Descr switch
    {
        "|u1" => 1,
        "<f4" or "<i4" => 4,
        _ => 8,
    };

    public bool IsInteger => this.Descr is "|u1" or "<i4" or "<i8";

    public string ShapeText => "(" + string.Join(", ", this.Shape) + ")";

    public static bool HasMagic(ReadOnlySpan<byte> head)
    {
        return head.StartsWith(Magic);
    }

    public static NpyHeader Read(Stream stream, string path)
    {
        Span<byte> preamble = stackalloc byte[8];
        int length = DatasetFiles.ReadAtMost(stream, preamble);
        if (length < preamble.Length || !HasMagic(preamble))
        {
            throw Error(path, "does not start with the NPY magic string \\x93NUMPY");
        }

        byte major = preamble[6];
        byte minor = preamble[7];
        int lengthFieldSize = major switch
        {
            1 => 2,
            2 or 3 => 4,
            _ => throw Error(path, $"has NPY format version {major}.{minor}; expected 1.0, 2.0 or 3.0"),
        };

        Span<byte> lengthField = stackalloc byte[4];
        if (DatasetFiles.ReadAtMost(stream, lengthField[..lengthFieldSize]) < lengthFieldSize)
        {
            throw Error(path, "is truncated inside the NPY header length");
        }

        uint headerLength = lengthFieldSize == 2
            ? BinaryPrimitives.ReadUInt16LittleEndian(lengthField)
            : BinaryPrimitives.ReadUInt32LittleEndian(lengthField);
        if (headerLength > MaxHeaderLength)
        {
            throw Error(path, $"declares an NPY header of {headerLength} bytes; at most {MaxHeaderLength} is supported");
        }

        byte[] headerBytes = new byte[headerLength];
        if (DatasetFiles.ReadAtMost(stream, headerBytes) < headerBytes.Length)
        {
            throw Error(path, $"is truncated inside its {headerLength}-byte NPY header");
        }

        // Versions 1 and 2 store the header in Latin-1, version 3 in UTF-8.
        string text = major == 3 ? Encoding.UTF8.GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        return Parse(text, path);
    }

    private static NpyHeader Parse(string text, string path)
    {
        Match descr = DescrPattern().Match(text);
        Match fortranOrder = FortranOrderPattern().Match(text);
        Match shape = ShapePattern().Match(text);
        if (!descr.Success || !fortranOrder.Success || !shape.Success)
        {
            throw Error(path, $"has an NPY header without 'descr', 'fortran_order' and 'shape' entries: {text.Trim()}");
        }

        string[] dimensionTexts = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        long[] dimensions = new long[dimensionTexts.Length];
        for (int i = 0; i < dimensions.Length; i++)
        {
            if (!long.TryParse(dimensionTexts[i].TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out dimensions[i]))
            {
                throw Error(path, $"has the NPY shape ({shape.Groups[1].Value}); expected non-negative integers");
            }
        }

        return new NpyHeader(descr.Groups[1].Value, fortranOrder.Groups[1].Value == "True", dimensions);
    }

    private static DatasetFormatException Error(string path, string problem)
    {
        return new DatasetFormatException($"'{path}' {problem}.", path, null);
    }

    [GeneratedRegex(@"['""]descr['""]\s*:\s*['""]([^'""]*)['""]")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"['""]fortran_order['""]\s*:\s*(True|False)")]
    private static partial Regex FortranOrderPattern();

    [GeneratedRegex(@"['""]shape['""]\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
