using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Clerk.AspNetCore.Testing.Tests.Api;

public sealed class EmulatorCallRecorderTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly ClerkEmulatorState _state = new(Options.Create(new ClerkEmulatorOptions()));
    private readonly EmulatorCallRecorder _recorder;

    public EmulatorCallRecorderTests() => _recorder = new EmulatorCallRecorder(_state, _time);

    [Fact]
    public void Record_UnstampedCall_TakesTheClocksTime()
    {
        _time.Advance(TimeSpan.FromMinutes(5));

        _recorder.Record(Arguments.Call("""{"product":101}"""), "log/click", "POST", EmulatorResponse.Ok());

        Assert.Equal(Start.AddMinutes(5), Assert.Single(_state.GetCalls("log/click")).Time);
    }

    [Fact]
    public void Record_StampedSale_KeepsItsStampNotTheClock()
    {
        var call = Arguments.Call("""{"sale":"A-1"}""");
        call.Stamp(42, Start);
        _time.Advance(TimeSpan.FromHours(1));

        _recorder.Record(call, "log/sale", "POST", EmulatorResponse.Ok());

        var recorded = Assert.Single(_state.GetCalls("log/sale"));
        Assert.Equal(Start, recorded.Time);
        Assert.Equal(42, recorded.Sequence);
    }

    [Fact]
    public void Record_VisitorAndLabels_AreKeptForTheInspector()
    {
        _recorder.Record(Arguments.Call("""{"visitor":"aR9Km32l","labels":["Home - Trending"]}"""), "log/click", "GET", EmulatorResponse.Ok());

        var recorded = Assert.Single(_state.GetCalls("log/click"));
        Assert.Equal("aR9Km32l", recorded.Visitor);
        Assert.Equal(["Home - Trending"], recorded.Labels);
        Assert.Equal("GET", recorded.Method);
    }

    [Fact]
    public void Record_FailedCall_KeepsTheErrorTypeAndMessage()
    {
        _recorder.Record(Arguments.Call("{}"), "log/click", "POST", EmulatorResponse.Authentication("Invalid API key"));

        var recorded = Assert.Single(_state.GetCalls("log/click"));
        Assert.False(recorded.Succeeded);
        Assert.Equal("AuthenticationError", recorded.ErrorType);
        Assert.Equal("Invalid API key", recorded.ErrorMessage);
    }

    [Fact]
    public void Record_PrivateKey_IsRedactedAndOtherArgumentsKept()
    {
        _recorder.Record(Arguments.Call("""{"key":"k","private_key":"secret"}"""), "client/account/info", "POST", EmulatorResponse.Ok());

        var arguments = Assert.Single(_state.GetCalls("client/account/info")).Arguments;
        Assert.Equal("(redacted)", arguments.GetProperty("private_key").GetString());
        Assert.Equal("k", arguments.GetProperty("key").GetString());
    }
}
