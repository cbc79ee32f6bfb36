namespace Monitor.Tests.Infrastructure;

/// <summary>
/// Tests that run after all others, one at a time. Their 404 responses for removed or unloaded
/// models are counted without a model label, and every daemon in the test process feeds every
/// scrape, so they would change the totals that other tests assert.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IsolatedCollection
{
    public const string Name = "isolated";
}
