using BenchmarkDotNet.Running;
using Clerk.AspNetCore.Benchmarks;

// `throughput [options]`: delivery throughput to a loopback emulator (benchmarks/throughput.sh); `feeds`: see below; anything else goes
// to BenchmarkDotNet.
if (args is ["throughput", .. var options])
{
    return await Throughput.RunAsync(options);
}

// `feeds [options]`: the product feed over loopback HTTP (benchmarks/feeds.sh).
if (args is ["feeds", .. var feedOptions])
{
    return await FeedThroughput.RunAsync(feedOptions);
}

// `hotpath [--runs N]`: the request hot path against its baselines, as ratios with their spread (benchmarks/hotpath.sh).
if (args is ["hotpath", .. var hotPathOptions])
{
    return HotPathReport.Run(hotPathOptions);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
