using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Clerk.AspNetCore.Tests.SampleShop;
using Clerk.AspNetCore.Tests.TestSupport;
using CsCheck;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Clerk.AspNetCore.Tests.Fuzz;

/// <summary>
/// Sends generated hostile requests (<see cref="HostileRequests"/>) to the sample shop with the package and the
/// emulator in it, and requires that none is answered with a 5xx and none logs an exception. The short form (the
/// default, in CI) sends 10,000; <c>CLERK_FUZZ_ITERATIONS=200000 ./test.sh --filter FullyQualifiedName~Fuzz</c> is
/// the long form. Every run writes its seed to the test output and to <c>artifacts/test-results/fuzz-seeds.log</c>;
/// <c>CLERK_FUZZ_SEED=&lt;seed&gt;</c> replays a run, and a failure prints the seed of the failing (shrunk) input.
/// </summary>
public sealed partial class ShopFuzzTests
{
    private const long ShortForm = 10_000;

    [Fact]
    public Task AnyRequest_HostileInput_NeverAnswers5xxNorLogsAnException() => FuzzAsync(HostileRequests.Any, ShortForm);

    /// <summary>
    /// The feeds with the right keys, from one client address: so that hostile arguments reach the argument checks and
    /// the EF Core sources rather than stopping at authentication or at the failed-authentication budget.
    /// </summary>
    [Fact]
    public Task FeedRequest_RightKeysHostileArguments_NeverAnswers5xxNorLogsAnException() => FuzzAsync(HostileRequests.Feed, ShortForm / 5);

    private static async Task FuzzAsync(Gen<HostileRequest> requests, long shortForm)
    {
        var seed = Environment.GetEnvironmentVariable("CLERK_FUZZ_SEED") is { Length: > 0 } given
            ? given
            : new PCG((uint)RandomNumberGenerator.GetInt32(int.MaxValue), (ulong)RandomNumberGenerator.GetInt32(int.MaxValue) << 20).ToString();
        var iterations = long.TryParse(Environment.GetEnvironmentVariable("CLERK_FUZZ_ITERATIONS"), CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : shortForm;
        Report($"fuzz: seed {seed}, {iterations} requests (replay with CLERK_FUZZ_SEED={seed})");

        await using var shop = new FuzzedShop();
        using var client = shop.CreateVisitorClient();
        var antiforgery = await AntiforgeryAsync(client);
        var sent = 0L;

        await Check.SampleAsync(
            requests,
            async request =>
            {
                var before = shop.Logs.Count;
                using var message = HostileRequests.ToMessage(request, antiforgery?.FormToken);
                if (request.Token == FormToken.Valid && antiforgery is { } valid)
                {
                    message.Headers.TryAddWithoutValidation("Cookie", valid.Cookie);
                }

                using var response = await client.SendAsync(message, TestContext.Current.CancellationToken);
                Interlocked.Increment(ref sent);
                if ((int)response.StatusCode >= 500)
                {
                    var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                    var exceptions = string.Join(Environment.NewLine, shop.Logs.GetSnapshot().Skip(before).Where(r => r.Exception is not null).Select(r => r.Exception));
                    throw new InvalidOperationException(
                        $"{(int)response.StatusCode} for {request}{Environment.NewLine}{exceptions}{Environment.NewLine}{body[..Math.Min(body.Length, 500)]}");
                }

                if (shop.Logs.GetSnapshot().Skip(before).FirstOrDefault(r => r.Exception is not null && r.Level >= LogLevel.Warning) is { } logged)
                {
                    throw new InvalidOperationException($"{request} logged {logged.Level} {logged.Category}[{logged.Id}] {logged.Message}: {logged.Exception}");
                }
            },
            writeLine: Report,
            seed: seed,
            iter: iterations,
            threads: 1,
            print: request => request.ToString());

        Assert.True(Interlocked.Read(ref sent) >= iterations, $"Only {sent} of {iterations} requests were sent.");
    }

    private static void Report(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        var log = Repository.PathOf("artifacts", "test-results", "fuzz-seeds.log");
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        File.AppendAllText(log, $"{DateTimeOffset.UtcNow:O} {line}{Environment.NewLine}");
    }

    /// <summary>The antiforgery cookie and form token a visitor gets from a page with a form, when the shop uses them.</summary>
    private static async Task<(string Cookie, string FormToken)?> AntiforgeryAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/privacy", TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var token = FormTokenPattern().Match(html);
        var cookie = response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.FirstOrDefault(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal))?.Split(';')[0]
            : null;
        return token.Success && cookie is not null ? (cookie, System.Net.WebUtility.HtmlDecode(token.Groups[1].Value)) : null;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex FormTokenPattern();

    /// <summary>The sample shop with its logs in memory (Warning and above), so that every logged exception is seen.</summary>
    private sealed class FuzzedShop : SampleShopFactory
    {
        public FakeLogCollector Logs => Services.GetRequiredService<FakeLogCollector>();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);

            // The admin pages exist only with a key: on, so that they are fuzzed too.
            builder.UseSetting("Admin:Key", "fuzzing admin key 0123456789");

            // One client sends every request: the feeds' per-client limit must not stop the feed fuzzing at 600.
            builder.UseSetting("Clerk:Feeds:PermitLimit", "100000");
            builder.ConfigureLogging(logging => logging.ClearProviders().SetMinimumLevel(LogLevel.Warning).AddFakeLogging());
        }
    }
}
