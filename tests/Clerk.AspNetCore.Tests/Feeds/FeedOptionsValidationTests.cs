using Clerk.AspNetCore.Configuration;

namespace Clerk.AspNetCore.Tests.Feeds;

/// <summary><c>Clerk:Feeds</c> is checked at start, with messages that say how to fix it.</summary>
public sealed class FeedOptionsValidationTests
{
    private static string? Validate(Action<ClerkFeedOptions> configure)
    {
        var options = new ClerkOptions { PublicKey = "pub" };
        configure(options.Feeds);
        var result = new ClerkOptionsValidator().Validate(null, options);
        return result.Succeeded ? null : result.FailureMessage;
    }

    [Fact]
    public void Validate_Defaults_SucceedAndAreTheDocumentedValues()
    {
        var feeds = new ClerkFeedOptions();

        Assert.Null(Validate(_ => { }));
        Assert.Equal("/clerk", feeds.PathPrefix);
        Assert.Equal(100, feeds.DefaultLimit);
        Assert.Equal(1000, feeds.MaxLimit);
        Assert.Null(feeds.BaseUrl);
        Assert.Equal(600, feeds.PermitLimit);
        Assert.Equal(TimeSpan.FromMinutes(1), feeds.Window);
        Assert.Equal(TimeSpan.FromMilliseconds(500), feeds.SyncDelay);
        Assert.Equal(100, feeds.SyncBatchSize);
    }

    public static TheoryData<string, Action<ClerkFeedOptions>, string> Invalid => new()
    {
        { "prefix without slash", f => f.PathPrefix = "clerk", "Clerk:Feeds:PathPrefix must be a path on this site such as '/clerk'" },
        { "prefix with query", f => f.PathPrefix = "/clerk?x=1", "Clerk:Feeds:PathPrefix must be a path" },
        { "protocol-relative prefix", f => f.PathPrefix = "//evil.example", "Clerk:Feeds:PathPrefix must be a path" },
        { "prefix with route parameter", f => f.PathPrefix = "/{store}", "Clerk:Feeds:PathPrefix must be a path" },
        { "zero max limit", f => f.MaxLimit = 0, "Clerk:Feeds:MaxLimit must be from 1 to 10000; it was 0." },
        { "huge max limit", f => f.MaxLimit = 10_001, "Clerk:Feeds:MaxLimit must be from 1 to 10000; it was 10001." },
        { "zero default limit", f => f.DefaultLimit = 0, "Clerk:Feeds:DefaultLimit must be from 1 to Clerk:Feeds:MaxLimit (1000); it was 0." },
        { "default over max", f => { f.MaxLimit = 50; f.DefaultLimit = 100; }, "Clerk:Feeds:DefaultLimit must be from 1 to Clerk:Feeds:MaxLimit (50); it was 100." },
        { "relative base URL", f => f.BaseUrl = new Uri("/shop", UriKind.Relative), "Clerk:Feeds:BaseUrl must be the shop's absolute http or https address" },
        { "ftp base URL", f => f.BaseUrl = new Uri("ftp://shop.example/"), "Clerk:Feeds:BaseUrl must be the shop's absolute http or https address" },
        { "base URL with query", f => f.BaseUrl = new Uri("https://shop.example/?a=1"), "without a query or fragment" },
        { "zero permit limit", f => f.PermitLimit = 0, "Clerk:Feeds:PermitLimit must be from 1 to 100000" },
        { "short window", f => f.Window = TimeSpan.FromMilliseconds(10), "Clerk:Feeds:Window must be from 1 second to 1 hour" },
        { "long window", f => f.Window = TimeSpan.FromHours(2), "Clerk:Feeds:Window must be from 1 second to 1 hour" },
        { "negative sync delay", f => f.SyncDelay = TimeSpan.FromSeconds(-1), "Clerk:Feeds:SyncDelay must be from zero to 1 minute" },
        { "long sync delay", f => f.SyncDelay = TimeSpan.FromMinutes(2), "Clerk:Feeds:SyncDelay must be from zero to 1 minute" },
        { "zero sync batch", f => f.SyncBatchSize = 0, "Clerk:Feeds:SyncBatchSize must be from 1 to 1000" },
        { "huge sync batch", f => f.SyncBatchSize = 1001, "Clerk:Feeds:SyncBatchSize must be from 1 to 1000" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_InvalidFeedOption_FailsSayingHowToFixIt(string what, Action<ClerkFeedOptions> configure, string message)
    {
        var failure = Validate(configure);

        Assert.True(failure is not null, what);
        Assert.Contains(message, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NullFeeds_FailsSayingToRemoveTheAssignment()
    {
        var result = new ClerkOptionsValidator().Validate(null, new ClerkOptions { PublicKey = "pub", Feeds = null! });

        Assert.Contains("Clerk:Feeds is null. Remove the assignment to keep the defaults.", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/clerk")]
    public void Validate_OtherPrefixes_Succeed(string prefix)
    {
        Assert.Null(Validate(f => f.PathPrefix = prefix));
    }
}
