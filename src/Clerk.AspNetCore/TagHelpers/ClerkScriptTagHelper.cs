using Clerk.AspNetCore.TagHelpers.Markup;
using Clerk.AspNetCore.Visitors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Clerk.AspNetCore;

/// <summary>
/// <c>&lt;clerk-script /&gt;</c>, placed in <c>&lt;head&gt;</c>: Clerk's asynchronous Clerk.js loader, then
/// <c>Clerk('config', ...)</c> with the public key and this request's visitor (an ID, or <c>null</c> when the visitor
/// declined tracking), then click tracking for elements marked with <c>clerk-product-id</c>. When Clerk.js does not
/// load (blocked, or not running after a few seconds), a first-party fallback posts those clicks to the shop's click
/// beacon instead (<see cref="ClerkOptions.ClickFallback"/>). With a consent tool (<c>AddClerkConsentTool</c>), it
/// gives Clerk.js the new visitor when the tool reports a change, from the visitor endpoint. In
/// <see cref="ClerkIntegrationMode.Api"/> mode it loads no Clerk.js: it renders a small script that posts those clicks
/// to the shop's click beacon (<c>app.MapClerkTracking()</c>, at <see cref="ClerkOptions.BeaconPath"/>).
/// </summary>
[HtmlTargetElement(TagName, TagStructure = TagStructure.WithoutEndTag)]
public sealed class ClerkScriptTagHelper : TagHelper
{
    private const string TagName = "clerk-script";
    private const string NonceAttributeName = "nonce";
    private const string LanguageAttributeName = "language";
    private const string TrackClicksAttributeName = "track-clicks";
    private const string GlobalsAttributeName = "globals";
    private const string GlobalAttributePrefix = "global-";

    // Clerk's documented loader: a command queue until the library arrives, then the library itself, async.
    private const string LoaderStart =
        "(function(w,d){var e=d.createElement('script');e.type='text/javascript';e.async=true;e.src=";
    private const string LoaderBody =
        ";var s=d.getElementsByTagName('script')[0];s.parentNode.insertBefore(e,s);w.__clerk_q=w.__clerk_q||[];w.Clerk=w.Clerk||function(){w.__clerk_q.push(arguments)};";
    private const string LoaderEnd = "})(window,document);";
    private const string ClickTracking = "Clerk('click','*[data-clerk-product-id]');";

    // The product marked clerk-product-id that a click (the event k) landed in, if any.
    private const string ClickedProduct =
        "var t=k.target,p=t&&t.closest?t.closest('[data-clerk-product-id]'):null;if(!p){return;}";

    // Posts the click on p to the beacon at u. sendBeacon (n is navigator) survives the navigation the click causes;
    // text/plain keeps it a simple request. fetch with keepalive is the fallback where sendBeacon is missing or refuses.
    // The product ID keeps the JSON type clerk-product-id marked (data-clerk-product-type): Clerk treats 104 and
    // "104" as different products. An integer goes into the body as its digits, never through a JS number, so IDs
    // beyond 2^53 arrive exact; labels is always present, so the rest of the body follows the product after a comma.
    private const string SendClick =
        "var l=p.closest('[data-clerk-labels]'),a=p.closest('[data-clerk-api]'),o=p.getAttribute('data-clerk-position'),v=p.getAttribute('data-clerk-product-id'),b={};"
        + "try{b.labels=l?JSON.parse(l.getAttribute('data-clerk-labels')):null;}catch(x){b.labels=null;}"
        + "if(a){b.api=a.getAttribute('data-clerk-api');}if(o!==null){b.position=Number(o);}"
        + "var s='{\"product\":'+(p.getAttribute('data-clerk-product-type')==='number'&&/^-?[0-9]+$/.test(v)?v:JSON.stringify(v))+','+JSON.stringify(b).slice(1);"
        + "if(!(n.sendBeacon&&n.sendBeacon(u,new Blob([s],{type:'text/plain'})))){fetch(u,{method:'POST',body:s,keepalive:true,credentials:'same-origin',headers:{'Content-Type':'text/plain'}});}";

    // API mode: every click on a marked product goes to the beacon; u is the beacon's path.
    private const string BeaconStart = "(function(d,n,u){d.addEventListener('click',function(k){" + ClickedProduct + SendClick + "},true);})(document,navigator,";
    private const string BeaconEnd = ");";

    // Clerk.js mode, inside the loader (w, d, and e the Clerk.js script element in scope): the first-party fallback.
    // c is the loader's stand-in Clerk; Clerk.js replaces window.Clerk when it runs. The fallback turns on (f) when
    // the script fails to load (an ad blocker, a network error: its error event) or when Clerk is still the stand-in
    // after 4 seconds, and it stays quiet for any click after Clerk.js did start, so Clerk.js and the
    // beacon never both log one click. Listeners, not inline handlers, so a strict CSP needs only the nonce. The
    // delay is long for a script that loads, short against a visitor's first click on a blocked page.
    private const string FallbackStart = "var c=w.Clerk,f=false,n=w.navigator,u=";
    private const string FallbackEnd =
        ";e.addEventListener('error',function(){f=true;});w.setTimeout(function(){if(w.Clerk===c){f=true;}},"
        + "4000"
        + ");d.addEventListener('click',function(k){if(!f||w.Clerk!==c){return;}" + ClickedProduct + SendClick + "},true);";

    // When a consent tool (AddClerkConsentTool) reports a change: if its cookie did change since the page started
    // (OneTrust raises its event on every page load), ask the visitor endpoint for the visitor under the new consent,
    // as the server decides it (the same rules as any page, the cookie set or deleted with the answer), and give it to
    // Clerk.js. u is the endpoint, N the tools' cookie names, v the visitor this page configured.
    private const string ConsentListenerStart =
        "(function(w,d,u,N,v){function k(){return d.cookie.split(';').map(function(p){return p.trim();}).filter(function(p){return N.indexOf(p.split('=')[0])>=0;}).join(';');}"
        + "var c=k();function r(){var n=k();if(n===c){return;}c=n;"
        + "fetch(u,{credentials:'same-origin',cache:'no-store'}).then(function(x){return x.ok?x.json():null;}).then(function(j){if(j&&(j.visitor===null||typeof j.visitor==='string')&&j.visitor!==v){v=j.visitor;w.Clerk('config',{visitor:v});}}).catch(function(){});}";

    private readonly ClerkOptions _options;
    private readonly ConsentTools? _consentTools;
    private readonly MarkupDiagnostics _diagnostics;
    private readonly MarkupServices _markup;

    /// <summary>Created by Razor.</summary>
    /// <param name="services">The app's services, where <c>AddClerk</c> registered the Clerk services.</param>
    public ClerkScriptTagHelper(IServiceProvider services)
    {
        var markup = MarkupServices.From(services);
        _markup = markup;
        _options = markup.Options;
        _diagnostics = markup.Diagnostics;
        _consentTools = services.GetService<ConsentTools>();
    }

    /// <summary>The CSP nonce for the inline script; defaults to <see cref="ClerkOptions.CspNonce"/>.</summary>
    [HtmlAttributeName(NonceAttributeName)]
    public string? Nonce { get; set; }

    /// <summary>The store language for this page; defaults to <see cref="ClerkOptions.Language"/>.</summary>
    [HtmlAttributeName(LanguageAttributeName)]
    public string? Language { get; set; }

    /// <summary>Whether to turn on click tracking; defaults to <see cref="ClerkOptions.TrackClicks"/>.</summary>
    [HtmlAttributeName(TrackClicksAttributeName)]
    public bool? TrackClicks { get; set; }

    /// <summary>
    /// Clerk.js <c>globals</c> for this page, added to <see cref="ClerkOptions.Globals"/>: <c>global-currency_symbol="kr."</c>.
    /// </summary>
    [HtmlAttributeName(GlobalsAttributeName, DictionaryAttributePrefix = GlobalAttributePrefix)]
    public IDictionary<string, string> Globals { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The view being rendered; set by Razor.</summary>
    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = default!;

    /// <inheritdoc/>
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.SuppressOutput();
        if (!_options.Enabled)
        {
            return;
        }

        _diagnostics.Contain(
            TagName,
            (Helper: this, Output: output),
            static s => s.Helper.Render(s.Helper.ViewContext.HttpContext, s.Output),
            static s => s.Output.SuppressOutput());
    }

    private void Render(HttpContext httpContext, TagHelperOutput output)
    {
        if (_options.Mode == ClerkIntegrationMode.Api)
        {
            RenderBeacon(httpContext, output);
            return;
        }

        if (_markup.Stores.For(httpContext) is not { } store)
        {
            return;
        }

        var visitor = httpContext.GetClerkVisitor();
        if (visitor is null)
        {
            _diagnostics.VisitorFeatureMissing(TagName);
        }

        if (visitor?.VisitorId is not null)
        {
            VisitorCacheControl.KeepPrivate(httpContext);
        }

        var config = new ClerkJsConfig
        {
            Key = store.PublicKey,
            Visitor = visitor?.VisitorId,
            Language = string.IsNullOrWhiteSpace(Language) ? store.Language : Language,
            Globals = MergedGlobals(store),
            Debug = (_options.Debug ?? _diagnostics.IsDevelopment) ? new ClerkJsDebug() : null,
        };

        // In parts: the loader (with the click fallback, over a kilobyte) is made once and not copied per page.
        var trackClicks = TrackClicks ?? _options.TrackClicks;
        ScriptNonce.WriteInlineScript(
            output,
            Nonce,
            _options,
            httpContext,
            Loader(httpContext, store, trackClicks),
            MarkupJson.Serialize(config, MarkupJson.Config),
            trackClicks ? ");" + ClickTracking : ");",
            _consentTools is { All.Count: > 0 } tools ? ConsentListener(httpContext, tools, visitor?.VisitorId) : null);
    }

    private string ConsentListener(HttpContext httpContext, ConsentTools tools, string? visitorId)
    {
        var path = httpContext.Request.PathBase.Add(new PathString(_options.VisitorPath)).Value!;
        var (listen, cookieNames) = _markup.ConsentToolScript ??= (
            string.Concat(tools.All
                .SelectMany(t => t.PageEvents)
                .Distinct()
                .Select(e => $"{e.Target}.addEventListener('{e.Name}',r);")),
            MarkupJson.Serialize(tools.All.Select(t => t.CookieName).Distinct().ToArray(), MarkupJson.Labels));
        return string.Concat(
            ConsentListenerStart,
            listen,
            "})(window,document,",
            MarkupJson.Serialize(path, MarkupJson.String),
            ",",
            cookieNames,
            ",",
            visitorId is null ? "null" : MarkupJson.Serialize(visitorId, MarkupJson.String),
            ");");
    }

    // API mode: no Clerk.js. Clicks on products Clerk chose go to the shop's own beacon (app.MapClerkTracking()),
    // which takes the visitor from the request; the page sends only what it shows: product, labels, api, position.
    private void RenderBeacon(HttpContext httpContext, TagHelperOutput output)
    {
        if (!(TrackClicks ?? _options.TrackClicks))
        {
            return;
        }

        var script = httpContext.Request.PathBase.HasValue
            ? BuildBeacon(httpContext.Request.PathBase.Add(new PathString(_options.BeaconPath)).Value!)
            : _markup.BeaconScript ??= BuildBeacon(_options.BeaconPath);
        ScriptNonce.WriteInlineScript(output, Nonce, _options, httpContext, script);
    }

    private static string BuildBeacon(string path) =>
        string.Concat(BeaconStart, MarkupJson.Serialize(path, MarkupJson.String), BeaconEnd);

    // The loader up to "Clerk('config',", with the click fallback when clicks are tracked and it is on: the same on
    // every page unless a path base or a page's own track-clicks changes it, so that one is built once.
    private string Loader(HttpContext httpContext, ClerkStore store, bool trackClicks)
    {
        var url = store.ClerkJsUrl;
        var fallback = trackClicks && _options.ClickFallback;
        var pathBase = httpContext.Request.PathBase;

        // A path on this site follows the app's path base; "//host/..." is protocol-relative and left alone.
        var onThisSite = url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal);
        if (pathBase.HasValue && (onThisSite || fallback))
        {
            return BuildLoader(
                onThisSite ? pathBase.Add(new PathString(url)).Value! : url,
                fallback ? pathBase.Add(new PathString(_options.BeaconPath)).Value! : null);
        }

        if (trackClicks != _options.TrackClicks)
        {
            return BuildLoader(url, fallback ? _options.BeaconPath : null);
        }

        // A store with its own Clerk.js build (ClerkStoreOptions.ClerkJsUrl) has its own loader, also built once.
        return ReferenceEquals(url, _options.ClerkJsUrl)
            ? _markup.ClerkJsLoader ??= BuildLoader(url, fallback ? _options.BeaconPath : null)
            : _markup.StoreLoaders.GetOrAdd(url, static (url, beacon) => BuildLoader(url, beacon), fallback ? _options.BeaconPath : null);
    }

    private static string BuildLoader(string url, string? fallbackBeaconPath) =>
        fallbackBeaconPath is null
            ? string.Concat(LoaderStart, MarkupJson.Serialize(url, MarkupJson.String), LoaderBody, LoaderEnd, "Clerk('config',")
            : string.Concat(
                LoaderStart,
                MarkupJson.Serialize(url, MarkupJson.String),
                LoaderBody,
                FallbackStart,
                MarkupJson.Serialize(fallbackBeaconPath, MarkupJson.String),
                FallbackEnd,
                LoaderEnd,
                "Clerk('config',");

    private IDictionary<string, string>? MergedGlobals(ClerkStore store)
    {
        // The store's globals are the shop's with the store's own over them (ClerkStoreSet); a frozen dictionary.
        var storeGlobals = (IDictionary<string, string>)store.Globals;
        if (Globals.Count == 0)
        {
            return storeGlobals.Count == 0 ? null : storeGlobals;
        }

        var merged = new Dictionary<string, string>(storeGlobals, StringComparer.Ordinal);
        foreach (var (name, value) in Globals)
        {
            merged[name] = value;
        }

        return merged;
    }
}
