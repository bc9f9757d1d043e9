using System.Diagnostics;

namespace Clerk.AspNetCore.FunctionalTests.WebFarm;

/// <summary>
/// The sample shop as a process of its own (its build next to the tests), in a farm: the farm's database and
/// emulator, server-side sales, the farm's short retries. <see cref="Kill"/> is SIGKILL: nothing runs after it.
/// </summary>
internal sealed class ShopProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ShopProcess(Process process, Uri address)
    {
        _process = process;
        Instance = new ProcessInstance(address);
    }

    /// <summary>Where the process answers, for <see cref="WebFarm.BuyAsync"/>.</summary>
    public ProcessInstance Instance { get; }

    public static async Task<ShopProcess> StartAsync(WebFarm farm)
    {
        var port = LoopbackPort.Reserve();
        var address = new Uri($"http://127.0.0.1:{port}/");
        var shop = Path.Combine(AppContext.BaseDirectory, "SampleShop.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { shop, "--urls", address.ToString().TrimEnd('/'), "--contentRoot", AppContext.BaseDirectory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ClerkEmulator__Enabled"] = "true";
        start.Environment["ClerkEmulator__Url"] = farm.Instances[0].EmulatorAddress.ToString().TrimEnd('/');
        start.Environment["ConnectionStrings__Shop"] = farm.Database.ConnectionString;
        foreach (var (key, value) in WebFarm.Settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["Clerk__SaleTracking"] = "ServerSide";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var client = new HttpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            Assert.False(process.HasExited, $"The sample shop process exited with {(process.HasExited ? process.ExitCode : 0)} while starting.");
            try
            {
                using var health = await client.GetAsync(new Uri(address, "/health"), timeout.Token);
                if (health.IsSuccessStatusCode)
                {
                    return new ShopProcess(process, address);
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>SIGKILL, as <c>kill -9</c>: no shutdown, no flush.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
