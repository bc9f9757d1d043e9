using Clerk.AspNetCore.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.Tests.Visitors;

public sealed class ClerkTrackingMiddlewareTests
{
    private const string CookieName = "clerk_visitor";
    private const string ReturningId = "aR9Km32lQx7Tz0Pb";

    // --- Granted → Persistent (a shop that set DefaultConsent = Granted: it has decided consent is not needed) ------

    [Fact]
    public async Task InvokeAsync_GrantedNewVisitor_IssuesCookieWithExactAttributes()
    {
        await using var host = await TrackingHost.StartGrantedAsync();

        using var response = await host.GetAsync();
        var visitor = await VisitorSnapshot.ReadAsync(response);

        var raw = Assert.Single(SetCookies.Raw(response));
        Assert.Equal($"{CookieName}={visitor.VisitorId}; max-age=31536000; path=/; samesite=lax; httponly", raw);
        Assert.Equal(ClerkVisitorMode.Persistent, visitor.Mode);
        Assert.True(visitor.IsNewVisitor);
        Assert.True(visitor.VisitorId is { Length: 16 } && VisitorId.IsValid(visitor.VisitorId), visitor.VisitorId);
    }

    [Fact]
    public async Task InvokeAsync_GrantedOverHttps_IssuesSecureCookie()
    {
        await using var host = await TrackingHost.StartGrantedAsync();

        using var response = await host.GetAsync(https: true);

        var cookie = SetCookies.Find(response, CookieName);
        Assert.NotNull(cookie);
        Assert.True(cookie.Secure);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(Microsoft.Net.Http.Headers.SameSiteMode.Lax, cookie.SameSite);
    }

    [Fact]
    public async Task InvokeAsync_ReturningVisitorWithValidCookie_ReusesIdWithoutSetCookie()
    {
        await using var host = await TrackingHost.StartGrantedAsync();

        using var response = await host.GetAsync(cookie: $"{CookieName}={ReturningId}");
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.Equal(ReturningId, visitor.VisitorId);
        Assert.False(visitor.IsNewVisitor);
        Assert.Empty(SetCookies.Raw(response));
    }

    [Fact]
    public async Task InvokeAsync_ExistingShortOrLongValidIds_AreKept()
    {
        await using var host = await TrackingHost.StartGrantedAsync();

        var eight = await host.GetVisitorAsync(cookie: $"{CookieName}=aR9Km32l");
        var thirtyTwo = await host.GetVisitorAsync(cookie: $"{CookieName}=a1d0c6e83f027327d8461063f4ac58a6");

        Assert.Equal("aR9Km32l", eight.VisitorId);
        Assert.Equal("a1d0c6e83f027327d8461063f4ac58a6", thirtyTwo.VisitorId);
    }

    [Theory]
    [InlineData("%3Cscript%3Ealert(1)%3C%2Fscript%3E")]
    [InlineData("a1d0c6e83f027327d8461063f4ac58a6X")]
    [InlineData("abc%22def")]
    [InlineData("abc'def")]
    [InlineData("\"quoted\"")]
    [InlineData("%C3%A6%C3%B8%C3%A5")]
    [InlineData("abc%3Bdef")]
    [InlineData("abc-def")]
    [InlineData("")]
    public async Task InvokeAsync_HostileCookieValue_IsReplacedAndNeverEchoed(string hostile)
    {
        await using var host = await TrackingHost.StartGrantedAsync();

        using var response = await host.GetAsync(cookie: $"{CookieName}={hostile}");
        var visitor = await VisitorSnapshot.ReadAsync(response);

        var issued = SetCookies.Find(response, CookieName);
        Assert.NotNull(issued);
        Assert.Equal(visitor.VisitorId, issued.Value.ToString());
        Assert.True(VisitorId.IsValid(visitor.VisitorId), visitor.VisitorId);
        Assert.True(visitor.IsNewVisitor);
        var unescaped = Uri.UnescapeDataString(hostile);
        if (unescaped.Length > 0)
        {
            Assert.DoesNotContain(unescaped, visitor.Body, StringComparison.Ordinal);
            Assert.DoesNotContain(SetCookies.Raw(response), h => h.Contains(unescaped, StringComparison.Ordinal));
            Assert.DoesNotContain(host.Logs.GetSnapshot(), e => e.Message.Contains(unescaped, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task InvokeAsync_InvalidCookie_LogsLengthOnlyWithEventId()
    {
        await using var host = await TrackingHost.StartGrantedAsync();

        await host.GetAsync(cookie: $"{CookieName}=%3Cscript%3E");

        var entry = Assert.Single(host.Logs.ClerkRecords(), e => e.Id.Id == 2);
        Assert.Equal("InvalidVisitorCookie", entry.Id.Name);
        Assert.Contains("8 characters", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("script", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_CustomCookieOptions_AreApplied()
    {
        await using var host = await TrackingHost.StartGrantedAsync(o =>
        {
            o.VisitorCookie.Name = "shop_cv";
            o.VisitorCookie.Domain = ".shop.example";
            o.VisitorCookie.Path = "/store";
            o.VisitorCookie.Lifetime = TimeSpan.FromDays(30);
        });

        using var response = await host.GetAsync();
        var visitor = await VisitorSnapshot.ReadAsync(response);

        var raw = Assert.Single(SetCookies.Raw(response));
        Assert.Equal($"shop_cv={visitor.VisitorId}; max-age=2592000; domain=.shop.example; path=/store; samesite=lax; httponly", raw);
    }

    [Fact]
    public async Task InvokeAsync_CustomCookieName_ReadsThatCookieOnly()
    {
        await using var host = await TrackingHost.StartGrantedAsync(o => o.VisitorCookie.Name = "shop_cv");

        var visitor = await host.GetVisitorAsync(cookie: $"{CookieName}={ReturningId}; shop_cv=Other1234");

        Assert.Equal("Other1234", visitor.VisitorId);
    }

    // --- Undecided → Cookieless / Disabled -----------------------------------------------------------------------

    [Fact]
    public async Task InvokeAsync_UndecidedManyRequests_NeverWritesCookieAndKeepsOneId()
    {
        await using var host = await StartWithConsentPolicyAsync();
        var ids = new HashSet<string?>();

        for (var i = 0; i < 25; i++)
        {
            using var response = await host.GetAsync(headers: ("User-Agent", "Test/1.0"));
            var visitor = await VisitorSnapshot.ReadAsync(response);

            Assert.Empty(SetCookies.Raw(response));
            Assert.Equal(ClerkVisitorMode.Cookieless, visitor.Mode);
            Assert.Equal(ClerkConsent.Undecided, visitor.Consent);
            ids.Add(visitor.VisitorId);
        }

        var id = Assert.Single(ids);
        Assert.True(id is { Length: 16 } && VisitorId.IsValid(id), id);
    }

    [Fact]
    public async Task InvokeAsync_UndecidedWithOtherUserAgent_GetsOtherCookielessId()
    {
        await using var host = await StartWithConsentPolicyAsync();

        var chrome = await host.GetVisitorAsync(headers: ("User-Agent", "Chrome/156"));
        var firefox = await host.GetVisitorAsync(headers: ("User-Agent", "Firefox/140"));

        Assert.NotEqual(chrome.VisitorId, firefox.VisitorId);
    }

    [Fact]
    public async Task InvokeAsync_UndecidedConfiguredAsDisabled_HasNoVisitor()
    {
        await using var host = await StartWithConsentPolicyAsync(o => o.UndecidedConsentMode = ClerkVisitorMode.Disabled);

        using var response = await host.GetAsync();
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.Equal(ClerkVisitorMode.Disabled, visitor.Mode);
        Assert.Null(visitor.VisitorId);
        Assert.Empty(SetCookies.Raw(response));
    }

    [Fact]
    public async Task InvokeAsync_UndecidedWithOldVisitorCookie_IgnoresAndDeletesIt()
    {
        await using var host = await StartWithConsentPolicyAsync();

        using var response = await host.GetAsync(cookie: $"{CookieName}={ReturningId}");
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.Equal(ClerkVisitorMode.Cookieless, visitor.Mode);
        Assert.NotEqual(ReturningId, visitor.VisitorId);
        AssertDeleted(response, "/");
    }

    [Fact]
    public async Task InvokeAsync_CookiePolicyConsentGiven_IssuesCookie()
    {
        await using var host = await StartWithConsentPolicyAsync();

        using var response = await host.GetAsync(cookie: ".AspNet.Consent=yes");
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.Equal(ClerkVisitorMode.Persistent, visitor.Mode);
        Assert.Equal(visitor.VisitorId, SetCookies.Find(response, CookieName)?.Value.ToString());
    }

    // --- Denied / GPC → Disabled -----------------------------------------------------------------------------------

    [Fact]
    public async Task InvokeAsync_DeniedByResolver_HasNoVisitorAndDeletesCookie()
    {
        await using var host = await TrackingHost.StartGrantedAsync(
            o => o.VisitorCookie.Path = "/shop",
            services: s => s.AddSingleton<IClerkConsentResolver>(new DelegateConsentResolver(_ => ClerkConsent.Denied)));

        using var response = await host.GetAsync(cookie: $"{CookieName}={ReturningId}");
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.Equal(ClerkVisitorMode.Disabled, visitor.Mode);
        Assert.Equal(ClerkConsent.Denied, visitor.Consent);
        Assert.Null(visitor.VisitorId);
        AssertDeleted(response, "/shop");
    }

    [Fact]
    public async Task InvokeAsync_DeniedWithoutCookie_WritesNoCookie()
    {
        await using var host = await TrackingHost.StartGrantedAsync(
            services: s => s.AddSingleton<IClerkConsentResolver>(new DelegateConsentResolver(_ => ClerkConsent.Denied)));

        using var response = await host.GetAsync();

        Assert.Empty(SetCookies.Raw(response));
    }

    [Fact]
    public async Task InvokeAsync_GpcSignal_DisablesAndDeletesCookieEvenWithConsent()
    {
        await using var host = await StartWithConsentPolicyAsync();

        using var response = await host.GetAsync(cookie: $".AspNet.Consent=yes; {CookieName}={ReturningId}", headers: ("Sec-GPC", "1"));
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.Equal(ClerkVisitorMode.Disabled, visitor.Mode);
        Assert.Null(visitor.VisitorId);
        AssertDeleted(response, "/");
    }

    [Fact]
    public async Task InvokeAsync_GpcSignalNotHonored_KeepsPersistentVisitor()
    {
        await using var host = await TrackingHost.StartGrantedAsync(o => o.HonorGlobalPrivacyControl = false);

        var visitor = await host.GetVisitorAsync(cookie: $"{CookieName}={ReturningId}", headers: ("Sec-GPC", "1"));

        Assert.Equal(ClerkVisitorMode.Persistent, visitor.Mode);
        Assert.Equal(ReturningId, visitor.VisitorId);
    }

    [Fact]
    public async Task InvokeAsync_ResolverGrantsDespiteGpc_ResolverWins()
    {
        await using var host = await TrackingHost.StartGrantedAsync(
            services: s => s.AddSingleton<IClerkConsentResolver>(new DelegateConsentResolver(_ => ClerkConsent.Granted)));

        var visitor = await host.GetVisitorAsync(cookie: $"{CookieName}={ReturningId}", headers: ("Sec-GPC", "1"));

        Assert.Equal(ClerkVisitorMode.Persistent, visitor.Mode);
    }

    [Fact]
    public async Task InvokeAsync_ResolverGrantsUnderConsentPolicy_CookieIsNotSuppressed()
    {
        // The app's resolver outranks the cookie policy, so the policy must not silently drop our cookie.
        await using var host = await StartWithConsentPolicyAsync(
            services: s => s.AddSingleton<IClerkConsentResolver>(new DelegateConsentResolver(_ => ClerkConsent.Granted)));

        using var response = await host.GetAsync();

        Assert.NotNull(SetCookies.Find(response, CookieName));
    }

    // --- Consent changed during the request --------------------------------------------------------------------

    [Fact]
    public async Task InvokeAsync_ConsentWithdrawnByThePage_DeletesCookieInSameResponse()
    {
        await using var host = await StartWithConsentPolicyAsync(endpoint: context =>
        {
            context.Features.Get<ITrackingConsentFeature>()!.WithdrawConsent();
            return TrackingHost.WriteVisitor(context);
        });

        using var response = await host.GetAsync(cookie: $".AspNet.Consent=yes; {CookieName}={ReturningId}");

        AssertDeleted(response, "/");
    }

    [Fact]
    public async Task InvokeAsync_NewVisitorWhoseConsentIsWithdrawnByThePage_GetsNoCookie()
    {
        await using var host = await StartWithConsentPolicyAsync(endpoint: context =>
        {
            context.Features.Get<ITrackingConsentFeature>()!.WithdrawConsent();
            return TrackingHost.WriteVisitor(context);
        });

        using var response = await host.GetAsync(cookie: ".AspNet.Consent=yes");

        Assert.Null(SetCookies.Find(response, CookieName));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task InvokeAsync_ResolverWithdrawsDuringRequestForReturningVisitor_DeletesCookieInSameResponse(bool resolverGrantedAtFirst)
    {
        // A consent platform whose decline is recorded while the request runs (here in Items, as an endpoint would);
        // at first it granted, or had no opinion and the default granted.
        ClerkConsent? before = resolverGrantedAtFirst ? ClerkConsent.Granted : null;
        await using var host = await TrackingHost.StartGrantedAsync(
            services: s => s.AddSingleton<IClerkConsentResolver>(new DelegateConsentResolver(
                context => context.Items.ContainsKey("declined") ? ClerkConsent.Denied : before)),
            endpoint: context =>
            {
                context.Items["declined"] = true;
                return TrackingHost.WriteVisitor(context);
            });

        using var response = await host.GetAsync(cookie: $"{CookieName}={ReturningId}");

        AssertDeleted(response, "/");
    }

    [Fact]
    public async Task InvokeAsync_ResolverKeepsGrantingForReturningVisitor_WritesNoCookie()
    {
        await using var host = await TrackingHost.StartGrantedAsync(
            services: s => s.AddSingleton<IClerkConsentResolver>(new DelegateConsentResolver(_ => ClerkConsent.Granted)));

        using var response = await host.GetAsync(cookie: $"{CookieName}={ReturningId}");

        Assert.Empty(SetCookies.Raw(response));
    }

    // --- ?clerk_visitor= ---------------------------------------------------------------------------------------------

    [Fact]
    public async Task InvokeAsync_QueryParameterInDevelopment_ForcesAndPersistsId()
    {
        await using var host = await TrackingHost.StartGrantedAsync(environment: "Development");

        using var response = await host.GetAsync("/?clerk_visitor=TestVisitor42", cookie: $"{CookieName}={ReturningId}");
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.Equal("TestVisitor42", visitor.VisitorId);
        Assert.Equal(ClerkVisitorMode.Persistent, visitor.Mode);
        Assert.Equal("TestVisitor42", SetCookies.Find(response, CookieName)?.Value.ToString());
    }

    [Fact]
    public async Task InvokeAsync_QueryParameterWhileUndecided_UsesIdForThisRequestOnlyWithoutCookie()
    {
        await using var host = await StartWithConsentPolicyAsync(environment: "Development");

        using var response = await host.GetAsync("/?clerk_visitor=TestVisitor42");
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.Equal("TestVisitor42", visitor.VisitorId);
        Assert.Equal(ClerkVisitorMode.Cookieless, visitor.Mode);
        Assert.Equal(ClerkConsent.Undecided, visitor.Consent);
        Assert.Empty(SetCookies.Raw(response));
    }

    [Fact]
    public async Task InvokeAsync_QueryParameterWhileUndecidedWithOldVisitorCookie_DeletesIt()
    {
        await using var host = await StartWithConsentPolicyAsync(environment: "Development");

        using var response = await host.GetAsync("/?clerk_visitor=TestVisitor42", cookie: $"{CookieName}={ReturningId}");
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.Equal("TestVisitor42", visitor.VisitorId);
        AssertDeleted(response, "/");
    }

    [Fact]
    public async Task InvokeAsync_QueryParameterWhileUndecidedAndUndecidedDisabled_IsIgnored()
    {
        await using var host = await StartWithConsentPolicyAsync(o => o.UndecidedConsentMode = ClerkVisitorMode.Disabled, environment: "Development");

        using var response = await host.GetAsync("/?clerk_visitor=TestVisitor42");
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.Equal(ClerkVisitorMode.Disabled, visitor.Mode);
        Assert.Null(visitor.VisitorId);
        Assert.Empty(SetCookies.Raw(response));
        Assert.Contains(host.Logs.ClerkRecords(), e => e.Id.Id == 6);
    }

    [Fact]
    public async Task InvokeAsync_QueryParameterThenConsentWithdrawnByThePage_WritesNoCookie()
    {
        await using var host = await StartWithConsentPolicyAsync(
            endpoint: context =>
            {
                context.Features.Get<ITrackingConsentFeature>()!.WithdrawConsent();
                return TrackingHost.WriteVisitor(context);
            },
            environment: "Development");

        using var response = await host.GetAsync("/?clerk_visitor=TestVisitor42", cookie: ".AspNet.Consent=yes");

        Assert.Null(SetCookies.Find(response, CookieName));
    }

    [Fact]
    public async Task InvokeAsync_QueryParameterInProduction_IsIgnored()
    {
        await using var host = await TrackingHost.StartGrantedAsync();

        var visitor = await host.GetVisitorAsync("/?clerk_visitor=TestVisitor42", cookie: $"{CookieName}={ReturningId}");

        Assert.Equal(ReturningId, visitor.VisitorId);
    }

    [Fact]
    public async Task InvokeAsync_QueryParameterAllowedByOption_ForcesIdInProduction()
    {
        await using var host = await TrackingHost.StartGrantedAsync(o => o.AllowVisitorQueryParameter = true);

        var visitor = await host.GetVisitorAsync("/?clerk_visitor=TestVisitor42", cookie: $"{CookieName}={ReturningId}");

        Assert.Equal("TestVisitor42", visitor.VisitorId);
    }

    [Fact]
    public async Task InvokeAsync_QueryParameterSameAsCookie_WritesNoCookie()
    {
        await using var host = await TrackingHost.StartGrantedAsync(environment: "Development");

        using var response = await host.GetAsync($"/?clerk_visitor={ReturningId}", cookie: $"{CookieName}={ReturningId}");

        Assert.Empty(SetCookies.Raw(response));
    }

    [Theory]
    [InlineData("%3Cscript%3E")]
    [InlineData("a1d0c6e83f027327d8461063f4ac58a6X")]
    [InlineData("")]
    public async Task InvokeAsync_InvalidQueryParameter_IsIgnoredAndNeverEchoed(string value)
    {
        await using var host = await TrackingHost.StartGrantedAsync(environment: "Development");

        using var response = await host.GetAsync($"/?clerk_visitor={value}", cookie: $"{CookieName}={ReturningId}");
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.Equal(ReturningId, visitor.VisitorId);
        Assert.Empty(SetCookies.Raw(response));
        Assert.Contains(host.Logs.ClerkRecords(), e => e.Id.Id == 6);
    }

    [Fact]
    public async Task InvokeAsync_QueryParameterForDecliningVisitor_IsIgnored()
    {
        await using var host = await TrackingHost.StartGrantedAsync(environment: "Development");

        using var response = await host.GetAsync("/?clerk_visitor=TestVisitor42", headers: ("Sec-GPC", "1"));
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.Equal(ClerkVisitorMode.Disabled, visitor.Mode);
        Assert.Null(visitor.VisitorId);
        Assert.Empty(SetCookies.Raw(response));
    }

    // --- The feature is there for every request the middleware saw, as the framework's own features are ---------

    [Theory]
    [InlineData("returning", true)]
    [InlineData("returning, consent by resolver", true)]
    [InlineData("new", false)]
    [InlineData("declined", false)]
    public async Task FeaturesGet_AfterUseClerkTracking_IsTheFeatureGetClerkVisitorReturns(string visitor, bool returning)
    {
        await using var host = await TrackingHost.StartGrantedAsync(
            services: s =>
            {
                if (visitor.Contains("resolver", StringComparison.Ordinal))
                {
                    s.AddSingleton<IClerkConsentResolver>(new DelegateConsentResolver(_ => ClerkConsent.Granted));
                }
                else if (visitor == "declined")
                {
                    s.AddSingleton<IClerkConsentResolver>(new DelegateConsentResolver(_ => ClerkConsent.Denied));
                }
            },
            endpoint: context =>
            {
                var fromFeatures = context.Features.Get<IClerkVisitorFeature>();
                var fromAccessor = context.GetClerkVisitor();
                return context.Response.WriteAsync(
                    $"{fromFeatures is not null}|{ReferenceEquals(fromFeatures, fromAccessor)}|{fromFeatures?.Mode}|{fromFeatures?.VisitorId is not null}");
            });

        using var response = await host.GetAsync(cookie: returning ? $"{CookieName}={ReturningId}" : null);

        var mode = visitor == "declined" ? ClerkVisitorMode.Disabled : ClerkVisitorMode.Persistent;
        Assert.Equal($"True|True|{mode}|{visitor != "declined"}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task FeaturesGet_ReturningVisitor_HasTheCookieIdAndNothingToWrite()
    {
        await using var host = await TrackingHost.StartGrantedAsync(endpoint: context =>
        {
            var visitor = context.Features.Get<IClerkVisitorFeature>()!;
            return context.Response.WriteAsync($"{visitor.Mode}|{visitor.VisitorId}|{visitor.Consent}|{visitor.IsNewVisitor}");
        });

        using var response = await host.GetAsync(cookie: $"{CookieName}={ReturningId}");

        Assert.Equal($"Persistent|{ReturningId}|Granted|False", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Empty(SetCookies.Raw(response));
    }

    [Fact]
    public async Task GetClerkVisitor_ReturningVisitorGrantedByResolver_HasCookieIdAndGrantedConsent()
    {
        await using var host = await TrackingHost.StartGrantedAsync(
            services: s => s.AddSingleton<IClerkConsentResolver>(new DelegateConsentResolver(_ => ClerkConsent.Granted)));

        using var response = await host.GetAsync(cookie: $"{CookieName}={ReturningId}");
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.Equal(ClerkVisitorMode.Persistent, visitor.Mode);
        Assert.Equal(ClerkConsent.Granted, visitor.Consent);
        Assert.Equal(ReturningId, visitor.VisitorId);
        Assert.Empty(SetCookies.Raw(response));
        var decision = Assert.Single(host.Logs.ClerkRecords(), e => e.Id.Id == 1);
        Assert.Contains("decided by Resolver", decision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetClerkVisitor_CookieHeaderRewrittenByAppToHostileValue_KeepsTheIdTheMiddlewareCheckedAndNeverEchoesIt()
    {
        const string Hostile = "%3Cscript%3Ealert(1)%3C%2Fscript%3E";
        await using var host = await TrackingHost.StartGrantedAsync(endpoint: context =>
        {
            context.Request.Headers.Cookie = $"{CookieName}={Hostile}";
            return TrackingHost.WriteVisitor(context);
        });

        using var response = await host.GetAsync(cookie: $"{CookieName}={ReturningId}");
        var visitor = await VisitorSnapshot.ReadAsync(response);

        // The visitor was decided, from the valid cookie, before the app touched the header.
        Assert.Equal(ClerkVisitorMode.Persistent, visitor.Mode);
        Assert.Equal(ReturningId, visitor.VisitorId);
        Assert.DoesNotContain("script", visitor.Body, StringComparison.OrdinalIgnoreCase);
    }

    // --- Enabled = false, failures, logging ----------------------------------------------------------------------

    [Fact]
    public async Task InvokeAsync_Disabled_IsNoOpWithoutVisitorOrCookie()
    {
        await using var host = await TrackingHost.StartGrantedAsync(o =>
        {
            o.Enabled = false;
            o.PublicKey = null;
        });

        using var response = await host.GetAsync(cookie: $"{CookieName}={ReturningId}", headers: ("Sec-GPC", "1"));
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.Null(visitor.Mode);
        Assert.Empty(SetCookies.Raw(response));
    }

    [Fact]
    public async Task InvokeAsync_ResolverThrowsInProduction_RequestContinuesWithoutVisitorAndLogsError()
    {
        await using var host = await TrackingHost.StartGrantedAsync(
            services: s => s.AddSingleton<IClerkConsentResolver>(new DelegateConsentResolver(_ => throw new InvalidDataException("consent store broken"))));

        using var response = await host.GetAsync(cookie: $"{CookieName}={ReturningId}");
        var visitor = await VisitorSnapshot.ReadAsync(response);

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal(ClerkVisitorMode.Disabled, visitor.Mode);
        Assert.Null(visitor.VisitorId);
        var error = Assert.Single(host.Logs.ClerkRecords(), e => e.Id.Id == 8);
        Assert.Equal("TrackingFailed", error.Id.Name);
        Assert.IsType<InvalidDataException>(error.Exception);
    }

    [Fact]
    public async Task InvokeAsync_ResolverThrowsInDevelopment_IsLoud()
    {
        await using var host = await TrackingHost.StartGrantedAsync(
            environment: "Development",
            services: s => s.AddSingleton<IClerkConsentResolver>(new DelegateConsentResolver(_ => throw new InvalidDataException("consent store broken"))));

        await Assert.ThrowsAsync<InvalidDataException>(() => host.GetAsync());
    }

    [Fact]
    public async Task InvokeAsync_CookiePolicyAfterClerkTrackingInProduction_TreatsVisitorAsUndecidedAndWarnsOnce()
    {
        await using var host = await TrackingHost.StartGrantedAsync(services: s =>
            s.Configure<CookiePolicyOptions>(o => o.CheckConsentNeeded = _ => true));

        using var first = await host.GetAsync();
        using var second = await host.GetAsync();
        var visitor = await VisitorSnapshot.ReadAsync(second);

        Assert.Equal(ClerkVisitorMode.Cookieless, visitor.Mode);
        Assert.Empty(SetCookies.Raw(first));
        var warning = Assert.Single(host.Logs.ClerkRecords(), e => e.Id.Id == 7);
        Assert.Contains("UseCookiePolicy()", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_CookiePolicyAfterClerkTrackingInDevelopment_ThrowsWithGuidance()
    {
        await using var host = await TrackingHost.StartGrantedAsync(
            environment: "Development",
            services: s => s.Configure<CookiePolicyOptions>(o => o.CheckConsentNeeded = _ => true));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.GetAsync());

        Assert.Contains("app.UseCookiePolicy() before app.UseClerkTracking()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_DebugLogging_LogsDecisionWithoutSecretsOrVisitorIds()
    {
        const string privateKey = "private-key-that-must-never-be-logged";
        await using var host = await TrackingHost.StartGrantedAsync(o => o.PrivateKey = privateKey);

        var visitor = await host.GetVisitorAsync();

        var decision = Assert.Single(host.Logs.ClerkRecords(), e => e.Id.Id == 1);
        Assert.Equal("VisitorResolved", decision.Id.Name);
        Assert.Contains("Persistent", decision.Message, StringComparison.Ordinal);
        Assert.Contains(host.Logs.ClerkRecords(), e => e.Id.Id == 3);
        Assert.DoesNotContain(host.Logs.GetSnapshot(), e => $"{e.Category} {e.Message} {e.Exception}".Contains(privateKey, StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.GetSnapshot(), e => e.Message.Contains(visitor.VisitorId!, StringComparison.Ordinal));
    }

    private static Task<TrackingHost> StartWithConsentPolicyAsync(
        Action<ClerkOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        RequestDelegate? endpoint = null,
        string environment = "Production") =>
        TrackingHost.StartAsync(
            configure,
            s =>
            {
                s.Configure<CookiePolicyOptions>(o => o.CheckConsentNeeded = _ => true);
                services?.Invoke(s);
            },
            app => app.UseCookiePolicy(),
            endpoint,
            environment);

    private static void AssertDeleted(HttpResponseMessage response, string path)
    {
        var cookie = SetCookies.Find(response, CookieName);
        Assert.NotNull(cookie);
        Assert.True(SetCookies.IsDeletion(cookie), cookie.ToString());
        Assert.Equal(path, cookie.Path.ToString());
    }
}
