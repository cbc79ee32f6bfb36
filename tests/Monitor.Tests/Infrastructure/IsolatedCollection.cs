namespace Monitor.Tests.Infrastructure;

/// <summary>
/// Tests that run after all others, one at a time, because every daemon in the test process
/// feeds every scrape. Some of them send requests that are counted without a model label (404
/// for a removed or unloaded model), and others assert exact counts for a model name that the
/// serving tests also use.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IsolatedCollection
{
    public const string Name = "isolated";
}
