// OpenTelemetry's MeterProvider listens to every meter named "Monitor" in the process, so two
// daemons alive at once would add up each other's metrics. Tests therefore run one at a time, and
// a test that starts its own daemon is not in the shared serving collection.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
