using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Monitor.Benchmarks.HotPathBenchmarks).Assembly).Run(args);
