using System.Net;
using System.Net.Http.Json;

namespace Clerk.AspNetCore.Testing.Tests;

public sealed class EmulatorFaultTests : IClassFixture<EmulatorFixture>
{
    private const string Key = ClerkEmulatorOptions.DemoPublicKey;
    private static readonly object Click = new { key = Key, product = 101, visitor = "aR9Km32l" };
    private readonly EmulatorFixture _emulator;

    public EmulatorFaultTests(EmulatorFixture emulator)
    {
        _emulator = emulator;
        _emulator.Reset();
    }

    [Fact]
    public async Task InternalError_ForNextTwoCalls_Answers500TwiceThenOk()
    {
        _emulator.Emulator.State.InjectFault("log/click", new ClerkEmulatorFault(ClerkEmulatorFaultKind.InternalError), times: 2);

        var first = await _emulator.PostAsync("log/click", Click);
        var second = await _emulator.PostAsync("log/click", Click);
        var third = await _emulator.PostAsync("log/click", Click);

        Assert.Equal(HttpStatusCode.InternalServerError, first.Response.StatusCode);
        Assert.Equal("InternalError", (string?)first.Body["type"]);
        Assert.Equal(HttpStatusCode.InternalServerError, second.Response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.Response.StatusCode);
    }

    [Fact]
    public async Task Fault_OnOneEndpoint_LeavesOthersAlone()
    {
        _emulator.Emulator.State.InjectFault("log/sale", new ClerkEmulatorFault(ClerkEmulatorFaultKind.InternalError));

        var (response, _) = await _emulator.PostAsync("log/click", Click);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TooManyRequests_Always_Answers429WithRetryAfter()
    {
        _emulator.Emulator.State.InjectFault("log/click", new ClerkEmulatorFault(ClerkEmulatorFaultKind.TooManyRequests, RetryAfter: TimeSpan.FromSeconds(7)));

        var (response, _) = await _emulator.PostAsync("log/click", Click);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Delay_LongerThanClientTimeout_MakesTheClientTimeOut()
    {
        _emulator.Emulator.State.InjectFault("log/click", new ClerkEmulatorFault(ClerkEmulatorFaultKind.Delay, Delay: TimeSpan.FromSeconds(10)), times: 1);
        using var impatient = new HttpClient { BaseAddress = _emulator.Emulator.BaseAddress, Timeout = TimeSpan.FromMilliseconds(200) };

        await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.PostAsJsonAsync("v2/log/click", Click, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task DropConnection_Always_FailsTheRequestWithoutAnswer()
    {
        _emulator.Emulator.State.InjectFault("log/click", new ClerkEmulatorFault(ClerkEmulatorFaultKind.DropConnection), times: 1);

        await Assert.ThrowsAsync<HttpRequestException>(() => _emulator.PostAsync("log/click", Click));
        var (after, _) = await _emulator.PostAsync("log/click", Click);

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task HttpFaults_PostThenDelete_InjectsAndClears()
    {
        var inject = await _emulator.Http.PostAsJsonAsync(
            "_emulator/faults", new { endpoint = "log/click", kind = "InternalError" }, TestContext.Current.CancellationToken);
        var (faulted, _) = await _emulator.PostAsync("log/click", Click);
        var clear = await _emulator.Http.DeleteAsync("_emulator/faults", TestContext.Current.CancellationToken);
        var (cleared, _) = await _emulator.PostAsync("log/click", Click);

        Assert.Equal(HttpStatusCode.NoContent, inject.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, faulted.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, clear.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
    }

    [Fact]
    public async Task HttpFaults_InvalidRequest_Answers400()
    {
        var response = await _emulator.Http.PostAsJsonAsync(
            "_emulator/faults", new { endpoint = "log/click", kind = "InternalError", times = 0 }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
