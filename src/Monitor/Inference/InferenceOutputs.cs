namespace Monitor.Inference;

/// <summary>One output tensor of one request, copied out of ONNX Runtime's memory.</summary>
public sealed record OutputTensor(TensorSpec Spec, long[] Shape, float[] Data);

/// <summary>The inputs of one request, decoded to float32 and laid out row-major.</summary>
/// <param name="Buffers">One buffer per model input, in the model's input order; may be longer than the data.</param>
/// <param name="Shapes">The full shape of each input, the first dimension being <paramref name="Rows"/>.</param>
/// <param name="Rows">The request's rows (its batch dimension).</param>
/// <remarks>The buffers are rented from <see cref="System.Buffers.ArrayPool{T}.Shared"/>; whoever runs the request returns them.</remarks>
public sealed record InferenceInputs(float[][] Buffers, long[][] Shapes, int Rows)
{
    public void ReturnBuffers()
    {
        foreach (float[] buffer in this.Buffers)
        {
            System.Buffers.ArrayPool<float>.Shared.Return(buffer);
        }
    }
}
