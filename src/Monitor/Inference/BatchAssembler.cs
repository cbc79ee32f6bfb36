using System.Buffers;

namespace Monitor.Inference;

/// <summary>Stacks the rows of several requests along the batch dimension, input by input.</summary>
internal static class BatchAssembler
{
    /// <summary>Copies every request's rows into one buffer per input, rented from the shared pool; the caller returns them.</summary>
    /// <param name="requests">The requests, in the order their rows go into the batch.</param>
    /// <param name="inputs">The model's inputs, whose row sizes are fixed.</param>
    /// <param name="rows">The sum of the requests' rows.</param>
    public static (float[][] Buffers, long[][] Shapes) Stack(IReadOnlyList<InferenceInputs> requests, IReadOnlyList<TensorSpec> inputs, int rows)
    {
        float[][] buffers = new float[inputs.Count][];
        long[][] shapes = new long[inputs.Count][];
        for (int input = 0; input < inputs.Count; input++)
        {
            long[] shape = (long[])requests[0].Shapes[input].Clone();
            shape[0] = rows;
            shapes[input] = shape;

            int rowSize = checked((int)inputs[input].RowSize);
            float[] buffer = ArrayPool<float>.Shared.Rent(rows * rowSize);
            int offset = 0;
            foreach (InferenceInputs request in requests)
            {
                int length = request.Rows * rowSize;
                Array.Copy(request.Buffers[input], 0, buffer, offset, length);
                offset += length;
            }

            buffers[input] = buffer;
        }

        return (buffers, shapes);
    }
}
