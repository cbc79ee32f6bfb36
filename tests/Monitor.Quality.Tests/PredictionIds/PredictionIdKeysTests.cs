namespace Monitor.Quality.Tests;

public sealed class PredictionIdKeysTests
{
    [Fact]
    public void Generate_Returns32RandomBytes()
    {
        byte[] first = PredictionIdKeys.Generate();
        byte[] second = PredictionIdKeys.Generate();

        Assert.Equal(32, first.Length);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void LoadFromFile_RawBytes_ReturnsThem()
    {
        using var directory = new TemporaryDirectory();
        byte[] key = [.. Enumerable.Range(0, 40).Select(i => (byte)(200 + (i % 50)))];
        string path = directory.Combine("key.bin");
        File.WriteAllBytes(path, key);

        Assert.Equal(key, PredictionIdKeys.LoadFromFile(path));
    }

    [Fact]
    public void LoadFromFile_Base64Text_DecodesIt()
    {
        using var directory = new TemporaryDirectory();
        byte[] key = PredictionIdKeys.Generate();
        string path = directory.Combine("key.txt");
        File.WriteAllText(path, Convert.ToBase64String(key) + "\n");

        Assert.Equal(key, PredictionIdKeys.LoadFromFile(path));
    }

    [Fact]
    public void LoadFromFile_Base64UrlText_DecodesIt()
    {
        using var directory = new TemporaryDirectory();
        byte[] key = [.. Enumerable.Repeat((byte)0xFB, 33)];
        string path = directory.Combine("key.txt");
        File.WriteAllText(path, System.Buffers.Text.Base64Url.EncodeToString(key));

        Assert.Equal(key, PredictionIdKeys.LoadFromFile(path));
    }

    [Fact]
    public void LoadFromFile_ShortKey_Throws()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("key.txt");
        File.WriteAllText(path, Convert.ToBase64String(new byte[16]));

        var exception = Assert.Throws<InvalidDataException>(() => PredictionIdKeys.LoadFromFile(path));

        Assert.Contains("16 bytes", exception.Message, StringComparison.Ordinal);
        Assert.Contains(path, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFromFile_InvalidBase64_Throws()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("key.txt");
        File.WriteAllText(path, "this is not base64 but is long enough!!");

        var exception = Assert.Throws<InvalidDataException>(() => PredictionIdKeys.LoadFromFile(path));

        Assert.Contains("not valid base64", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFromFile_EmptyFile_Throws()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.Combine("key.txt");
        File.WriteAllBytes(path, []);

        Assert.Throws<InvalidDataException>(() => PredictionIdKeys.LoadFromFile(path));
    }

    [Fact]
    public void LoadFromFile_MissingFile_Throws()
    {
        using var directory = new TemporaryDirectory();

        Assert.Throws<FileNotFoundException>(() => PredictionIdKeys.LoadFromFile(directory.Combine("missing.key")));
    }
}
