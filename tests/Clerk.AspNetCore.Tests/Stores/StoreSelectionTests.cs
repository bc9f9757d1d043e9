using System.Globalization;
using Clerk.AspNetCore.Configuration;
using Clerk.AspNetCore.Stores;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Tests.Stores;

public sealed class StoreSelectionTests
{
    private readonly FakeLogger<StoreSelection> _logger = new();

    private StoreSelection Selection(Action<ClerkOptions>? change = null, IClerkStoreSelector[]? selectors = null, string environment = "Production")
    {
        var options = new ClerkOptions();
        StoreTestOptions.TwoStores(options);
        change?.Invoke(options);
        return new StoreSelection(new ClerkStoreSet(Options.Create(options)), selectors ?? [], _logger, new Environment(environment));
    }

    private static DefaultHttpContext Request(string path = "/", string host = "shop.example", string pathBase = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Host = new HostString(host);
        context.Request.Path = path;
        context.Request.PathBase = pathBase;
        return context;
    }

    [Theory]
    [InlineData("/", "dk")]
    [InlineData("/en", "en")]
    [InlineData("/en/", "en")]
    [InlineData("/EN/products/1", "en")]
    [InlineData("/english", "dk")]
    [InlineData("/products/en", "dk")]
    public void For_PathBaseRule_MatchesWholeSegments(string path, string expected)
    {
        var store = Selection().For(Request(path));

        Assert.Equal(expected, store!.Name);
    }

    [Fact]
    public void For_PathBaseMovedByUsePathBase_StillMatches()
    {
        var store = Selection().For(Request("/products/1", pathBase: "/en"));

        Assert.Equal("en", store!.Name);
    }

    [Theory]
    [InlineData("", "/en", true)]
    [InlineData("/en", "", true)]
    [InlineData("/en", "/x", true)]
    [InlineData("/EN", "/a", true)]
    [InlineData("/e", "/n", false)]
    [InlineData("", "/enx", false)]
    [InlineData("/enx", "", false)]
    [InlineData("", "/e", false)]
    public void MatchesPath_PrefixAcrossPathBaseAndPath_MatchesWholeSegments(string pathBase, string path, bool expected)
    {
        Assert.Equal(expected, StoreSelection.MatchesPath("/en", new PathString(pathBase), new PathString(path)));
    }

    [Theory]
    [InlineData("shop.co.uk", "en")]
    [InlineData("SHOP.CO.UK:8443", "en")]
    [InlineData("shop.dk", "dk")]
    [InlineData("localhost:5081", "en")]
    [InlineData("localhost:5080", "dk")]
    public void For_HostRule_MatchesTheHostWithoutCaseAndPortUnlessNamed(string host, string expected)
    {
        var selection = Selection(o =>
        {
            o.Stores["en"].PathBase = null;
            o.Stores["en"].Hosts = ["shop.co.uk", "localhost:5081"];
        });

        Assert.Equal(expected, selection.For(Request(host: host))!.Name);
    }

    [Theory]
    [InlineData("en-GB", "en")]
    [InlineData("en", "en")]
    [InlineData("da-DK", "dk")]
    public void For_CultureRule_MatchesTheCultureOrItsParent(string culture, string expected)
    {
        var selection = Selection(o =>
        {
            o.Stores["en"].PathBase = null;
            o.Stores["en"].Cultures = ["en"];
        });
        var request = Request();
        request.Features.Set<IRequestCultureFeature>(new RequestCultureFeature(new RequestCulture(CultureInfo.GetCultureInfo(culture)), provider: null));

        Assert.Equal(expected, selection.For(request)!.Name);
    }

    [Fact]
    public void For_CultureRuleWithoutLocalization_FallsBackToTheDefault()
    {
        var selection = Selection(o =>
        {
            o.Stores["en"].PathBase = null;
            o.Stores["en"].Cultures = ["en"];
        });

        Assert.Equal("dk", selection.For(Request())!.Name);
    }

    [Fact]
    public void For_TwoMatchingStores_TheOneWithMoreRulesWins()
    {
        // dk serves its host everywhere; en is that host's /en: the more specific store wins on /en.
        var selection = Selection(o =>
        {
            o.Stores["dk"].Hosts = ["shop.example"];
            o.Stores["en"].Hosts = ["shop.example"];
        });

        Assert.Equal("en", selection.For(Request("/en/cart"))!.Name);
        Assert.Equal("dk", selection.For(Request("/cart"))!.Name);
    }

    [Fact]
    public void For_HostStoreAndCultureStoreBothMatch_TheHostWinsWhateverTheirNames()
    {
        // The README's example: shop.dk is Danish even for a browser that prefers German.
        var selection = Selection(o =>
        {
            o.Stores.Remove("en");
            o.Stores["dk"].Hosts = ["shop.dk"];
            o.Stores["de"] = new ClerkStoreOptions { PublicKey = "pub-de", Cultures = ["de"] };
        });
        var request = Request(host: "shop.dk");
        request.Features.Set<IRequestCultureFeature>(new RequestCultureFeature(new RequestCulture(CultureInfo.GetCultureInfo("de-AT")), provider: null));

        Assert.Equal("dk", selection.For(request)!.Name);
    }

    [Fact]
    public void For_TwoCultureStoresMatch_TheMoreSpecificCultureWins()
    {
        var selection = Selection(o =>
        {
            o.Stores["en"].PathBase = null;
            o.Stores["en"].Cultures = ["de"];
            o.Stores["at"] = new ClerkStoreOptions { PublicKey = "pub-at", Cultures = ["de-AT"] };
        });
        var request = Request();
        request.Features.Set<IRequestCultureFeature>(new RequestCultureFeature(new RequestCulture(CultureInfo.GetCultureInfo("de-AT")), provider: null));

        Assert.Equal("at", selection.For(request)!.Name);
    }

    [Fact]
    public void For_EqualRulesOfDifferentStoresMatch_TheDefaultStoreWins()
    {
        // Both serve shop.example (different cultures that the request does not have would not match): a tie.
        var selection = Selection(o =>
        {
            o.Stores["en"].PathBase = null;
            o.Stores["en"].Hosts = ["shop.example"];
            o.Stores["dk"].Hosts = ["SHOP.example", "www.shop.example"];
            o.Stores["aa"] = new ClerkStoreOptions { PublicKey = "pub-aa", Hosts = ["shop.example", "aa.example"] };
        });

        Assert.Equal("dk", selection.For(Request(host: "shop.example"))!.Name);
    }

    [Fact]
    public void For_AppSelectorThrowsInProduction_LogsEvent90UsesTheRulesAndAsksOnce()
    {
        var selector = new ThrowingSelector();
        var selection = Selection(selectors: [selector]);
        var request = Request("/en");

        var first = selection.For(request);
        var second = selection.For(request);

        Assert.Equal("en", first!.Name);
        Assert.Same(first, second);
        Assert.Equal(1, selector.Calls);
        var record = Assert.Single(_logger.Collector.GetSnapshot());
        Assert.Equal(90, record.Id.Id);
        Assert.IsType<TimeoutException>(record.Exception);
    }

    [Fact]
    public void For_AppSelectorThrowsInDevelopment_Throws()
    {
        var selection = Selection(selectors: [new ThrowingSelector()], environment: "Development");

        Assert.Throws<TimeoutException>(() => selection.For(Request()));
    }

    [Fact]
    public void For_ClerkTurnedOffWithASelector_IsNullAndAsksNothing()
    {
        var selector = new FixedSelector("en");
        var selection = Selection(o => o.Enabled = false, selectors: [selector], environment: "Development");

        Assert.Null(selection.For(Request()));
        Assert.Equal(0, selector.Calls);
    }

    [Fact]
    public void For_AppSelector_WinsOverTheRules()
    {
        var selection = Selection(selectors: [new FixedSelector("EN")]);

        Assert.Equal("en", selection.For(Request("/"))!.Name);
    }

    [Fact]
    public void For_AppSelectorReturnsNull_FallsThroughToTheRules()
    {
        var selection = Selection(selectors: [new FixedSelector(null)]);

        Assert.Equal("en", selection.For(Request("/en"))!.Name);
    }

    [Fact]
    public void For_AppSelectorNamesAnUnknownStoreInProduction_LogsEvent88AndUsesTheRules()
    {
        var selection = Selection(selectors: [new FixedSelector("de")]);

        var store = selection.For(Request("/en"));

        Assert.Equal("en", store!.Name);
        var record = Assert.Single(_logger.Collector.GetSnapshot());
        Assert.Equal(88, record.Id.Id);
        Assert.Equal(LogLevel.Warning, record.Level);
        Assert.Contains("'de'", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void For_AppSelectorNamesAnUnknownStoreInDevelopment_Throws()
    {
        var selection = Selection(selectors: [new FixedSelector("de")], environment: "Development");

        var error = Assert.Throws<InvalidOperationException>(() => selection.For(Request()));

        Assert.Contains("chose the Clerk store 'de', which is not configured. The stores are: dk, en", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void For_SameRequest_AsksTheSelectorOnce()
    {
        var selector = new FixedSelector("en");
        var selection = Selection(selectors: [selector]);
        var request = Request();

        var first = selection.For(request);
        var second = selection.For(request);

        Assert.Same(first, second);
        Assert.Equal(1, selector.Calls);
    }

    [Fact]
    public void For_OneStoreAndNoSelector_TouchesNoFeature()
    {
        var selection = Selection(o => o.Stores.Remove("en"));
        var request = Request();
        var revision = request.Features.Revision;

        var store = selection.For(request);

        Assert.Equal("dk", store!.Name);
        Assert.Equal(revision, request.Features.Revision);
    }

    [Fact]
    public void GetClerkStore_WithoutClerkServices_IsNull()
    {
        var request = Request();

        Assert.Null(request.GetClerkStore());
    }

    [Fact]
    public void GetClerkStore_SelectorAddedAsAFunction_ChoosesTheStore()
    {
        using var services = new ServiceCollection()
            .AddLogging()
            .AddClerk(StoreTestOptions.TwoStores)
            .AddClerkStoreSelector(context => context.Request.Query["market"].FirstOrDefault())
            .BuildServiceProvider();
        var request = Request("/");
        request.RequestServices = services;
        request.Request.QueryString = new QueryString("?market=en");

        Assert.Equal("en", request.GetClerkStore()!.Name);
    }

    private sealed class ThrowingSelector : IClerkStoreSelector
    {
        public int Calls { get; private set; }

        public string? SelectStore(HttpContext context)
        {
            Calls++;
            throw new TimeoutException("the tenant service is down");
        }
    }

    private sealed class FixedSelector(string? name) : IClerkStoreSelector
    {
        public int Calls { get; private set; }

        public string? SelectStore(HttpContext context)
        {
            Calls++;
            return name;
        }
    }

    private sealed class Environment(string name) : Microsoft.AspNetCore.Hosting.IWebHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "Tests";

        public string WebRootPath { get; set; } = "";

        public Microsoft.Extensions.FileProviders.IFileProvider WebRootFileProvider { get; set; } = null!;

        public string ContentRootPath { get; set; } = "";

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }
}
