using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Monitor.Testing;
using Monitor.Tests.Infrastructure;

namespace Monitor.Tests;

/// <summary>Randomized malformed requests, from a fixed seed so that a failure repeats.</summary>
public sealed class RequestDecoderFuzzTests
{
    private const int Seed = 4242;
    private const int CaseCount = 3000;

    private static readonly string[] Numbers =
        ["1e400", "-1e400", "1e39", "-3.5e38", "123456789012345678901234567890", "1e-400", "-0", "0.1e", "1.", ".5", "+1", "0x10", "NaN", "Infinity", "01", "1e99999999999"];

    // the entries of Numbers that JSON accepts and that are finite float32 values
    private static readonly HashSet<string> FiniteNumbers = ["-0", "1e-400", "123456789012345678901234567890"];

    private static readonly string[] Values =
        ["null", "true", "\"x\"", "{}", "[]", "[[]]", "1.5", "-1", "[1]", "{\"a\":1}", "\"\\ud800\"", "9223372036854775808", "[\"4\"]"];

    private static readonly string[] Shapes =
        ["[1,4]", "[-1,4]", "[0,4]", "[1]", "[1,4,1]", "[1.5,4]", "[2147483648,4]", "[4096,4]", "[100000,4]", "[1,1e12]", "[1,2147483647]", "[\"1\",4]", "[]", "[1,4,1,1,1,1,1,1,1,1]"];

    [Fact]
    public async Task MalformedRequestsNeverGet5xx()
    {
        await using MonitorDaemon daemon = await MonitorDaemon.StartAsync(
            repository =>
            {
                repository.AddFixture("fuzz", Fixtures.IrisMlp);
                repository.AddFixture("fuzz-mnist", Fixtures.MnistMlp);
            },
            new Dictionary<string, string?> { ["Monitor:Batching:MaxQueueDelayMilliseconds"] = "0" });
        Random random = new(Seed);
        FuzzCase[] cases = Enumerable.Range(0, CaseCount).Select(_ => NextCase(random)).ToArray();

        List<FuzzResult> results = [];
        using SemaphoreSlim concurrency = new(8);
        await Task.WhenAll(cases.Select(async fuzzCase =>
        {
            await concurrency.WaitAsync();
            try
            {
                using ByteArrayContent content = new(fuzzCase.Body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using HttpResponseMessage response = await daemon.Client.PostAsync(fuzzCase.Path, content);
                int status = (int)response.StatusCode;
                string error = status >= 500 ? await response.Content.ReadAsStringAsync() : string.Empty;
                lock (results)
                {
                    results.Add(new FuzzResult(fuzzCase, status, error));
                }
            }
            finally
            {
                concurrency.Release();
            }
        }));

        Assert.Equal(CaseCount, results.Count);
        Assert.DoesNotContain(results, result => result.Status >= 500);
        Assert.DoesNotContain(results, result => result.Case.MustFail && result.Status is < 400 or >= 500);
        Assert.DoesNotContain(results, result => result.Status is not (200 or (>= 400 and < 500)));
        Assert.True(results.Count(result => result.Status >= 400) > CaseCount / 2, "Most generated cases should be invalid.");
        (HttpStatusCode status, _) = await daemon.PostAsync("/v2/models/fuzz/infer", IrisRequests.Body(IrisRequests.Rows[0]));
        Assert.Equal(HttpStatusCode.OK, status);
        (HttpStatusCode ready, _) = await daemon.GetAsync("/v2/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready);
    }

    private static FuzzCase NextCase(Random random)
    {
        string path = random.Next(4) == 0 ? "/v1/models/fuzz:predict" : "/v2/models/fuzz/infer";
        string valid = path.StartsWith("/v1", StringComparison.Ordinal)
            ? "{\"instances\":[[5.1,3.5,1.4,0.2]]}"
            : IrisRequests.Body(IrisRequests.Rows[random.Next(IrisRequests.Rows.Length)]);

        switch (random.Next(8))
        {
            case 0:
                // truncated: every proper prefix of a JSON object is invalid
                return new FuzzCase(path, Encoding.UTF8.GetBytes(valid[..random.Next(valid.Length)]), true);
            case 1:
                return new FuzzCase(path, Encoding.UTF8.GetBytes(Mutate(valid, random)), false);
            case 2:
                string number = Pick(Numbers, random);
                return new FuzzCase(path, Encoding.UTF8.GetBytes(Input("[1,4]", $"[5.1,3.5,1.4,{number}]", "FP32")), !FiniteNumbers.Contains(number));
            case 3:
                return new FuzzCase(path, Encoding.UTF8.GetBytes(Nested(random)), true);
            case 4:
                return new FuzzCase(path, Encoding.UTF8.GetBytes(WrongType(random)), true);
            case 5:
                return new FuzzCase(path, RandomBytes(random), true);
            case 6:
                string shape = Pick(Shapes, random);
                return new FuzzCase("/v2/models/fuzz/infer", Encoding.UTF8.GetBytes(Input(shape, "[1,2,3,4]", "FP32")), shape != "[1,4]");
            default:
                return new FuzzCase("/v2/models/fuzz-mnist/infer", Encoding.UTF8.GetBytes(Mutate(MnistBody(random), random)), false);
        }
    }

    private static string Input(string shape, string data, string datatype) =>
        $"{{\"inputs\":[{{\"name\":\"keras_tensor\",\"shape\":{shape},\"datatype\":\"{datatype}\",\"data\":{data}}}]}}";

    private static string Nested(Random random)
    {
        int depth = random.Next(20, 3000);
        string nested = new string('[', depth) + "1" + new string(']', depth);
        return random.Next(3) switch
        {
            0 => nested,
            1 => Input("[1,4]", nested, "FP32"),
            _ => $"{{\"inputs\":{nested}}}",
        };
    }

    private static string WrongType(Random random)
    {
        string value = Pick(Values, random);
        return random.Next(7) switch
        {
            0 => $"{{\"inputs\":[{{\"name\":{value},\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}}]}}",
            1 => $"{{\"inputs\":[{{\"name\":\"keras_tensor\",\"shape\":{value},\"datatype\":\"FP32\",\"data\":[1,2,3,4]}}]}}",
            2 => $"{{\"inputs\":[{{\"name\":\"keras_tensor\",\"shape\":[1,4],\"datatype\":{value},\"data\":[1,2,3,4]}}]}}",
            3 => $"{{\"inputs\":[{{\"name\":\"keras_tensor\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":{value}}}]}}",
            4 => $"{{\"inputs\":{value}}}",
            5 => $"{{\"inputs\":[{{\"name\":\"keras_tensor\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}}],\"outputs\":{Pick(["{}", "[1]", "[{}]", "[{\"name\":1}]", "[{\"name\":\"nope\"}]", "[]"], random)}}}",
            _ => $"{{\"id\":{Pick(["1", "null", "{}", "[]"], random)},\"inputs\":[{{\"name\":\"keras_tensor\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]}}]}}",
        };
    }

    private static string Mutate(string text, Random random)
    {
        const string alphabet = "{}[]\",:0123456789eE+-.abcnulltrue \\\t\u00e9\u0000";
        StringBuilder builder = new(text);
        int edits = random.Next(1, 6);
        for (int i = 0; i < edits && builder.Length > 0; i++)
        {
            int position = random.Next(builder.Length);
            switch (random.Next(3))
            {
                case 0:
                    builder[position] = alphabet[random.Next(alphabet.Length)];
                    break;
                case 1:
                    builder.Insert(position, alphabet[random.Next(alphabet.Length)]);
                    break;
                default:
                    builder.Remove(position, Math.Min(random.Next(1, 8), builder.Length - position));
                    break;
            }
        }

        return builder.ToString();
    }

    private static byte[] RandomBytes(Random random)
    {
        byte[] bytes = new byte[random.Next(1, 512)];
        random.NextBytes(bytes);

        // a leading '{' makes the parser read on into the invalid bytes
        bytes[0] = (byte)'{';
        return bytes;
    }

    private static string MnistBody(Random random) =>
        "{\"inputs\":[{\"name\":\"flatten_input\",\"shape\":[1,28,28,1],\"datatype\":\"FP32\",\"data\":["
        + string.Join(",", Enumerable.Range(0, 784).Select(_ => random.Next(256).ToString(CultureInfo.InvariantCulture))) + "]}]}";

    private static string Pick(string[] values, Random random) => values[random.Next(values.Length)];

    private sealed record FuzzCase(string Path, byte[] Body, bool MustFail)
    {
        public override string ToString()
        {
            string text = Encoding.UTF8.GetString(this.Body);
            return $"{this.Path} (must fail: {this.MustFail}) {text[..Math.Min(text.Length, 300)]}";
        }
    }

    private sealed record FuzzResult(FuzzCase Case, int Status, string Error);
}
