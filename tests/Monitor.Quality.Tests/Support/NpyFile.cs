using System.Text;

namespace Monitor.Quality.Tests;

/// <summary>
/// Writes NPY files the way numpy.save does: magic, version, little-endian header length, a Python dict
/// header padded with spaces to a multiple of 64 bytes and ending in a newline, then the raw data.
/// </summary>
internal static class NpyFile
{
    public static void Write(string path, string descr, int[] shape, byte[] data, bool fortranOrder = false, byte majorVersion = 1)
    {
        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        string dictionary = $"{{'descr': '{descr}', 'fortran_order': {(fortranOrder ? "True" : "False")}, 'shape': {shapeText}, }}";

        int lengthFieldSize = majorVersion == 1 ? 2 : 4;
        int prefixLength = 6 + 2 + lengthFieldSize;
        int headerLength = dictionary.Length + 1;
        int padding = (64 - ((prefixLength + headerLength) % 64)) % 64;
        string header = dictionary + new string(' ', padding) + "\n";

        using var stream = File.Create(path);
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', majorVersion, 0]);
        if (lengthFieldSize == 2)
        {
            stream.Write(BitConverter.GetBytes((ushort)header.Length));
        }
        else
        {
            stream.Write(BitConverter.GetBytes((uint)header.Length));
        }

        stream.Write(Encoding.ASCII.GetBytes(header));
        stream.Write(data);
    }

    public static byte[] Floats(params float[] values)
    {
        return [.. values.SelectMany(BitConverter.GetBytes)];
    }

    public static byte[] Longs(params long[] values)
    {
        return [.. values.SelectMany(BitConverter.GetBytes)];
    }
}
