using Monitor.Demo;

namespace Monitor.Tests.Infrastructure;

/// <summary>Small ONNX models built for tests that need a behaviour no fixture has.</summary>
internal static class TestModels
{
    /// <summary>
    /// A model that fails at run time for some inputs: it casts input <c>x</c> [N,4] to int64 and
    /// gathers from a 3-element table, so values 0 to 2 run and 3 or more make ONNX Runtime throw.
    /// </summary>
    public static byte[] FailsOnLargeValues()
    {
        OnnxGraphWriter writer = new();
        writer.AddInput("x", "N", 4);
        writer.AddOutput("y", "N", 4);
        writer.AddInitializer("table", [3], [10f, 20f, 30f]);
        writer.AddNode("Cast", "cast", ["x"], "indices", ("to", 7));
        writer.AddNode("Gather", "gather", ["table", "indices"], "y");
        return writer.ToBytes("fails-on-large-values", "monitor-tests", "1.0");
    }
}
