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

    /// <summary>A regression model: <c>y = 2x + 1</c> for input <c>x</c> [N,1] and output <c>y</c> [N,1].</summary>
    public static byte[] Linear() => LinearUnit(sigmoid: false);

    /// <summary>A binary classifier with one sigmoid unit, as Keras exports one: <c>y = sigmoid(2x + 1)</c>.</summary>
    public static byte[] Sigmoid() => LinearUnit(sigmoid: true);

    private static byte[] LinearUnit(bool sigmoid)
    {
        OnnxGraphWriter writer = new();
        writer.AddInput("x", "unk__3", 1);
        writer.AddOutput("y", "unk__4", 1);
        writer.AddInitializer("w", [1, 1], [2f]);
        writer.AddInitializer("b", [1], [1f]);
        writer.AddNode("MatMul", "matmul", ["x", "w"], "xw");
        writer.AddNode("Add", "add", ["xw", "b"], sigmoid ? "logit" : "y");
        if (sigmoid)
        {
            writer.AddNode("Sigmoid", "sigmoid", ["logit"], "y");
        }

        return writer.ToBytes(sigmoid ? "sigmoid" : "linear", "monitor-tests", "1.0");
    }

    /// <summary>
    /// A model with the iris fixture's signature (input <c>keras_tensor</c> [N,4], output
    /// <c>output_0</c> [N,3]) that computes something else: softmax of a fixed linear map.
    /// </summary>
    public static byte[] IrisShapedLinear()
    {
        OnnxGraphWriter writer = new();
        writer.AddInput("keras_tensor", "N", 4);
        writer.AddOutput("output_0", "N", 3);
        writer.AddInitializer("weights", [4, 3], [0.5f, -0.2f, 0.1f, -0.3f, 0.8f, 0.05f, 0.2f, 0.1f, -0.6f, 0.9f, -0.4f, 0.3f]);
        writer.AddNode("MatMul", "matmul", ["keras_tensor", "weights"], "logits");
        writer.AddNode("Softmax", "softmax", ["logits"], "output_0", ("axis", -1));
        return writer.ToBytes("iris-shaped-linear", "monitor-tests", "1.0");
    }
}
