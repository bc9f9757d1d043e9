using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Clerk.AspNetCore.Benchmarks;

/// <summary>A Production host environment for services built by hand.</summary>
internal sealed class BenchmarkHostEnvironment : IHostEnvironment
{
    public string EnvironmentName { get; set; } = Environments.Production;

    public string ApplicationName { get; set; } = "Benchmarks";

    public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
