using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore;

/// <summary>
/// Settings of the Clerk.io integration, bound from the <c>Clerk</c> configuration section by
/// <c>services.AddClerk(...)</c> and validated when the host starts.
/// </summary>
public sealed class ClerkOptions
{
    /// <summary>The configuration section the options are bound from: <c>Clerk</c>.</summary>
    public const string SectionName = "Clerk";

    /// <summary>
    /// The name of the <see cref="HttpClient"/> that calls Clerk, for adding handlers or a proxy:
    /// <c>services.AddHttpClient(ClerkOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(...)</c>.
    /// </summary>
    public const string HttpClientName = "Clerk.AspNetCore";

    /// <summary>The production API of Clerk.io: <c>https://api.clerk.io/v2</c>.</summary>
    public static readonly Uri DefaultApiBaseUrl = new("https://api.clerk.io/v2");

    /// <summary>Clerk.io's Clerk.js on its CDN: <c>https://cdn.clerk.io/clerk.js</c>.</summary>
    public const string DefaultClerkJsUrl = "https://cdn.clerk.io/clerk.js";

    /// <summary>
    /// Whether the integration is on. When <see langword="false"/> the package is a no-op: no visitor identity, no
    /// cookie, nothing rendered, nothing sent, and <see cref="PublicKey"/> is not required.
    /// </summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The public API key of the Clerk store (my.clerk.io › Developers › API Keys). Safe to show in the browser.
    /// </summary>
    /// <value>Required while <see cref="Enabled"/> is <see langword="true"/>.</value>
    public string? PublicKey { get; set; }

    /// <summary>
    /// The Clerk stores of a shop that has several (one per language, market or domain), by name:
    /// <c>Clerk:Stores:{name}:PublicKey</c>, <c>PrivateKey</c>, <c>Language</c> ... The name tags metrics and health
    /// entries and picks keyed services (<c>[FromKeyedServices("en")] IClerkClient</c>); the keys never appear there.
    /// Use either this or <see cref="PublicKey"/>/<see cref="PrivateKey"/>, not both: a shop with one store keeps the
    /// short form, which is the same as one store named <see cref="ClerkStore.DefaultName"/>.
    /// </summary>
    /// <value>Empty by default. Names are 1–40 letters, digits, <c>-</c> or <c>_</c>, compared without case.</value>
    public IDictionary<string, ClerkStoreOptions> Stores { get; set; } = new Dictionary<string, ClerkStoreOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The store (a name in <see cref="Stores"/>) of a request that no store's rules and no <see cref="IClerkStoreSelector"/>
    /// pick, and of server-side calls made outside a request.
    /// </summary>
    /// <value>Required with more than one store; with one, that store.</value>
    public string? DefaultStore { get; set; }

    /// <summary>
    /// The private API key, needed only for server-side calls that Clerk guards with it (returns, privacy, account).
    /// It is never rendered into a page and never logged. Keep it in user secrets or the environment, not in
    /// appsettings.json.
    /// </summary>
    /// <value>Optional; defaults to <see langword="null"/>. Left out when the options are serialised (to a log, a diagnostics page).</value>
    [JsonIgnore]
    public string? PrivateKey { get; set; }

    /// <summary>The base address of Clerk's REST API, used for server-side calls.</summary>
    /// <value>
    /// Defaults to <see cref="DefaultApiBaseUrl"/>. Must be an absolute https URL; plain http is accepted only in the
    /// Development environment and for loopback addresses (<c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>, where the
    /// Clerk emulator runs), because every call carries the API keys. Redirects from it are never followed.
    /// </value>
    public Uri ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>
    /// Where the browser loads Clerk.js from: Clerk's CDN, a per-store build such as
    /// <c>https://custom.clerk.io/yourstore.js</c>, or a path on this site (for example an emulator).
    /// </summary>
    /// <value>Defaults to <see cref="DefaultClerkJsUrl"/>. Must be an absolute http or https URL or start with <c>/</c>.</value>
    public string ClerkJsUrl { get; set; } = DefaultClerkJsUrl;

    /// <summary>The cookie that keeps a consenting visitor's ID.</summary>
    public ClerkVisitorCookieOptions VisitorCookie { get; set; } = new();

    /// <summary>
    /// How a visitor who has not decided about consent is tracked: <see cref="ClerkVisitorMode.Cookieless"/> (a
    /// server-derived ID, nothing stored on the device) or <see cref="ClerkVisitorMode.Disabled"/> (no visitor ID).
    /// </summary>
    /// <value>Defaults to <see cref="ClerkVisitorMode.Cookieless"/>, as Clerk.js itself does.</value>
    public ClerkVisitorMode UndecidedConsentMode { get; set; } = ClerkVisitorMode.Cookieless;

    /// <summary>
    /// Whether a <c>Sec-GPC: 1</c> request header (Global Privacy Control) counts as declined consent. Consent
    /// resolvers registered by the app are asked first and can override it.
    /// </summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool HonorGlobalPrivacyControl { get; set; } = true;

    /// <summary>
    /// The consent assumed when no consent source has an opinion: no resolver answered, no GPC signal, and the app
    /// has no cookie policy (<c>UseCookiePolicy</c>). Set it to <see cref="ClerkConsent.Granted"/> only when the shop
    /// has decided that tracking needs no consent (a persistent <c>clerk_visitor</c> cookie for every visitor):
    /// that is the shop's legal decision, so the package never assumes it.
    /// </summary>
    /// <value>
    /// Defaults to <see cref="ClerkConsent.Undecided"/>: visitors get a cookieless ID (see
    /// <see cref="UndecidedConsentMode"/>) and no cookie, as Clerk.js does by itself.
    /// </value>
    public ClerkConsent DefaultConsent { get; set; } = ClerkConsent.Undecided;

    /// <summary>
    /// Whether <c>?clerk_visitor=ID</c> on a URL forces that visitor ID (Clerk's testing aid) outside the Development
    /// environment, where it is always allowed. The forced ID is kept in the visitor cookie; it is never applied to a
    /// visitor who declined. Turn it on for staging, not for a public shop: a link could set a visitor's ID.
    /// </summary>
    /// <value>Defaults to <see langword="false"/>.</value>
    public bool AllowVisitorQueryParameter { get; set; }

    /// <summary>
    /// The language of the Clerk store, as Clerk.js names it (<c>danish</c>, <c>english</c>, <c>german</c> ...). It must
    /// match the store's language in my.clerk.io for search to work. <c>&lt;clerk-script language="..."&gt;</c> overrides it
    /// per page, for shops that serve several languages.
    /// </summary>
    /// <value>Optional; by default Clerk.js uses the store's language.</value>
    public string? Language { get; set; }

    /// <summary>
    /// Values passed to Clerk.js as <c>globals</c>, available in Clerk designs (for example <c>currency_symbol</c>).
    /// <c>&lt;clerk-script global-name="..."&gt;</c> adds or overrides values per page.
    /// </summary>
    public IDictionary<string, string> Globals { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Whether <c>&lt;clerk-script&gt;</c> turns on Clerk.js click tracking for the shop's own markup
    /// (<c>Clerk('click', '*[data-clerk-product-id]')</c>), which the <c>clerk-product-id</c> attribute produces.
    /// </summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool TrackClicks { get; set; } = true;

    /// <summary>Whether Clerk.js logs what it does to the browser console.</summary>
    /// <value>Defaults to <see langword="null"/>: on in the Development environment, off elsewhere.</value>
    public bool? Debug { get; set; }

    /// <summary>
    /// Whether the customer's e-mail address is sent with a sale (<c>data-email</c>), which lets Clerk link the
    /// visitor to the customer across devices. Clerk's own extensions send it by default.
    /// </summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool CollectEmails { get; set; } = true;

    /// <summary>
    /// For shops with a strict Content Security Policy: returns the request's CSP nonce, which the tag helpers put
    /// on every inline script they render. A <c>nonce</c> attribute on a tag helper wins over it.
    /// </summary>
    /// <value>Optional; for example <c>context =&gt; context.Items["csp-nonce"] as string</c>.</value>
    public Func<HttpContext, string?>? CspNonce { get; set; }

    /// <summary>How the shop shows Clerk's results: Clerk.js in the browser, or an API setup rendered on the server.</summary>
    /// <value>Defaults to <see cref="ClerkIntegrationMode.ClerkJs"/>.</value>
    public ClerkIntegrationMode Mode { get; set; } = ClerkIntegrationMode.ClerkJs;

    /// <summary>Who sends an order's sale to Clerk: the confirmation page, the server, or the server with the page as fallback.</summary>
    /// <value>
    /// Defaults to <see langword="null"/>: <see cref="ClerkSaleTracking.ServerSideWithClientFallback"/> with Clerk.js
    /// (the server sends the sale, so a buyer whose browser never runs Clerk.js still counts, and the page sends it for
    /// any order the server did not), <see cref="ClerkSaleTracking.ServerSide"/> in <see cref="ClerkIntegrationMode.Api"/> mode.
    /// </value>
    public ClerkSaleTracking? SaleTracking { get; set; }

    /// <summary>How long a server-side call waits for Clerk's answer.</summary>
    /// <value>Defaults to 5 seconds.</value>
    public TimeSpan ApiTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The path of the click beacon that <c>app.MapClerkTracking()</c> maps and the API-mode script of
    /// <c>&lt;clerk-script&gt;</c> posts clicks to.
    /// </summary>
    /// <value>Defaults to <c>/clerk/click</c>.</value>
    public string BeaconPath { get; set; } = "/clerk/click";

    /// <summary>
    /// Whether <c>&lt;clerk-script&gt;</c> in <see cref="ClerkIntegrationMode.ClerkJs"/> mode carries the first-party click
    /// fallback: when Clerk.js does not load (an ad blocker, a network error) or is not running a few seconds after the
    /// page started, clicks on products marked with <c>clerk-product-id</c> go to the shop's own click beacon
    /// (<see cref="BeaconPath"/>, mapped by <c>app.MapClerkTracking()</c>), with their block's labels and position.
    /// While it is on (and <see cref="TrackClicks"/> is), start-up checks that the beacon is mapped.
    /// </summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool ClickFallback { get; set; } = true;

    /// <summary>
    /// The path of the visitor endpoint that <c>app.MapClerkTracking()</c> maps: <c>GET</c> answers
    /// <c>{"visitor": ...}</c> for the request's current consent (and sets or deletes the visitor cookie as any page
    /// does), so that the page can give Clerk.js the new visitor when a consent tool reports a change without a reload.
    /// </summary>
    /// <value>Defaults to <c>/clerk/visitor</c>.</value>
    public string VisitorPath { get; set; } = "/clerk/visitor";

    /// <summary>How server-side events are queued, retried and given up.</summary>
    public ClerkDeliveryOptions Delivery { get; set; } = new();

    /// <summary>How many clicks the click beacon takes per client IP address.</summary>
    public ClerkClickBeaconOptions ClickBeacon { get; set; } = new();

    /// <summary>How the default sale ledger remembers which orders were sent (once per order).</summary>
    public ClerkSaleLedgerOptions SaleLedger { get; set; } = new();

    /// <summary>How cookieless visitor IDs cross midnight UTC: a short grace for visitors active just before it.</summary>
    public ClerkCookielessOptions Cookieless { get; set; } = new();

    /// <summary>The data feeds and real-time catalog sync (<c>Clerk:Feeds</c>).</summary>
    public ClerkFeedOptions Feeds { get; set; } = new();

    /// <summary>The sale tracking in effect: <see cref="SaleTracking"/>, or the default for <see cref="Mode"/>.</summary>
    internal ClerkSaleTracking EffectiveSaleTracking =>
        SaleTracking ?? (Mode == ClerkIntegrationMode.Api ? ClerkSaleTracking.ServerSide : ClerkSaleTracking.ServerSideWithClientFallback);

    /// <summary>Describes the options without secrets.</summary>
    /// <returns>A description in which the private key is redacted.</returns>
    public override string ToString() =>
        $"ClerkOptions {{ Enabled = {Enabled}, PublicKey = {PublicKey}, PrivateKey = {(PrivateKey is null ? "(none)" : "(redacted)")}, ApiBaseUrl = {ApiBaseUrl}, ClerkJsUrl = {ClerkJsUrl} }}";
}
