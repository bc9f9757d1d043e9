using BenchmarkDotNet.Running;
using Clerk.AspNetCore.Benchmarks;

// `throughput [options]`: delivery throughput to a loopback emulator (benchmarks/throughput.sh); anything else goes
// to BenchmarkDotNet.
if (args is ["throughput", .. var options])
{
    return await Throughput.RunAsync(options);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
