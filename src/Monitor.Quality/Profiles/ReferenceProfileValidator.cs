namespace Monitor.Quality;

/// <summary>
/// Rules that every <see cref="ReferenceProfile"/> satisfies.
/// </summary>
internal static class ReferenceProfileValidator
{
    public static List<string> FindProblems(ReferenceProfile profile)
    {
        var problems = new List<string>();

        if (profile.ClassNames.Length == 0)
        {
            problems.Add("classNames is empty; expected one name per class.");
        }

        if (profile.ClassShares.Length != profile.ClassNames.Length)
        {
            problems.Add(
                $"classShares has {profile.ClassShares.Length} values but classNames has {profile.ClassNames.Length}; expected one share per class.");
        }

        AddShareProblems(problems, "classShares", profile.ClassShares);

        string? boundsProblem = ConfidenceBuckets.FindProblem(profile.ConfidenceBucketBounds);
        if (boundsProblem is not null)
        {
            problems.Add(boundsProblem);
        }

        if (profile.ConfidenceShares.Length != profile.ConfidenceBucketBounds.Length)
        {
            problems.Add(
                $"confidenceShares has {profile.ConfidenceShares.Length} values but confidenceBucketBounds has " +
                $"{profile.ConfidenceBucketBounds.Length}; expected one share per bucket.");
        }

        AddShareProblems(problems, "confidenceShares", profile.ConfidenceShares);

        if (!(profile.MeanConfidence is >= 0 and <= 1))
        {
            problems.Add($"meanConfidence is {profile.MeanConfidence}; expected a value from 0 to 1.");
        }

        if (profile.Accuracy is double accuracy && !(accuracy is >= 0 and <= 1))
        {
            problems.Add($"accuracy is {accuracy}; expected a value from 0 to 1, or null.");
        }

        if (profile.Rows <= 0)
        {
            problems.Add($"rows is {profile.Rows}; expected a positive count.");
        }

        return problems;
    }

    private static void AddShareProblems(List<string> problems, string name, double[] shares)
    {
        if (shares.Length == 0)
        {
            return;
        }

        double sum = 0;
        for (int i = 0; i < shares.Length; i++)
        {
            if (!double.IsFinite(shares[i]) || shares[i] < 0)
            {
                problems.Add($"{name}[{i}] is {shares[i]}; expected a finite, non-negative share.");
                return;
            }

            sum += shares[i];
        }

        if (Math.Abs(sum - 1) > ReferenceProfile.ShareSumTolerance)
        {
            problems.Add($"{name} sums to {sum}; expected 1 within {ReferenceProfile.ShareSumTolerance}.");
        }
    }
}
