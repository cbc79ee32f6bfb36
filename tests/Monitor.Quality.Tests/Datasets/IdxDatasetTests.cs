using System.IO.Compression;
using Monitor.Testing;

namespace Monitor.Quality.Tests;

public sealed class IdxDatasetTests
{
    [Fact]
    public void Read_MnistFixture_HasAllImages()
    {
        LabelledDataset dataset = DatasetReader.Read(Fixtures.PathOf(Fixtures.MnistImages));

        Assert.Equal(10_000, dataset.Rows);
        Assert.Equal([28, 28], dataset.RowShape);
        Assert.Equal(784, dataset.FeaturesPerRow);
        Assert.Equal(7_840_000, dataset.Features.Length);
        Assert.Equal("mnist-t10k-images", dataset.Name);
    }

    [Fact]
    public void Read_MnistFixture_FindsLabels()
    {
        LabelledDataset dataset = DatasetReader.Read(Fixtures.PathOf(Fixtures.MnistImages));

        Assert.NotNull(dataset.ClassLabels);
        Assert.Equal(10_000, dataset.ClassLabels.Length);
        Assert.Equal(7, dataset.ClassLabels[0]);
        Assert.Equal(Enumerable.Range(0, 10), dataset.ClassLabels.Distinct().Order());
        Assert.Null(dataset.TargetValues);
    }

    [Fact]
    public void Read_MnistFixture_HasRawPixels()
    {
        LabelledDataset dataset = DatasetReader.Read(Fixtures.PathOf(Fixtures.MnistImages));

        Assert.Equal(0f, dataset.Features.Min());
        Assert.Equal(255f, dataset.Features.Max());
        Assert.All(dataset.Features, value => Assert.Equal(MathF.Round(value), value));
    }

    [Fact]
    public void Read_WithLimit_ReadsFirstRows()
    {
        LabelledDataset full = DatasetReader.Read(Fixtures.PathOf(Fixtures.MnistImages));

        LabelledDataset limited = DatasetReader.Read(Fixtures.PathOf(Fixtures.MnistImages), new DatasetReadOptions { Limit = 5 });

        Assert.Equal(5, limited.Rows);
        Assert.Equal(full.ClassLabels![..5], limited.ClassLabels);
        Assert.Equal(full.Features[..(5 * 784)], limited.Features);
    }

    [Fact]
    public void Read_UncompressedCopy_MatchesFixture()
    {
        using var directory = new TemporaryDirectory();
        string imagesPath = Decompress(Fixtures.PathOf(Fixtures.MnistImages), directory.Combine("t10k-images.idx3-ubyte"));
        Decompress(Fixtures.PathOf(Fixtures.MnistLabels), directory.Combine("t10k-labels.idx1-ubyte"));
        LabelledDataset compressed = DatasetReader.Read(Fixtures.PathOf(Fixtures.MnistImages));

        LabelledDataset plain = DatasetReader.Read(imagesPath);

        Assert.Equal(10_000, plain.Rows);
        Assert.Equal(compressed.Features, plain.Features);
        Assert.Equal(compressed.ClassLabels, plain.ClassLabels);
    }

    [Fact]
    public void Read_ExplicitLabelsPath_UsesIt()
    {
        using var directory = new TemporaryDirectory();
        string imagesPath = Decompress(Fixtures.PathOf(Fixtures.MnistImages), directory.Combine("images.bin"));

        LabelledDataset dataset = DatasetReader.Read(
            imagesPath,
            new DatasetReadOptions { Format = DatasetFormat.Idx, LabelsPath = Fixtures.PathOf(Fixtures.MnistLabels) });

        Assert.Equal(7, dataset.ClassLabels?[0]);
    }

    [Fact]
    public void Read_WithoutLabelsFile_IsUnlabelled()
    {
        using var directory = new TemporaryDirectory();
        string imagesPath = Decompress(Fixtures.PathOf(Fixtures.MnistImages), directory.Combine("t10k-images.idx3-ubyte"));

        LabelledDataset dataset = DatasetReader.Read(imagesPath);

        Assert.Null(dataset.ClassLabels);
    }

    [Fact]
    public void Read_RequiredLabelsMissing_Throws()
    {
        using var directory = new TemporaryDirectory();
        string imagesPath = Decompress(Fixtures.PathOf(Fixtures.MnistImages), directory.Combine("t10k-images.idx3-ubyte"));

        var exception = Assert.Throws<DatasetFormatException>(
            () => DatasetReader.Read(imagesPath, new DatasetReadOptions { RequireLabels = true }));

        Assert.Contains("LabelsPath", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TruncatedFile_Throws()
    {
        using var directory = new TemporaryDirectory();
        string fullPath = Decompress(Fixtures.PathOf(Fixtures.MnistImages), directory.Combine("full.idx3-ubyte"));
        string truncatedPath = directory.Combine("truncated.idx3-ubyte");
        File.WriteAllBytes(truncatedPath, File.ReadAllBytes(fullPath)[..(16 + 5000)]);

        var exception = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(truncatedPath));

        Assert.Contains("truncated", exception.Message, StringComparison.Ordinal);
        Assert.Contains(truncatedPath, exception.Message, StringComparison.Ordinal);
        Assert.Contains("only 5000 bytes", exception.Message, StringComparison.Ordinal);
        Assert.Equal(truncatedPath, exception.FilePath);
    }

    [Fact]
    public void Read_TruncatedGzip_Throws()
    {
        using var directory = new TemporaryDirectory();
        string truncatedPath = directory.Combine("truncated-images.idx3-ubyte.gz");
        File.WriteAllBytes(truncatedPath, File.ReadAllBytes(Fixtures.PathOf(Fixtures.MnistImages))[..100_000]);

        var exception = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(truncatedPath));

        Assert.Contains(truncatedPath, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TruncatedHeader_Throws()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("header.idx3-ubyte");
        File.WriteAllBytes(path, [0, 0, 8, 3, 0, 0, 0x27]);

        var exception = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path));

        Assert.Contains("truncated", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BadMagic_Throws()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("bad.idx3-ubyte");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5, 6, 7, 8]);

        var exception = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path));

        Assert.Contains("not an IDX file", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LabelCountMismatch_Throws()
    {
        using var directory = new TemporaryDirectory();
        string imagesPath = directory.Combine("small-images.idx3-ubyte");
        string labelsPath = directory.Combine("small-labels.idx1-ubyte");
        File.WriteAllBytes(imagesPath, [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2, 1, 2, 3, 4]);
        File.WriteAllBytes(labelsPath, [0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3]);

        var exception = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(imagesPath));

        Assert.Contains("3 labels", exception.Message, StringComparison.Ordinal);
        Assert.Contains("2 rows", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingFile_Throws()
    {
        using var directory = new TemporaryDirectory();

        Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(directory.Combine("missing.idx3-ubyte")));
    }

    private static string Decompress(string source, string destination)
    {
        using FileStream input = File.OpenRead(source);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using FileStream output = File.Create(destination);
        gzip.CopyTo(output);
        return destination;
    }
}
