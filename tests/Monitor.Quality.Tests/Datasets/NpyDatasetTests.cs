namespace Monitor.Quality.Tests;

public sealed class NpyDatasetTests
{
    [Fact]
    public void Read_Float32WithUInt8Labels_ReadsBoth()
    {
        using var directory = new TemporaryDirectory();
        string featuresPath = directory.Combine("x.npy");
        string labelsPath = directory.Combine("y.npy");
        NpyFile.Write(featuresPath, "<f4", [3, 2], NpyFile.Floats(1f, 2f, 3f, 4f, 5f, -6.5f));
        NpyFile.Write(labelsPath, "|u1", [3], [2, 0, 1]);

        LabelledDataset dataset = DatasetReader.Read(featuresPath, new DatasetReadOptions { LabelsPath = labelsPath });

        Assert.Equal(3, dataset.Rows);
        Assert.Equal([2], dataset.RowShape);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, -6.5f], dataset.Features);
        Assert.NotNull(dataset.ClassLabels);
        Assert.Equal([2, 0, 1], dataset.ClassLabels);
    }

    [Fact]
    public void Read_UInt8Images_KeepsShape()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("images.npy");
        NpyFile.Write(path, "|u1", [2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);

        LabelledDataset dataset = DatasetReader.Read(path);

        Assert.Equal(2, dataset.Rows);
        Assert.Equal([2, 3], dataset.RowShape);
        Assert.Equal(255f, dataset.Features[^1]);
        Assert.Null(dataset.ClassLabels);
    }

    [Fact]
    public void Read_Version2Header_IsSupported()
    {
        using var directory = new TemporaryDirectory();
        string featuresPath = directory.Combine("x.npy");
        string labelsPath = directory.Combine("y.npy");
        NpyFile.Write(featuresPath, "<f4", [2, 1], NpyFile.Floats(0.5f, 1.5f), majorVersion: 2);
        NpyFile.Write(labelsPath, "<i8", [2], NpyFile.Longs(4, 9), majorVersion: 2);

        LabelledDataset dataset = DatasetReader.Read(featuresPath, new DatasetReadOptions { LabelsPath = labelsPath });

        Assert.Equal([0.5f, 1.5f], dataset.Features);
        Assert.NotNull(dataset.ClassLabels);
        Assert.Equal([4, 9], dataset.ClassLabels);
    }

    [Fact]
    public void Read_OneHotLabels_TakesArgMax()
    {
        using var directory = new TemporaryDirectory();
        string featuresPath = directory.Combine("x.npy");
        string labelsPath = directory.Combine("y.npy");
        NpyFile.Write(featuresPath, "<f4", [2, 1], NpyFile.Floats(0.5f, 1.5f));
        NpyFile.Write(labelsPath, "<f4", [2, 3], NpyFile.Floats(0f, 0f, 1f, 0f, 1f, 0f));

        LabelledDataset dataset = DatasetReader.Read(featuresPath, new DatasetReadOptions { LabelsPath = labelsPath });

        Assert.NotNull(dataset.ClassLabels);
        Assert.Equal([2, 1], dataset.ClassLabels);
    }

    [Fact]
    public void Read_FractionalFloatLabels_AreTargets()
    {
        using var directory = new TemporaryDirectory();
        string featuresPath = directory.Combine("x.npy");
        string labelsPath = directory.Combine("y.npy");
        NpyFile.Write(featuresPath, "<f4", [2], NpyFile.Floats(0.5f, 1.5f));
        NpyFile.Write(labelsPath, "<f4", [2], NpyFile.Floats(3.25f, 1f));

        LabelledDataset dataset = DatasetReader.Read(featuresPath, new DatasetReadOptions { LabelsPath = labelsPath });

        Assert.Equal([1], dataset.RowShape);
        Assert.NotNull(dataset.TargetValues);
        Assert.Equal([3.25f, 1f], dataset.TargetValues);
    }

    [Fact]
    public void Read_WithLimit_ReadsFirstRows()
    {
        using var directory = new TemporaryDirectory();
        string featuresPath = directory.Combine("x.npy");
        string labelsPath = directory.Combine("y.npy");
        NpyFile.Write(featuresPath, "<f4", [3, 1], NpyFile.Floats(1f, 2f, 3f));
        NpyFile.Write(labelsPath, "|u1", [3], [5, 6, 7]);

        LabelledDataset dataset = DatasetReader.Read(featuresPath, new DatasetReadOptions { LabelsPath = labelsPath, Limit = 2 });

        Assert.Equal([1f, 2f], dataset.Features);
        Assert.NotNull(dataset.ClassLabels);
        Assert.Equal([5, 6], dataset.ClassLabels);
    }

    [Fact]
    public void Read_FortranOrder_Throws()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("fortran.npy");
        NpyFile.Write(path, "<f4", [2, 3], NpyFile.Floats(1f, 2f, 3f, 4f, 5f, 6f), fortranOrder: true);

        var exception = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path));

        Assert.Contains("Fortran order", exception.Message, StringComparison.Ordinal);
        Assert.Contains(path, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnsupportedType_Throws()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("big-endian.npy");
        NpyFile.Write(path, ">f4", [1, 1], [0, 0, 0, 0]);

        var exception = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path));

        Assert.Contains("'>f4'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("<f4, <f8, |u1, <i4, <i8", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TruncatedData_Throws()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("short.npy");
        NpyFile.Write(path, "<f4", [4, 2], NpyFile.Floats(1f, 2f, 3f));

        var exception = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path));

        Assert.Contains("truncated", exception.Message, StringComparison.Ordinal);
        Assert.Contains("12 of the 32 bytes", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LabelRowMismatch_Throws()
    {
        using var directory = new TemporaryDirectory();
        string featuresPath = directory.Combine("x.npy");
        string labelsPath = directory.Combine("y.npy");
        NpyFile.Write(featuresPath, "<f4", [2, 1], NpyFile.Floats(1f, 2f));
        NpyFile.Write(labelsPath, "|u1", [3], [1, 2, 3]);

        var exception = Assert.Throws<DatasetFormatException>(
            () => DatasetReader.Read(featuresPath, new DatasetReadOptions { LabelsPath = labelsPath }));

        Assert.Contains("shape (3)", exception.Message, StringComparison.Ordinal);
        Assert.Contains("2 feature rows", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownVersion_Throws()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("v9.npy");
        NpyFile.Write(path, "<f4", [1], NpyFile.Floats(1f), majorVersion: 9);

        var exception = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path));

        Assert.Contains("version 9.0", exception.Message, StringComparison.Ordinal);
    }
}
