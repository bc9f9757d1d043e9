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

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
