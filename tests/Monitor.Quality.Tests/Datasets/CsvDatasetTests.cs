using Monitor.Testing;

namespace Monitor.Quality.Tests;

public sealed class CsvDatasetTests
{
    // Listed in the fixtures README; tests/Shared/Fixtures.cs has no constant for it.
    private const string SklearnDigitsCsv = Fixtures.SklearnDigitsCsv;

    [Fact]
    public void Read_IrisFixture_HasRowsAndFeatures()
    {
        LabelledDataset dataset = DatasetReader.Read(Fixtures.PathOf(Fixtures.IrisCsv));

        Assert.Equal(150, dataset.Rows);
        Assert.Equal([4], dataset.RowShape);
        Assert.Equal(600, dataset.Features.Length);
        Assert.Equal("iris", dataset.Name);
    }

    [Fact]
    public void Read_IrisFixture_HasClassNames()
    {
        LabelledDataset dataset = DatasetReader.Read(Fixtures.PathOf(Fixtures.IrisCsv));

        Assert.NotNull(dataset.ClassNames);
        Assert.Equal(["setosa", "versicolor", "virginica"], dataset.ClassNames);
    }

    [Fact]
    public void Read_IrisFixture_HasFiftyOfEachClass()
    {
        LabelledDataset dataset = DatasetReader.Read(Fixtures.PathOf(Fixtures.IrisCsv));

        Assert.NotNull(dataset.ClassLabels);
        Assert.Equal(50, dataset.ClassLabels.Count(label => label == 0));
        Assert.Equal(50, dataset.ClassLabels.Count(label => label == 1));
        Assert.Equal(50, dataset.ClassLabels.Count(label => label == 2));
    }

    [Fact]
    public void Read_IrisFixture_FirstRowValues()
    {
        LabelledDataset dataset = DatasetReader.Read(Fixtures.PathOf(Fixtures.IrisCsv));
        string[] firstRow = File.ReadLines(Fixtures.PathOf(Fixtures.IrisCsv)).Skip(1).First().Split(',');

        float[] expected = [.. firstRow.Take(4).Select(field => float.Parse(field, System.Globalization.CultureInfo.InvariantCulture))];
        Assert.Equal(expected, dataset.GetRow(0).ToArray());
    }

    [Fact]
    public void Read_IrisWithLimit_ReadsFirstRows()
    {
        LabelledDataset dataset = DatasetReader.Read(Fixtures.PathOf(Fixtures.IrisCsv), new DatasetReadOptions { Limit = 10 });

        Assert.Equal(10, dataset.Rows);
        Assert.Equal(10, dataset.ClassLabels?.Length);
    }

    [Fact]
    public void Read_GzipDigitsFixture_HasNoHeader()
    {
        LabelledDataset dataset = DatasetReader.Read(Fixtures.PathOf(SklearnDigitsCsv));

        Assert.Equal(1797, dataset.Rows);
        Assert.Equal([64], dataset.RowShape);
        Assert.Null(dataset.ClassNames);
        Assert.Equal(Enumerable.Range(0, 10), dataset.ClassLabels!.Distinct().Order());
        Assert.Equal(16f, dataset.Features.Max());
    }

    [Fact]
    public void Read_HeaderWithNamedLabel_MapsNames()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("pets.csv");
        File.WriteAllText(path, "weight,species,height\n4.5,dog,30\n3.0,cat,25\n\n5.5,dog,40\n");

        LabelledDataset dataset = DatasetReader.Read(path, new DatasetReadOptions { LabelColumn = "species" });

        Assert.Equal(3, dataset.Rows);
        Assert.Equal([4.5f, 30f, 3.0f, 25f, 5.5f, 40f], dataset.Features);
        Assert.NotNull(dataset.ClassNames);
        Assert.Equal(["cat", "dog"], dataset.ClassNames);
        Assert.NotNull(dataset.ClassLabels);
        Assert.Equal([1, 0, 1], dataset.ClassLabels);
    }

    [Fact]
    public void Read_LabelColumnByIndex_UsesIt()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("numbers.csv");
        File.WriteAllText(path, "2,1.5,2.5\n0,3.5,4.5\n");

        LabelledDataset dataset = DatasetReader.Read(path, new DatasetReadOptions { LabelColumn = "0" });

        Assert.NotNull(dataset.ClassLabels);
        Assert.Equal([2, 0], dataset.ClassLabels);
        Assert.Equal([1.5f, 2.5f, 3.5f, 4.5f], dataset.Features);
    }

    [Fact]
    public void Read_FractionalLabels_AreTargets()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("prices.csv");
        File.WriteAllText(path, "rooms,price\n3,250.5\n2,180\n");

        LabelledDataset dataset = DatasetReader.Read(path);

        Assert.Null(dataset.ClassLabels);
        Assert.NotNull(dataset.TargetValues);
        Assert.Equal([250.5f, 180f], dataset.TargetValues);
    }

    [Fact]
    public void Read_QuotedFields_AreUnquoted()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("quoted.csv");
        File.WriteAllText(path, "\"x\",\"label\"\n\"1.5\",\"a, \"\"b\"\"\"\n2.5,c\n");

        LabelledDataset dataset = DatasetReader.Read(path);

        Assert.NotNull(dataset.ClassNames);
        Assert.Equal(["a, \"b\"", "c"], dataset.ClassNames);
        Assert.Equal([1.5f, 2.5f], dataset.Features);
    }

    [Fact]
    public void Read_MissingLabelColumn_NamesIt()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("x.csv");
        File.WriteAllText(path, "a,b,c\n1,2,3\n");

        var exception = Assert.Throws<DatasetFormatException>(
            () => DatasetReader.Read(path, new DatasetReadOptions { LabelColumn = "species" }));

        Assert.Contains("'species' not found", exception.Message, StringComparison.Ordinal);
        Assert.Contains(path, exception.Message, StringComparison.Ordinal);
        Assert.Contains("columns are: a, b, c", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LabelNameWithoutHeader_Throws()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("plain.csv");
        File.WriteAllText(path, "1,2,3\n4,5,6\n");

        var exception = Assert.Throws<DatasetFormatException>(
            () => DatasetReader.Read(path, new DatasetReadOptions { LabelColumn = "species" }));

        Assert.Contains("no header row", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LabelIndexOutOfRange_Throws()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("plain.csv");
        File.WriteAllText(path, "1,2,3\n4,5,6\n");

        var exception = Assert.Throws<DatasetFormatException>(
            () => DatasetReader.Read(path, new DatasetReadOptions { LabelColumn = "3" }));

        Assert.Contains("0 to 2", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BadNumber_NamesLineAndColumn()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("bad.csv");
        File.WriteAllText(path, "a,b,label\n1,2,0\n1,oops,1\n");

        var exception = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path));

        Assert.Contains("line 3 column 1 ('b')", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'oops' is not a number", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RaggedRow_Throws()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("ragged.csv");
        File.WriteAllText(path, "1,2,0\n1,2\n");

        var exception = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path));

        Assert.Contains("line 2 has 2 fields; expected 3", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SklearnRowCountMismatch_Throws()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("short.csv");
        File.WriteAllText(path, "3,2,yes,no\n1,2,0\n3,4,1\n");

        var exception = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path));

        Assert.Contains("2 data rows but its first line declares 3", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SklearnLabelOutOfRange_Throws()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("range.csv");
        File.WriteAllText(path, "2,2,yes,no\n1,2,0\n3,4,2\n");

        var exception = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path));

        Assert.Contains("line 3", exception.Message, StringComparison.Ordinal);
        Assert.Contains("from 0 to 1", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyFile_Throws()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("empty.csv");
        File.WriteAllText(path, string.Empty);

        var exception = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(path));

        Assert.Contains("is empty", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoLabels_KeepsAllColumns()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("features.csv");
        File.WriteAllText(path, "1,2\n3,4\n");

        LabelledDataset dataset = DatasetReader.Read(path, new DatasetReadOptions { LabelKind = DatasetLabelKind.None });

        Assert.Equal([2], dataset.RowShape);
        Assert.Null(dataset.ClassLabels);
        Assert.Null(dataset.TargetValues);
    }
}
