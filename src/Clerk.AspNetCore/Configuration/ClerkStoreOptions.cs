using System.Text.Json.Serialization;

namespace Clerk.AspNetCore;

/// <summary>
/// One Clerk store of a shop that sells in several languages, markets or domains (<c>Clerk:Stores:{name}</c>): its
/// own keys, language and Clerk.js globals, and which requests it serves. Each store has its own catalog and
/// analytics in Clerk, as each store view of Clerk's Magento extension does.
/// </summary>
/// <remarks>
/// A request's store is chosen once, when something first needs it: an app's <see cref="IClerkStoreSelector"/> first,
/// then the stores whose <see cref="Hosts"/>, <see cref="PathBase"/> and <see cref="Cultures"/> all match it, otherwise
/// <see cref="ClerkOptions.DefaultStore"/>. When several stores match, the most specific wins: a path base counts more
/// than hosts and hosts more than cultures (the address asked for says more than the browser's language), two kinds
/// more than one; then the longer path base, the more specific culture (<c>de-AT</c> before <c>de</c>), the default store.
/// </remarks>
public sealed class ClerkStoreOptions
{
    /// <summary>The store's public API key (my.clerk.io › Developers › API Keys). Safe to show in the browser.</summary>
    /// <value>Required.</value>
    public string? PublicKey { get; set; }

    /// <summary>
    /// The store's private API key, for the calls Clerk guards with it (returns, privacy, the feeds, catalog sync).
    /// Never rendered and never logged; keep it in user secrets or the environment.
    /// </summary>
    /// <value>Optional. Left out when the options are serialised.</value>
    [JsonIgnore]
    public string? PrivateKey { get; set; }

    /// <summary>The store's language as Clerk.js names it (<c>danish</c>, <c>english</c> ...); see <see cref="ClerkOptions.Language"/>.</summary>
    /// <value>Optional; by default <see cref="ClerkOptions.Language"/>, then the store's language in my.clerk.io.</value>
    public string? Language { get; set; }

    /// <summary>Where the browser loads Clerk.js from for this store, such as its own build <c>https://custom.clerk.io/store.js</c>.</summary>
    /// <value>Optional; by default <see cref="ClerkOptions.ClerkJsUrl"/>.</value>
    public string? ClerkJsUrl { get; set; }

    /// <summary>Clerk.js <c>globals</c> for this store (such as <c>currency_symbol</c>), added to and overriding <see cref="ClerkOptions.Globals"/>.</summary>
    public IDictionary<string, string> Globals { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The host names this store serves (<c>shop.dk</c>, <c>www.shop.dk</c>), compared without case and without the port,
    /// unless an entry names one (<c>localhost:5080</c>).
    /// </summary>
    /// <value>Optional; empty means any host.</value>
    public IList<string> Hosts { get; set; } = [];

    /// <summary>
    /// The path this store's pages are under, such as <c>/en</c>: a request is this store's when its path base and path
    /// together start with it, as whole segments (<c>/en</c> and <c>/en/cart</c>, not <c>/english</c>). Works with and
    /// without <c>app.UsePathBase("/en")</c>.
    /// </summary>
    /// <value>Optional; none means any path.</value>
    public string? PathBase { get; set; }

    /// <summary>
    /// The request cultures this store serves (<c>da-DK</c>, or <c>da</c> for every Danish culture), read from
    /// <c>app.UseRequestLocalization()</c>'s culture feature, which must run before the store is first needed.
    /// </summary>
    /// <value>Optional; empty means any culture.</value>
    public IList<string> Cultures { get; set; } = [];

    /// <summary>Describes the store without its private key.</summary>
    /// <returns>A description in which the private key is redacted.</returns>
    public override string ToString() =>
        $"ClerkStoreOptions {{ PublicKey = {PublicKey}, PrivateKey = {(PrivateKey is null ? "(none)" : "(redacted)")}, Language = {Language} }}";
}
