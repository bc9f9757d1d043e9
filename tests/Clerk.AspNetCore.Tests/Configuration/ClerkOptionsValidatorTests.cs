using Clerk.AspNetCore.Configuration;


namespace Clerk.AspNetCore.Tests.Configuration;

public sealed class ClerkOptionsValidatorTests
{
    [Fact]
    public void Validate_Defaults_WithPublicKey_Succeeds()
    {
        var result = new ClerkOptionsValidator().Validate(null, new ClerkOptions { PublicKey = "pub" });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_Defaults_MatchTheDocumentedValues()
    {
        var options = new ClerkOptions();

        Assert.True(options.Enabled);
        Assert.Equal("https://api.clerk.io/v2", options.ApiBaseUrl.ToString().TrimEnd('/'));
        Assert.Equal("https://cdn.clerk.io/clerk.js", options.ClerkJsUrl);
        Assert.Equal("clerk_visitor", options.VisitorCookie.Name);
        Assert.Equal(TimeSpan.FromDays(365), options.VisitorCookie.Lifetime);
        Assert.Equal("/", options.VisitorCookie.Path);
        Assert.Null(options.VisitorCookie.Domain);
        Assert.Equal(ClerkVisitorMode.Cookieless, options.UndecidedConsentMode);
        Assert.True(options.HonorGlobalPrivacyControl);
        Assert.Equal(ClerkConsent.Undecided, options.DefaultConsent);
        Assert.False(options.AllowVisitorQueryParameter);
        Assert.Null(options.Language);
        Assert.Empty(options.Globals);
        Assert.True(options.TrackClicks);
        Assert.Null(options.Debug);
        Assert.True(options.CollectEmails);
        Assert.Null(options.CspNonce);
        Assert.Equal(TimeSpan.FromDays(30), options.SaleLedger.Retention);
        Assert.Equal(100_000, options.SaleLedger.SizeLimit);
    }

    [Fact]
    public void Validate_DisabledWithoutKey_Succeeds()
    {
        var result = new ClerkOptionsValidator().Validate(null, new ClerkOptions { Enabled = false });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    public static TheoryData<string, Action<ClerkOptions>, string> InvalidOptions => new()
    {
        { "missing public key", o => o.PublicKey = null, "Clerk:PublicKey is missing" },
        { "blank public key", o => o.PublicKey = "  ", "Clerk:PublicKey is missing" },
        { "public key with space", o => o.PublicKey = "abc def", "Clerk:PublicKey contains spaces" },
        { "empty private key", o => o.PrivateKey = "", "Clerk:PrivateKey is empty" },
        { "private key equals public key", o => o.PrivateKey = o.PublicKey, "Clerk:PrivateKey is the same as Clerk:PublicKey" },
        { "relative API URL", o => o.ApiBaseUrl = new Uri("/v2", UriKind.Relative), "Clerk:ApiBaseUrl must be an absolute http or https URL" },
        { "ftp API URL", o => o.ApiBaseUrl = new Uri("ftp://api.clerk.io/v2"), "Clerk:ApiBaseUrl must be an absolute http or https URL" },
        { "empty Clerk.js URL", o => o.ClerkJsUrl = "", "Clerk:ClerkJsUrl must be" },
        { "javascript Clerk.js URL", o => o.ClerkJsUrl = "javascript:alert(1)", "Clerk:ClerkJsUrl must be" },
        { "relative Clerk.js URL without slash", o => o.ClerkJsUrl = "clerk.js", "Clerk:ClerkJsUrl must be" },
        { "Clerk.js URL with quote and space", o => o.ClerkJsUrl = "/clerk.js\" onload=\"x", "Clerk:ClerkJsUrl must be" },
        { "empty cookie name", o => o.VisitorCookie.Name = "", "Clerk:VisitorCookie:Name must be" },
        { "cookie name with semicolon", o => o.VisitorCookie.Name = "a;b", "Clerk:VisitorCookie:Name must be" },
        { "cookie name with space", o => o.VisitorCookie.Name = "a b", "Clerk:VisitorCookie:Name must be" },
        { "zero lifetime", o => o.VisitorCookie.Lifetime = TimeSpan.Zero, "Clerk:VisitorCookie:Lifetime must be more than zero and at most 400 days" },
        { "lifetime over 400 days", o => o.VisitorCookie.Lifetime = TimeSpan.FromDays(401), "Clerk:VisitorCookie:Lifetime must be more than zero and at most 400 days" },
        { "path without slash", o => o.VisitorCookie.Path = "shop", "Clerk:VisitorCookie:Path must start with '/'" },
        { "path with semicolon", o => o.VisitorCookie.Path = "/;domain=evil", "Clerk:VisitorCookie:Path must start with '/'" },
        { "domain with semicolon", o => o.VisitorCookie.Domain = "a.com; secure", "Clerk:VisitorCookie:Domain must be a host name" },
        { "empty domain", o => o.VisitorCookie.Domain = "", "Clerk:VisitorCookie:Domain must be a host name" },
        { "host prefix with a path", o => { o.VisitorCookie.UseHostPrefix = true; o.VisitorCookie.Path = "/shop"; }, "Clerk:VisitorCookie:UseHostPrefix is true, so the cookie is named '__Host-clerk_visitor'" },
        { "host prefix with a domain", o => { o.VisitorCookie.UseHostPrefix = true; o.VisitorCookie.Domain = ".example.com"; }, "remove Clerk:VisitorCookie:Domain" },
        { "prefix written into the name", o => o.VisitorCookie.Name = "__Host-clerk_visitor", "Clerk:VisitorCookie:Name starts with a cookie prefix" },
        { "secure prefix written into the name", o => o.VisitorCookie.Name = "__secure-clerk", "Clerk:VisitorCookie:Name starts with a cookie prefix" },
        { "persistent for undecided", o => o.UndecidedConsentMode = ClerkVisitorMode.Persistent, "Clerk:UndecidedConsentMode is 'Persistent'" },
        { "undefined default consent", o => o.DefaultConsent = (ClerkConsent)7, "Clerk:DefaultConsent is '7'" },
        { "null cookie options", o => o.VisitorCookie = null!, "Clerk:VisitorCookie is null" },
        { "zero ledger retention", o => o.SaleLedger.Retention = TimeSpan.Zero, "Clerk:SaleLedger:Retention must be more than zero" },
        { "zero ledger size", o => o.SaleLedger.SizeLimit = 0, "Clerk:SaleLedger:SizeLimit must be at least 1" },
        { "null ledger options", o => o.SaleLedger = null!, "Clerk:SaleLedger is null" },
        { "null globals", o => o.Globals = null!, "Clerk:Globals is null" },
        { "undefined mode", o => o.Mode = (ClerkIntegrationMode)9, "Clerk:Mode is '9'" },
        { "client-side sales in API mode", o => { o.Mode = ClerkIntegrationMode.Api; o.SaleTracking = ClerkSaleTracking.ClientSide; }, "no Clerk.js runs in the browser" },
        { "fallback sales in API mode", o => { o.Mode = ClerkIntegrationMode.Api; o.SaleTracking = ClerkSaleTracking.ServerSideWithClientFallback; }, "no Clerk.js runs in the browser" },
        { "undefined sale tracking", o => o.SaleTracking = (ClerkSaleTracking)9, "Clerk:SaleTracking is '9'" },
        { "zero API timeout", o => o.ApiTimeout = TimeSpan.Zero, "Clerk:ApiTimeout must be more than zero" },
        { "beacon path without slash", o => o.BeaconPath = "clerk/click", "Clerk:BeaconPath must be a path on this site" },
        { "protocol-relative beacon path", o => o.BeaconPath = "//evil.example/click", "Clerk:BeaconPath must be a path on this site" },
        { "beacon path with query", o => o.BeaconPath = "/clerk?x=1", "Clerk:BeaconPath must be a path on this site" },
        { "beacon path with route parameter", o => o.BeaconPath = "/clerk/{id}", "Clerk:BeaconPath must be a path on this site" },
        { "zero queue", o => o.Delivery.QueueCapacity = 0, "Clerk:Delivery:QueueCapacity must be from 1 to 1000000" },
        { "zero concurrency", o => o.Delivery.MaxConcurrency = 0, "Clerk:Delivery:MaxConcurrency must be from 1 to 64" },
        { "retry delays reversed", o => o.Delivery.MaxRetryDelay = TimeSpan.FromMilliseconds(1), "Clerk:Delivery:FirstRetryDelay must be more than zero and at most MaxRetryDelay" },
        { "outbox poll interval zero", o => o.Delivery.OutboxPollInterval = TimeSpan.Zero, "Clerk:Delivery:OutboxPollInterval must be from 10 milliseconds to 5 minutes" },
        { "outbox batch size zero", o => o.Delivery.OutboxBatchSize = 0, "Clerk:Delivery:OutboxBatchSize must be from 1 to 1000" },
        { "outbox lease shorter than two calls", o => { o.ApiTimeout = TimeSpan.FromSeconds(5); o.Delivery.OutboxLeaseDuration = TimeSpan.FromSeconds(9); }, "Clerk:Delivery:OutboxLeaseDuration must be at least twice Clerk:ApiTimeout" },
        { "zero give-up", o => o.Delivery.SaleGiveUpAfter = TimeSpan.Zero, "Clerk:Delivery:SaleGiveUpAfter must be more than zero" },
        { "zero attempts", o => o.Delivery.MaxEventAttempts = 0, "Clerk:Delivery:MaxEventAttempts must be from 1 to 100" },
        { "zero health window", o => o.Delivery.SalesHealthWindow = TimeSpan.Zero, "Clerk:Delivery:SalesHealthWindow must be more than zero" },
        { "null delivery options", o => o.Delivery = null!, "Clerk:Delivery is null" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Validate_InvalidSetting_FailsNamingTheSetting(string why, Action<ClerkOptions> breakIt, string expected)
    {
        var options = new ClerkOptions { PublicKey = "pub" };
        breakIt(options);

        var result = new ClerkOptionsValidator().Validate(null, options);

        Assert.True(result.Failed, why);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEveryOne()
    {
        var options = new ClerkOptions { PublicKey = null, ClerkJsUrl = "", UndecidedConsentMode = ClerkVisitorMode.Persistent };

        var result = new ClerkOptionsValidator().Validate(null, options);

        Assert.Equal(3, result.Failures!.Count());
    }

    [Fact]
    public void Validate_PrivateKeyProblems_NeverQuoteTheKey()
    {
        var options = new ClerkOptions { PublicKey = "same-secret-value", PrivateKey = "same-secret-value" };

        var result = new ClerkOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.DoesNotContain("same-secret-value", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://cdn.clerk.io/clerk.js")]
    [InlineData("https://custom.clerk.io/mystore.js")]
    [InlineData("http://localhost:5080/clerk-emulator/clerk.js")]
    [InlineData("/clerk-emulator/clerk.js")]
    [InlineData("//cdn.clerk.io/clerk.js")]
    public void Validate_AcceptedClerkJsUrls_Succeed(string url)
    {
        var result = new ClerkOptionsValidator().Validate(null, new ClerkOptions { PublicKey = "pub", ClerkJsUrl = url });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void ToString_WithPrivateKey_RedactsIt()
    {
        var options = new ClerkOptions { PublicKey = "pub", PrivateKey = "very-secret" };

        Assert.DoesNotContain("very-secret", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("(redacted)", options.ToString(), StringComparison.Ordinal);
    }
}
