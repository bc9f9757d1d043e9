using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.Testing.Tests.Api;

/// <summary>The pipeline of one call on an in-memory request, with the clock in the test's hand.</summary>
public sealed class EmulatorApiPipelineTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly ClerkEmulatorState _state;
    private readonly EmulatorApi _api;

    public EmulatorApiPipelineTests()
    {
        var options = Options.Create(new ClerkEmulatorOptions());
        var stores = new ClerkEmulatorStores(options.Value);
        _state = stores.Default;
        _api = new EmulatorApi(stores, options, _time);
    }

    [Fact]
    public async Task HandleAsync_DelayFault_AnswersOnlyWhenTheClockHasPassedTheDelay()
    {
        _state.InjectFault("log/product", new ClerkEmulatorFault(ClerkEmulatorFaultKind.Delay, Delay: TimeSpan.FromSeconds(10)), times: 1);
        var context = Get($"?key={ClerkEmulatorOptions.DemoPublicKey}&product=101");

        var handling = _api.HandleAsync(context, "log/product");
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(handling.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        await handling.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal(Start.AddSeconds(10), Assert.Single(_state.GetCalls("log/product")).Time);
    }

    [Fact]
    public async Task HandleAsync_DelayedSaleWhoseClientGaveUp_IsStillStoredLikeAnAnswerLostOnTheWay()
    {
        _state.InjectFault("log/sale", new ClerkEmulatorFault(ClerkEmulatorFaultKind.Delay, Delay: TimeSpan.FromSeconds(10)), times: 1);
        using var clientGone = new CancellationTokenSource();
        var context = Get($"?key={ClerkEmulatorOptions.DemoPublicKey}&sale=S-LATE&products=[101]");
        context.RequestAborted = clientGone.Token;

        var handling = _api.HandleAsync(context, "log/sale");
        await clientGone.CancelAsync();
        _time.Advance(TimeSpan.FromSeconds(10));
        await handling.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal("S-LATE", Assert.Single(_state.GetSales()).SaleId);
        Assert.Equal(new ClerkEmulatorSalesSummary(Received: 1, Distinct: 1, Duplicates: 0, Failed: 0), _state.GetSalesSummary());
        Assert.Equal(0, context.Response.Body.Length);
    }

    [Fact]
    public async Task HandleAsync_TooManyRequestsFault_RoundsRetryAfterUpToWholeSeconds()
    {
        _state.InjectFault("log/product", new ClerkEmulatorFault(ClerkEmulatorFaultKind.TooManyRequests, RetryAfter: TimeSpan.FromMilliseconds(1500)), times: 1);
        var context = Get($"?key={ClerkEmulatorOptions.DemoPublicKey}&product=101");

        await _api.HandleAsync(context, "log/product");

        Assert.Equal(StatusCodes.Status429TooManyRequests, context.Response.StatusCode);
        Assert.Equal("2", context.Response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task HandleAsync_HostileCallback_AnswersJsonParsingErrorAndRecordsIt()
    {
        var context = Get($"?key={ClerkEmulatorOptions.DemoPublicKey}&product=101&callback=alert(1)//");

        await _api.HandleAsync(context, "log/product");

        Assert.Equal(StatusCodes.Status400BadRequest, context.Response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", context.Response.ContentType);
        Assert.Equal("ParsingError", Assert.Single(_state.GetCalls("log/product")).ErrorType);
    }

    [Fact]
    public async Task HandleAsync_UnknownEndpoint_Answers404AndRecordsIt()
    {
        var context = Get($"?key={ClerkEmulatorOptions.DemoPublicKey}");

        await _api.HandleAsync(context, "recommendations/");

        Assert.Equal(StatusCodes.Status404NotFound, context.Response.StatusCode);
        Assert.Equal("Unknown endpoint: recommendations/", Assert.Single(_state.GetCalls("recommendations/")).ErrorMessage);
    }

    private static DefaultHttpContext Get(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        context.Request.QueryString = new QueryString(query);
        context.Response.Body = new MemoryStream();
        return context;
    }
}
