using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Testing.Tests;

/// <summary>Failing a share of an endpoint's calls with a seeded mix of kinds, in process and over HTTP.</summary>
public sealed class EmulatorFaultMixTests : IClassFixture<EmulatorFixture>
{
    private const string Key = ClerkEmulatorOptions.DemoPublicKey;
    private static readonly object Click = new { key = Key, product = 101, visitor = "aR9Km32l" };

    private static readonly ClerkEmulatorFaultKind[] AllKinds =
    [
        ClerkEmulatorFaultKind.InternalError, ClerkEmulatorFaultKind.TooManyRequests,
        ClerkEmulatorFaultKind.Delay, ClerkEmulatorFaultKind.DropConnection,
    ];

    private readonly EmulatorFixture _emulator;

    public EmulatorFaultMixTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
    }

    [Fact]
    public void InjectFaultMix_HalfOf1000Calls_FailsWithinThreeStandardDeviationsOfHalf()
    {
        var state = NewState();
        state.InjectFaultMix("log/sale", new ClerkEmulatorFaultMix(0.5, AllKinds, seed: 42));

        var failed = Draw(state, "log/sale", 1000).Count(f => f is not null);

        // Each call fails with chance 0.5, so 1,000 calls fail Binomial(1000, 0.5) times: mean 500, standard deviation
        // sqrt(1000 * 0.5 * 0.5) ≈ 15.8. ±50 is over three standard deviations (any seed lands inside 99.8% of the
        // time); with the fixed seed the count is one fixed number, so the test never flickers.
        Assert.InRange(failed, 450, 550);
    }

    [Fact]
    public void InjectFaultMix_SameSeed_RepeatsTheSameFaultsAndAnotherSeedDoesNot()
    {
        var first = NewState();
        var again = NewState();
        var other = NewState();
        first.InjectFaultMix("log/sale", new ClerkEmulatorFaultMix(0.5, AllKinds, seed: 7));
        again.InjectFaultMix("log/sale", new ClerkEmulatorFaultMix(0.5, AllKinds, seed: 7));
        other.InjectFaultMix("log/sale", new ClerkEmulatorFaultMix(0.5, AllKinds, seed: 8));

        var firstRun = Draw(first, "log/sale", 200).Select(f => f?.Kind).ToList();

        Assert.Equal(firstRun, Draw(again, "log/sale", 200).Select(f => f?.Kind).ToList());
        Assert.NotEqual(firstRun, Draw(other, "log/sale", 200).Select(f => f?.Kind).ToList());
    }

    [Fact]
    public void InjectFaultMix_InjectedAgain_StartsTheDrawsAfresh()
    {
        var state = NewState();
        var mix = new ClerkEmulatorFaultMix(0.5, AllKinds, seed: 3);
        state.InjectFaultMix("log/sale", mix);
        var firstRun = Draw(state, "log/sale", 100).Select(f => f?.Kind).ToList();

        state.InjectFaultMix("log/sale", mix);

        Assert.Equal(firstRun, Draw(state, "log/sale", 100).Select(f => f?.Kind).ToList());
    }

    [Fact]
    public void InjectFaultMix_FourKinds_PicksEachForAboutAQuarterOfTheFailures()
    {
        var state = NewState();
        state.InjectFaultMix("log/sale", new ClerkEmulatorFaultMix(1, AllKinds, seed: 42));

        var counts = Draw(state, "log/sale", 4000).GroupBy(f => f!.Kind).ToDictionary(g => g.Key, g => g.Count());

        // Each kind: Binomial(4000, 0.25), mean 1000, standard deviation ≈ 27.4; ±100 is over three and a half.
        Assert.All(AllKinds, kind => Assert.InRange(counts.GetValueOrDefault(kind), 900, 1100));
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(1.0, 100)]
    public void InjectFaultMix_RateZeroOrOne_FailsNoCallOrEveryCall(double rate, int expected)
    {
        var state = NewState();
        state.InjectFaultMix("log/sale", new ClerkEmulatorFaultMix(rate, [ClerkEmulatorFaultKind.InternalError]));

        Assert.Equal(expected, Draw(state, "log/sale", 100).Count(f => f is not null));
    }

    [Fact]
    public void InjectFaultMix_Faults_CarryTheMixRetryAfterAndDelayAndSpareOtherEndpoints()
    {
        var state = NewState();
        state.InjectFaultMix(
            "log/sale",
            new ClerkEmulatorFaultMix(1, [ClerkEmulatorFaultKind.TooManyRequests]) { RetryAfter = TimeSpan.FromSeconds(3), Delay = TimeSpan.FromSeconds(9) });

        var fault = state.TakeFault("log/sale");

        Assert.Equal(new ClerkEmulatorFault(ClerkEmulatorFaultKind.TooManyRequests, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(9)), fault);
        Assert.Null(state.TakeFault("log/click"));
    }

    [Fact]
    public void ClearFaults_AfterAMix_FailsNoMoreCalls()
    {
        var state = NewState();
        state.InjectFaultMix("log/sale", new ClerkEmulatorFaultMix(1, AllKinds));

        state.ClearFaults();

        Assert.All(Draw(state, "log/sale", 20), Assert.Null);
    }

    [Fact]
    public void InjectFault_OnAnEndpointWithAMix_ReplacesTheMix()
    {
        var state = NewState();
        state.InjectFaultMix("log/sale", new ClerkEmulatorFaultMix(1, [ClerkEmulatorFaultKind.DropConnection]));

        state.InjectFault("log/sale", new ClerkEmulatorFault(ClerkEmulatorFaultKind.InternalError), times: 1);

        Assert.Equal(ClerkEmulatorFaultKind.InternalError, state.TakeFault("log/sale")?.Kind);
        Assert.Null(state.TakeFault("log/sale"));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void Constructor_RateOutsideZeroToOne_Throws(double rate) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClerkEmulatorFaultMix(rate, AllKinds));

    [Fact]
    public void Constructor_NoKinds_Throws() =>
        Assert.Throws<ArgumentException>(() => new ClerkEmulatorFaultMix(0.5, []));

    [Fact]
    public async Task HttpFaults_Mix_FailsTheCallsAsToldUntilCleared()
    {
        var inject = await _emulator.Http.PostAsJsonAsync(
            "_emulator/faults",
            new { endpoint = "log/click", rate = 1.0, kinds = new[] { "TooManyRequests" }, seed = 5, retryAfterSeconds = 3 },
            TestContext.Current.CancellationToken);
        var (faulted, _) = await _emulator.PostAsync("log/click", Click);
        await _emulator.Http.DeleteAsync("_emulator/faults", TestContext.Current.CancellationToken);
        var (cleared, _) = await _emulator.PostAsync("log/click", Click);

        Assert.Equal(HttpStatusCode.NoContent, inject.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, faulted.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), faulted.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
    }

    [Fact]
    public async Task HttpFaults_MixWithoutKinds_MixesAllFourKinds()
    {
        await _emulator.Http.PostAsJsonAsync("_emulator/faults", new { endpoint = "log/sale", rate = 1.0, seed = 1 }, TestContext.Current.CancellationToken);

        var kinds = Draw(_emulator.Emulator.State, "log/sale", 200).Select(f => f!.Kind).ToHashSet();

        Assert.Equal(AllKinds.ToHashSet(), kinds);
    }

    [Theory]
    [InlineData("""{"endpoint":"log/sale","rate":1.5}""", "rate is the share of calls that fail")]
    [InlineData("""{"endpoint":"log/sale","rate":-1}""", "rate is the share of calls that fail")]
    [InlineData("""{"endpoint":"log/sale","rate":0.5,"times":3}""", "times and rate exclude each other")]
    [InlineData("""{"endpoint":"log/sale","rate":0.5,"kind":"InternalError"}""", "name the kinds to mix in kinds")]
    [InlineData("""{"endpoint":"log/sale","rate":0.5,"kinds":[]}""", "kinds needs at least one kind")]
    [InlineData("""{"endpoint":"log/sale","kinds":["Delay"]}""", "add rate")]
    [InlineData("""{"endpoint":"log/sale","seed":4}""", "add rate")]
    [InlineData("""{"rate":0.5}""", "endpoint is required")]
    [InlineData("""{"endpoint":"log/sale","rate":0.5,"delayMilliseconds":-1}""", "cannot be negative")]
    [InlineData("""{"endpoint":"log/sale","rate":0.5,"kinds":["Explode"]}""", "")]
    public async Task HttpFaults_InvalidMix_Answers400SayingWhatIsWrong(string body, string message)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        var response = await _emulator.Http.PostAsync("_emulator/faults", content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Null(_emulator.Emulator.State.TakeFault("log/sale"));
    }

    [Fact]
    public async Task GetSalesSummary_RepeatedAndFailedSales_CountsReceivedDistinctDuplicatesAndFailed()
    {
        await Sale("S-1");
        await Sale("S-1");
        await Sale("S-2");
        _emulator.Emulator.State.InjectFault("log/sale", new ClerkEmulatorFault(ClerkEmulatorFaultKind.InternalError), times: 1);
        await Sale("S-3");

        Assert.Equal(new ClerkEmulatorSalesSummary(Received: 3, Distinct: 2, Duplicates: 1, Failed: 1), _emulator.Emulator.State.GetSalesSummary());
    }

    [Fact]
    public async Task HttpSales_Summary_ReturnsTheCountsAsJsonAndResetZeroesThem()
    {
        await Sale("S-1");
        await Sale("S-1");

        var (response, text) = await _emulator.GetAsync("_emulator/sales");
        await _emulator.Http.DeleteAsync("_emulator/calls", TestContext.Current.CancellationToken);
        var (_, afterReset) = await _emulator.GetAsync("_emulator/sales");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = JsonNode.Parse(text)!;
        Assert.Equal(2, (long)summary["received"]!);
        Assert.Equal(1, (long)summary["distinct"]!);
        Assert.Equal(1, (long)summary["duplicates"]!);
        Assert.Equal(0, (long)summary["failed"]!);
        Assert.Equal(0, (long)JsonNode.Parse(afterReset)!["received"]!);
    }

    private static ClerkEmulatorState NewState() => new(Options.Create(new ClerkEmulatorOptions()));

    private static List<ClerkEmulatorFault?> Draw(ClerkEmulatorState state, string endpoint, int calls) =>
        Enumerable.Range(0, calls).Select(_ => state.TakeFault(endpoint)).ToList();

    private Task<(HttpResponseMessage Response, JsonObject Body)> Sale(string saleId) =>
        _emulator.PostAsync("log/sale", new { key = Key, sale = saleId, visitor = "aR9Km32l", products = new[] { new { id = 101, price = 1, quantity = 1 } } });
}
