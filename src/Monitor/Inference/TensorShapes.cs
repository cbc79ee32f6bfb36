namespace Monitor.Inference;

/// <summary>Arithmetic on tensor shapes.</summary>
internal static class TensorShapes
{
    /// <summary>Returns the number of elements of a tensor: the product of its dimensions.</summary>
    public static long ElementCount(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (long dimension in shape)
        {
            count *= dimension;
        }

        return count;
    }
}
