using Clerk.AspNetCore.TagHelpers.Markup;
using Clerk.AspNetCore.Visitors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Clerk.AspNetCore;

/// <summary>
/// <c>&lt;clerk-script /&gt;</c>, placed in <c>&lt;head&gt;</c>: Clerk's asynchronous Clerk.js loader, then
/// <c>Clerk('config', ...)</c> with the public key and this request's visitor (an ID, or <c>null</c> when the visitor
/// declined tracking), then click tracking for elements marked with <c>clerk-product-id</c>. In
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
    private const string LoaderEnd =
        ";var s=d.getElementsByTagName('script')[0];s.parentNode.insertBefore(e,s);w.__clerk_q=w.__clerk_q||[];w.Clerk=w.Clerk||function(){w.__clerk_q.push(arguments)};})(window,document);";
    private const string ClickTracking = "Clerk('click','*[data-clerk-product-id]');";

    // sendBeacon survives the navigation the click causes; text/plain keeps it a simple request. fetch with
    // keepalive is the fallback where sendBeacon is missing or refuses.
    // The product ID keeps the JSON type clerk-product-id marked (data-clerk-product-type): Clerk treats 104 and
    // "104" as different products. An integer goes into the body as its digits, never through a JS number, so IDs
    // beyond 2^53 arrive exact; labels is always present, so the rest of the body follows the product after a comma.
    private const string BeaconStart =
        "(function(d,n){d.addEventListener('click',function(e){var t=e.target,p=t&&t.closest?t.closest('[data-clerk-product-id]'):null;if(!p){return;}"
        + "var l=p.closest('[data-clerk-labels]'),a=p.closest('[data-clerk-api]'),o=p.getAttribute('data-clerk-position'),v=p.getAttribute('data-clerk-product-id'),b={};"
        + "try{b.labels=l?JSON.parse(l.getAttribute('data-clerk-labels')):null;}catch(x){b.labels=null;}"
        + "if(a){b.api=a.getAttribute('data-clerk-api');}if(o!==null){b.position=Number(o);}"
        + "var s='{\"product\":'+(p.getAttribute('data-clerk-product-type')==='number'&&/^-?[0-9]+$/.test(v)?v:JSON.stringify(v))+','+JSON.stringify(b).slice(1),u=";
    private const string BeaconEnd =
        ";if(!(n.sendBeacon&&n.sendBeacon(u,new Blob([s],{type:'text/plain'})))){fetch(u,{method:'POST',body:s,keepalive:true,credentials:'same-origin',headers:{'Content-Type':'text/plain'}});}},true);})(document,navigator);";

    private readonly ClerkOptions _options;
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

        _diagnostics.Contain(TagName, () => Render(ViewContext.HttpContext, output), output.SuppressOutput);
    }

    private void Render(HttpContext httpContext, TagHelperOutput output)
    {
        if (_options.Mode == ClerkIntegrationMode.Api)
        {
            RenderBeacon(httpContext, output);
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
            Key = _options.PublicKey ?? string.Empty,
            Visitor = visitor?.VisitorId,
            Language = string.IsNullOrWhiteSpace(Language) ? NullIfEmpty(_options.Language) : Language,
            Globals = MergedGlobals(),
            Debug = (_options.Debug ?? _diagnostics.IsDevelopment) ? new ClerkJsDebug() : null,
        };

        var script = string.Concat(
            Loader(httpContext),
            MarkupJson.Serialize(config, MarkupJson.Config),
            TrackClicks ?? _options.TrackClicks ? ");" + ClickTracking : ");");

        ScriptNonce.WriteInlineScript(output, Nonce, _options, httpContext, script);
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

    // The loader up to "Clerk('config',", the same on every page unless a site path meets a path base: built once.
    private string Loader(HttpContext httpContext)
    {
        var url = _options.ClerkJsUrl;

        // A path on this site follows the app's path base; "//host/..." is protocol-relative and left alone.
        var onThisSite = url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal);
        if (onThisSite && httpContext.Request.PathBase.HasValue)
        {
            return BuildLoader(httpContext.Request.PathBase.Add(new PathString(url)).Value!);
        }

        return _markup.ClerkJsLoader ??= BuildLoader(url);
    }

    private static string BuildLoader(string url) =>
        string.Concat(LoaderStart, MarkupJson.Serialize(url, MarkupJson.String), LoaderEnd, "Clerk('config',");

    private IDictionary<string, string>? MergedGlobals()
    {
        if (Globals.Count == 0)
        {
            return _options.Globals.Count == 0 ? null : _options.Globals;
        }

        var merged = new Dictionary<string, string>(_options.Globals, StringComparer.Ordinal);
        foreach (var (name, value) in Globals)
        {
            merged[name] = value;
        }

        return merged;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
