using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Configuration;

/// <summary>
/// Checks <see cref="ClerkOptions"/> when the host starts. Every message names the setting as it is written in
/// configuration and says how to fix it; values of secrets are never part of a message.
/// </summary>
internal sealed class ClerkOptionsValidator(IHostEnvironment? environment = null) : IValidateOptions<ClerkOptions>
{
    // Without a host (options validated by hand) the stricter rules of production apply.
    private readonly bool _development = environment?.IsDevelopment() ?? false;

    private const string Section = ClerkOptions.SectionName;

    // The largest page the feeds may be allowed to give: a page is one response, streamed, but still one request.
    private const int MaxFeedPage = 10_000;

    // RFC 6265 cookie-name token: visible ASCII without separators.
    private const string CookieNameSeparators = "()<>@,;:\\\"/[]?={} \t";

    public ValidateOptionsResult Validate(string? name, ClerkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();

        if (options.Stores is null)
        {
            errors.AddError($"{Section}:{nameof(ClerkOptions.Stores)} is null. Remove the assignment to keep the default (no named stores: the short form Clerk:PublicKey).");
        }
        else if (options.Stores.Count > 0)
        {
            ValidateStores(options, errors);
        }
        else if (options.Enabled)
        {
            ValidateKeys(options, errors);
            if (options.DefaultStore is { } defaultStore && !string.Equals(defaultStore, ClerkStore.DefaultName, StringComparison.OrdinalIgnoreCase))
            {
                errors.AddError(
                    $"{Section}:{nameof(ClerkOptions.DefaultStore)} is '{defaultStore}', but no stores are configured under {Section}:{nameof(ClerkOptions.Stores)}. Remove {Section}:{nameof(ClerkOptions.DefaultStore)}, or configure the stores (see the README's multi-store section).");
            }
        }

        ValidateUrls(options, errors);
        ValidateCookie(options.VisitorCookie, errors);
        ValidateSaleLedger(options.SaleLedger, errors);
        ValidateCookieless(options.Cookieless, errors);
        ValidateServerSide(options, errors);
        ValidateDelivery(options.Delivery, errors);
        if (options.Delivery?.OutboxLeaseDuration is { } lease && options.ApiTimeout > TimeSpan.Zero && lease < 2 * options.ApiTimeout)
        {
            errors.AddError(
                $"{Section}:Delivery:{nameof(ClerkDeliveryOptions.OutboxLeaseDuration)} must be at least twice {Section}:{nameof(ClerkOptions.ApiTimeout)} ({2 * options.ApiTimeout}); it was {lease}. "
                + "A lease shorter than a call to Clerk lets another instance send the same sale while the first is still sending it. Leave it unset for the default (1 minute, or 4 × ApiTimeout).");
        }

        ValidateClickBeacon(options.ClickBeacon, errors);
        ValidateFeeds(options.Feeds, errors);

        if (options.Globals is null)
        {
            errors.AddError($"{Section}:{nameof(ClerkOptions.Globals)} is null. Remove the assignment to keep the defaults (no globals).");
        }

        if (options.UndecidedConsentMode is not (ClerkVisitorMode.Cookieless or ClerkVisitorMode.Disabled))
        {
            errors.AddError(
                $"{Section}:{nameof(ClerkOptions.UndecidedConsentMode)} is '{options.UndecidedConsentMode}', but a visitor who has not consented cannot get a persistent cookie. Use 'Cookieless' (the default) or 'Disabled'.");
        }

        if (!Enum.IsDefined(options.DefaultConsent))
        {
            errors.AddError(
                $"{Section}:{nameof(ClerkOptions.DefaultConsent)} is '{options.DefaultConsent}'. Use 'Undecided' (the default: a cookieless ID, no cookie), 'Denied', or 'Granted' if the shop has decided that Clerk's tracking needs no consent.");
        }

        return errors.Build();
    }

    private static void ValidateKeys(ClerkOptions options, ValidateOptionsResultBuilder errors)
    {
        if (string.IsNullOrWhiteSpace(options.PublicKey))
        {
            errors.AddError(
                $"{Section}:{nameof(ClerkOptions.PublicKey)} is missing. Set it to your Clerk store's public API key (my.clerk.io › Developers › API Keys), for example in appsettings.json: \"Clerk\": {{ \"PublicKey\": \"...\" }}; or set {Section}:{nameof(ClerkOptions.Enabled)} to false to turn Clerk off.");
        }
        else if (ContainsWhiteSpaceOrControl(options.PublicKey))
        {
            errors.AddError(
                $"{Section}:{nameof(ClerkOptions.PublicKey)} contains spaces or control characters. Copy the key again from my.clerk.io › Developers › API Keys, without surrounding quotes or spaces.");
        }

        if (options.PrivateKey is not null)
        {
            if (string.IsNullOrWhiteSpace(options.PrivateKey) || ContainsWhiteSpaceOrControl(options.PrivateKey))
            {
                errors.AddError(
                    $"{Section}:{nameof(ClerkOptions.PrivateKey)} is empty or contains spaces or control characters. Remove the setting, or copy the private key again from my.clerk.io › Developers › API Keys.");
            }
            else if (string.Equals(options.PrivateKey, options.PublicKey, StringComparison.Ordinal))
            {
                errors.AddError(
                    $"{Section}:{nameof(ClerkOptions.PrivateKey)} is the same as {Section}:{nameof(ClerkOptions.PublicKey)}. The private key is the second key shown in my.clerk.io › Developers › API Keys.");
            }
        }
    }

    private const int MaxStoreName = 40;

    /// <summary>The long form, <c>Clerk:Stores:{name}</c>: each store's keys and rules, and the default store.</summary>
    private static void ValidateStores(ClerkOptions options, ValidateOptionsResultBuilder errors)
    {
        var stores = options.Stores;
        // Blank counts as unset: appsettings.json often carries "PublicKey": "" for the short form, which the
        // configuration binder turns into an empty string.
        if (!string.IsNullOrWhiteSpace(options.PublicKey) || !string.IsNullOrWhiteSpace(options.PrivateKey))
        {
            // Which keys would a request use? Either answer would surprise someone, so neither is guessed.
            errors.AddError(
                $"{Section}:{nameof(ClerkOptions.PublicKey)} or {Section}:{nameof(ClerkOptions.PrivateKey)} is set together with {Section}:{nameof(ClerkOptions.Stores)} ({string.Join(", ", stores.Keys)}). "
                + $"Use one form: move the keys into a store ({Section}:Stores:{{name}}:PublicKey and PrivateKey), or remove {Section}:{nameof(ClerkOptions.Stores)} for a shop with one store.");
        }

        var byPublicKey = new Dictionary<string, string>(StringComparer.Ordinal);
        var byRules = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, store) in stores)
        {
            var where = $"{Section}:Stores:{name}";
            if (string.IsNullOrEmpty(name) || name.Length > MaxStoreName || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                errors.AddError($"{where}: a store's name must be 1–{MaxStoreName} ASCII letters, digits, '-' or '_' (it tags metrics and health entries), such as 'dk' or 'en-gb'.");
            }

            if (store is null)
            {
                errors.AddError($"{where} is empty. Give it at least a PublicKey.");
                continue;
            }

            if (!options.Enabled)
            {
                continue;
            }

            if (string.IsNullOrWhiteSpace(store.PublicKey))
            {
                errors.AddError($"{where}:{nameof(ClerkStoreOptions.PublicKey)} is missing. Set it to that Clerk store's public API key (my.clerk.io › Developers › API Keys), or remove the store.");
            }
            else if (ContainsWhiteSpaceOrControl(store.PublicKey))
            {
                errors.AddError($"{where}:{nameof(ClerkStoreOptions.PublicKey)} contains spaces or control characters. Copy the key again from my.clerk.io › Developers › API Keys, without surrounding quotes or spaces.");
            }
            else if (byPublicKey.TryGetValue(store.PublicKey, out var other))
            {
                errors.AddError($"{where}:{nameof(ClerkStoreOptions.PublicKey)} is the same as {Section}:Stores:{other}'s. Each Clerk store has its own keys; two markets that share one Clerk store are one store here.");
            }
            else
            {
                byPublicKey[store.PublicKey] = name;
            }

            if (store.PrivateKey is not null)
            {
                if (string.IsNullOrWhiteSpace(store.PrivateKey) || ContainsWhiteSpaceOrControl(store.PrivateKey))
                {
                    errors.AddError($"{where}:{nameof(ClerkStoreOptions.PrivateKey)} is empty or contains spaces or control characters. Remove the setting, or copy the private key again from my.clerk.io › Developers › API Keys.");
                }
                else if (string.Equals(store.PrivateKey, store.PublicKey, StringComparison.Ordinal))
                {
                    errors.AddError($"{where}:{nameof(ClerkStoreOptions.PrivateKey)} is the same as its PublicKey. The private key is the second key shown in my.clerk.io › Developers › API Keys.");
                }
            }

            if (store.ClerkJsUrl is not null && !IsValidScriptUrl(store.ClerkJsUrl))
            {
                errors.AddError($"{where}:{nameof(ClerkStoreOptions.ClerkJsUrl)} must be an absolute http or https URL or a path on this site starting with '/'; it was '{store.ClerkJsUrl}'. Remove it to use {Section}:{nameof(ClerkOptions.ClerkJsUrl)}.");
            }

            if (store.Globals is null || store.Hosts is null || store.Cultures is null)
            {
                errors.AddError($"{where}: Globals, Hosts and Cultures cannot be null. Remove the assignment to keep them empty.");
                continue;
            }

            if (store.PathBase is { } pathBase && !string.IsNullOrWhiteSpace(pathBase)
                && (!pathBase.StartsWith('/') || pathBase.IndexOfAny(['?', '#', '\\', ' ']) >= 0 || pathBase.Contains("//", StringComparison.Ordinal)))
            {
                errors.AddError($"{where}:{nameof(ClerkStoreOptions.PathBase)} must be a path on this site such as '/en' (starting with '/', without a query, '#', spaces or '//'); it was '{pathBase}'.");
            }

            foreach (var host in store.Hosts)
            {
                if (string.IsNullOrWhiteSpace(host) || host.Contains("://", StringComparison.Ordinal) || host.IndexOfAny(['/', ' ', '?', '#']) >= 0)
                {
                    errors.AddError($"{where}:{nameof(ClerkStoreOptions.Hosts)} has '{host}', which is not a host name. Write the name as the browser sends it in Host, such as 'shop.dk' or 'localhost:5080', without a scheme or path.");
                }
            }

            foreach (var culture in store.Cultures)
            {
                if (string.IsNullOrWhiteSpace(culture) || culture.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '-')))
                {
                    errors.AddError($"{where}:{nameof(ClerkStoreOptions.Cultures)} has '{culture}', which is not a culture name. Use names such as 'da-DK' or 'da'.");
                }
            }

            var rules = ClerkStoreSet.RulesOf(store);
            if (rules.Specificity > 0)
            {
                var key = string.Join('|', string.Join(',', rules.Hosts.Order(StringComparer.Ordinal)), rules.PathBase?.ToLowerInvariant(),
                    string.Join(',', rules.Cultures.Select(c => c.ToLowerInvariant()).Order(StringComparer.Ordinal)));
                if (byRules.TryGetValue(key, out var twin))
                {
                    errors.AddError($"{where} serves the same requests as {Section}:Stores:{twin} (the same Hosts, PathBase and Cultures), so one of them would never be chosen. Give each store its own rules.");
                }
                else
                {
                    byRules[key] = name;
                }
            }
        }

        // Names are compared without case (the configuration binder copies Stores into a case-sensitive dictionary).
        foreach (var twins in stores.Keys.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            errors.AddError($"{Section}:Stores has {string.Join(" and ", twins.Select(n => $"'{n}'"))}, which differ only in case: store names are compared without case. Keep one.");
        }

        if (options.DefaultStore is { } defaultName)
        {
            if (!stores.Keys.Contains(defaultName, StringComparer.OrdinalIgnoreCase))
            {
                errors.AddError($"{Section}:{nameof(ClerkOptions.DefaultStore)} is '{defaultName}', which is not a store. Use one of: {string.Join(", ", stores.Keys)}.");
            }
        }
        else if (stores.Count > 1 && options.Enabled)
        {
            errors.AddError(
                $"{Section}:{nameof(ClerkOptions.DefaultStore)} is missing. With {stores.Count} stores ({string.Join(", ", stores.Keys)}), name the one that serves requests no store's Hosts, PathBase or Cultures match, and server-side calls made outside a request.");
        }
    }

    private void ValidateUrls(ClerkOptions options, ValidateOptionsResultBuilder errors)
    {
        var api = options.ApiBaseUrl;
        if (api is null || !api.IsAbsoluteUri || (api.Scheme != Uri.UriSchemeHttps && api.Scheme != Uri.UriSchemeHttp))
        {
            errors.AddError(
                $"{Section}:{nameof(ClerkOptions.ApiBaseUrl)} must be an absolute http or https URL such as '{ClerkOptions.DefaultApiBaseUrl}' (the default); it was '{api}'.");
        }
        else if (api.Scheme == Uri.UriSchemeHttp && !_development && !api.IsLoopback)
        {
            // Every call carries the store's keys. Plain http stays possible where nothing crosses a network: this
            // machine (the emulator on loopback, in tests and the sample shop) and Development.
            errors.AddError(
                $"{Section}:{nameof(ClerkOptions.ApiBaseUrl)} must use https outside the Development environment, because every call carries the API keys; it was 'http://{api.Authority}{api.AbsolutePath}'. Use '{ClerkOptions.DefaultApiBaseUrl}' (the default) or the https address of your proxy. Plain http is accepted only in Development and for this machine (localhost, 127.0.0.1, [::1]), where the Clerk emulator runs.");
        }

        if (!IsValidScriptUrl(options.ClerkJsUrl))
        {
            errors.AddError(
                $"{Section}:{nameof(ClerkOptions.ClerkJsUrl)} must be an absolute http or https URL such as '{ClerkOptions.DefaultClerkJsUrl}' (the default), or a path on this site starting with '/'; it was '{options.ClerkJsUrl}'.");
        }
    }

    private static bool IsValidScriptUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || ContainsWhiteSpaceOrControl(url))
        {
            return false;
        }

        if (url.StartsWith('/'))
        {
            // Root-relative ('/clerk.js') or protocol-relative ('//cdn.clerk.io/clerk.js'); never a backslash trick.
            return !url.Contains('\\', StringComparison.Ordinal);
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
    }

    private static void ValidateCookie(ClerkVisitorCookieOptions? cookie, ValidateOptionsResultBuilder errors)
    {
        const string prefix = $"{Section}:{nameof(ClerkOptions.VisitorCookie)}";
        if (cookie is null)
        {
            errors.AddError($"{prefix} is null. Remove the assignment to keep the defaults.");
            return;
        }

        if (string.IsNullOrEmpty(cookie.Name) || !IsCookieToken(cookie.Name))
        {
            errors.AddError(
                $"{prefix}:{nameof(ClerkVisitorCookieOptions.Name)} must be a cookie name of visible ASCII characters without spaces or any of ()<>@,;:\\\"/[]?={{}}, such as '{ClerkVisitorCookieOptions.DefaultName}' (the default).");
        }
        else if (cookie.Name.StartsWith(ClerkVisitorCookieOptions.HostPrefix, StringComparison.OrdinalIgnoreCase)
            || cookie.Name.StartsWith("__Secure-", StringComparison.OrdinalIgnoreCase))
        {
            errors.AddError(
                $"{prefix}:{nameof(ClerkVisitorCookieOptions.Name)} starts with a cookie prefix ('{cookie.Name}'), whose rules browsers enforce but this setting does not check. Write the name without it, such as '{ClerkVisitorCookieOptions.DefaultName}', and set {prefix}:{nameof(ClerkVisitorCookieOptions.UseHostPrefix)} to true for '{ClerkVisitorCookieOptions.HostPrefix}'.");
        }

        if (cookie.UseHostPrefix && (cookie.Path != "/" || cookie.Domain is not null))
        {
            errors.AddError(
                $"{prefix}:{nameof(ClerkVisitorCookieOptions.UseHostPrefix)} is true, so the cookie is named '{ClerkVisitorCookieOptions.HostPrefix}{cookie.Name}', which browsers accept only with Path=/ and no Domain; it has Path '{cookie.Path}' and Domain '{cookie.Domain}'. Set {prefix}:{nameof(ClerkVisitorCookieOptions.Path)} to '/' and remove {prefix}:{nameof(ClerkVisitorCookieOptions.Domain)}, or set {nameof(ClerkVisitorCookieOptions.UseHostPrefix)} to false.");
        }

        if (cookie.Lifetime <= TimeSpan.Zero || cookie.Lifetime > TimeSpan.FromDays(400))
        {
            errors.AddError(
                $"{prefix}:{nameof(ClerkVisitorCookieOptions.Lifetime)} must be more than zero and at most 400 days (browsers cap cookies at 400 days); it was {cookie.Lifetime}. The default is 365 days, written \"365.00:00:00\".");
        }

        if (string.IsNullOrEmpty(cookie.Path) || cookie.Path[0] != '/' || HasCookieAttributeBreakers(cookie.Path))
        {
            errors.AddError(
                $"{prefix}:{nameof(ClerkVisitorCookieOptions.Path)} must start with '/' and contain no ';', ',', spaces or control characters; the default is '/'.");
        }

        if (cookie.Domain is not null && (cookie.Domain.Length == 0 || HasCookieAttributeBreakers(cookie.Domain)))
        {
            errors.AddError(
                $"{prefix}:{nameof(ClerkVisitorCookieOptions.Domain)} must be a host name such as 'example.com' or '.example.com' without ';', ',', spaces or control characters, or left out for the request's host.");
        }
    }

    private static void ValidateCookieless(ClerkCookielessOptions? cookieless, ValidateOptionsResultBuilder errors)
    {
        const string prefix = $"{Section}:{nameof(ClerkOptions.Cookieless)}";
        if (cookieless is null)
        {
            errors.AddError($"{prefix} is null. Remove the assignment to keep the defaults.");
            return;
        }

        foreach (var (name, value, meaning) in new[]
        {
            (nameof(ClerkCookielessOptions.MidnightActivityWindow), cookieless.MidnightActivityWindow, "how long before midnight UTC a cookieless visitor counts as active"),
            (nameof(ClerkCookielessOptions.MidnightGrace), cookieless.MidnightGrace, "how long after midnight UTC an active visitor keeps the previous day's ID"),
        })
        {
            if (value < TimeSpan.Zero || value > ClerkCookielessOptions.MaxWindow)
            {
                errors.AddError(
                    $"{prefix}:{name} must be from zero to 2 hours; it was {value}. It is {meaning}; the default is 30 minutes, written \"00:30:00\", and zero turns the midnight grace off.");
            }
        }
    }

    private static void ValidateSaleLedger(ClerkSaleLedgerOptions? ledger, ValidateOptionsResultBuilder errors)
    {
        const string prefix = $"{Section}:{nameof(ClerkOptions.SaleLedger)}";
        if (ledger is null)
        {
            errors.AddError($"{prefix} is null. Remove the assignment to keep the defaults.");
            return;
        }

        if (ledger.Retention <= TimeSpan.Zero)
        {
            errors.AddError(
                $"{prefix}:{nameof(ClerkSaleLedgerOptions.Retention)} must be more than zero; it was {ledger.Retention}. It is how long an order is remembered as sent; the default is 30 days, written \"30.00:00:00\".");
        }

        if (ledger.SizeLimit < 1)
        {
            errors.AddError(
                $"{prefix}:{nameof(ClerkSaleLedgerOptions.SizeLimit)} must be at least 1; it was {ledger.SizeLimit}. It is how many orders are remembered as sent; the default is 100000.");
        }
    }

    private static void ValidateServerSide(ClerkOptions options, ValidateOptionsResultBuilder errors)
    {
        if (!Enum.IsDefined(options.Mode))
        {
            errors.AddError($"{Section}:{nameof(ClerkOptions.Mode)} is '{options.Mode}'. Use 'ClerkJs' (the default) or 'Api'.");
        }

        if (options.SaleTracking is { } sales && !Enum.IsDefined(sales))
        {
            errors.AddError(
                $"{Section}:{nameof(ClerkOptions.SaleTracking)} is '{sales}'. Use 'ClientSide', 'ServerSide' or 'ServerSideWithClientFallback', or leave it out for the default of the mode.");
        }
        else if (options.Mode == ClerkIntegrationMode.Api && options.SaleTracking is ClerkSaleTracking.ClientSide or ClerkSaleTracking.ServerSideWithClientFallback)
        {
            errors.AddError(
                $"{Section}:{nameof(ClerkOptions.SaleTracking)} is '{options.SaleTracking}', but in 'Api' mode no Clerk.js runs in the browser to send a sale from the page. Use 'ServerSide' (the default in 'Api' mode).");
        }

        if (options.ApiTimeout <= TimeSpan.Zero || options.ApiTimeout > TimeSpan.FromMinutes(5))
        {
            errors.AddError(
                $"{Section}:{nameof(ClerkOptions.ApiTimeout)} must be more than zero and at most 5 minutes; it was {options.ApiTimeout}. The default is 5 seconds, written \"00:00:05\".");
        }

        if (!IsSitePath(options.BeaconPath))
        {
            errors.AddError(
                $"{Section}:{nameof(ClerkOptions.BeaconPath)} must be a path on this site such as '/clerk/click' (the default): starting with one '/', without '?', '#', '{{', '\\', spaces or control characters.");
        }

        if (!IsSitePath(options.VisitorPath))
        {
            errors.AddError(
                $"{Section}:{nameof(ClerkOptions.VisitorPath)} must be a path on this site such as '/clerk/visitor' (the default): starting with one '/', without '?', '#', '{{', '\\', spaces or control characters.");
        }
        else if (string.Equals(options.VisitorPath, options.BeaconPath, StringComparison.OrdinalIgnoreCase))
        {
            errors.AddError(
                $"{Section}:{nameof(ClerkOptions.VisitorPath)} and {nameof(ClerkOptions.BeaconPath)} are both '{options.VisitorPath}'; MapClerkTracking() maps two endpoints and needs two paths (the defaults are '/clerk/visitor' and '/clerk/click').");
        }
    }

    private static bool IsSitePath(string? path) =>
        !(string.IsNullOrEmpty(path) || path[0] != '/' || path.StartsWith("//", StringComparison.Ordinal)
            || path.Contains('?', StringComparison.Ordinal) || path.Contains('#', StringComparison.Ordinal)
            || path.Contains('\\', StringComparison.Ordinal) || path.Contains('{', StringComparison.Ordinal) || ContainsWhiteSpaceOrControl(path));

    private static void ValidateClickBeacon(ClerkClickBeaconOptions? beacon, ValidateOptionsResultBuilder errors)
    {
        const string prefix = $"{Section}:{nameof(ClerkOptions.ClickBeacon)}";
        if (beacon is null)
        {
            errors.AddError($"{prefix} is null. Remove the assignment to keep the defaults.");
            return;
        }

        if (beacon.PermitLimit is < 1 or > 100_000)
        {
            errors.AddError(
                $"{prefix}:{nameof(ClerkClickBeaconOptions.PermitLimit)} must be from 1 to 100000 clicks per client address and window; it was {beacon.PermitLimit}. The default is 100.");
        }

        if (beacon.Window < TimeSpan.FromSeconds(1) || beacon.Window > TimeSpan.FromHours(1))
        {
            errors.AddError(
                $"{prefix}:{nameof(ClerkClickBeaconOptions.Window)} must be from 1 second to 1 hour; it was {beacon.Window}. The default is 1 minute, written \"00:01:00\".");
        }
    }

    private static void ValidateFeeds(ClerkFeedOptions? feeds, ValidateOptionsResultBuilder errors)
    {
        const string prefix = $"{Section}:{nameof(ClerkOptions.Feeds)}";
        if (feeds is null)
        {
            errors.AddError($"{prefix} is null. Remove the assignment to keep the defaults.");
            return;
        }

        if (!IsSitePath(feeds.PathPrefix))
        {
            errors.AddError(
                $"{prefix}:{nameof(ClerkFeedOptions.PathPrefix)} must be a path on this site such as '/clerk' (the default, where Clerk's extensions have their feeds): starting with one '/', without '?', '#', '{{', '\\', spaces or control characters. The feeds are mapped at {{PathPrefix}}/product, /category, /order and /customer.");
        }

        if (feeds.MaxLimit is < 1 or > MaxFeedPage)
        {
            errors.AddError(
                $"{prefix}:{nameof(ClerkFeedOptions.MaxLimit)} must be from 1 to {MaxFeedPage}; it was {feeds.MaxLimit}. It is the largest page the importer may ask for (limit); the default is 1000.");
        }

        if (feeds.DefaultLimit < 1 || feeds.DefaultLimit > feeds.MaxLimit)
        {
            errors.AddError(
                $"{prefix}:{nameof(ClerkFeedOptions.DefaultLimit)} must be from 1 to {prefix}:{nameof(ClerkFeedOptions.MaxLimit)} ({feeds.MaxLimit}); it was {feeds.DefaultLimit}. It is the page size when the importer sends no limit; the default is 100.");
        }

        if (feeds.BaseUrl is { } baseUrl && (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttps && baseUrl.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(baseUrl.Query) || !string.IsNullOrEmpty(baseUrl.Fragment)))
        {
            errors.AddError(
                $"{prefix}:{nameof(ClerkFeedOptions.BaseUrl)} must be the shop's absolute http or https address, such as 'https://shop.example/' (without a query or fragment); it was '{baseUrl}'. Leave it out to resolve relative URLs against the feed request's own scheme and host.");
        }

        if (feeds.PermitLimit is < 1 or > 100_000)
        {
            errors.AddError(
                $"{prefix}:{nameof(ClerkFeedOptions.PermitLimit)} must be from 1 to 100000 requests per client address and window; it was {feeds.PermitLimit}. The default is 600 (Clerk's importer pulls a large catalog page by page).");
        }

        if (feeds.Window < TimeSpan.FromSeconds(1) || feeds.Window > TimeSpan.FromHours(1))
        {
            errors.AddError(
                $"{prefix}:{nameof(ClerkFeedOptions.Window)} must be from 1 second to 1 hour; it was {feeds.Window}. The default is 1 minute, written \"00:01:00\".");
        }

        if (feeds.SyncDelay < TimeSpan.Zero || feeds.SyncDelay > TimeSpan.FromMinutes(1))
        {
            errors.AddError(
                $"{prefix}:{nameof(ClerkFeedOptions.SyncDelay)} must be from zero to 1 minute; it was {feeds.SyncDelay}. It is how long real-time sync waits for more changes before sending; the default is 500 milliseconds, written \"00:00:00.5\".");
        }

        if (feeds.SyncBatchSize is < 1 or > 1000)
        {
            errors.AddError(
                $"{prefix}:{nameof(ClerkFeedOptions.SyncBatchSize)} must be from 1 to 1000; it was {feeds.SyncBatchSize}. It is how many products go to Clerk in one product/add or product/remove call; the default is 100.");
        }
    }

    private static void ValidateDelivery(ClerkDeliveryOptions? delivery, ValidateOptionsResultBuilder errors)
    {
        const string prefix = $"{Section}:{nameof(ClerkOptions.Delivery)}";
        if (delivery is null)
        {
            errors.AddError($"{prefix} is null. Remove the assignment to keep the defaults.");
            return;
        }

        if (delivery.QueueCapacity is < 1 or > 1_000_000)
        {
            errors.AddError($"{prefix}:{nameof(ClerkDeliveryOptions.QueueCapacity)} must be from 1 to 1000000; it was {delivery.QueueCapacity}. The default is 10000.");
        }

        if (delivery.MaxConcurrency is < 1 or > 64)
        {
            errors.AddError($"{prefix}:{nameof(ClerkDeliveryOptions.MaxConcurrency)} must be from 1 to 64; it was {delivery.MaxConcurrency}. The default is 4.");
        }

        if (delivery.FirstRetryDelay <= TimeSpan.Zero || delivery.MaxRetryDelay < delivery.FirstRetryDelay)
        {
            errors.AddError(
                $"{prefix}:{nameof(ClerkDeliveryOptions.FirstRetryDelay)} must be more than zero and at most {nameof(ClerkDeliveryOptions.MaxRetryDelay)}; they were {delivery.FirstRetryDelay} and {delivery.MaxRetryDelay}. The defaults are 1 second and 5 minutes.");
        }

        if (delivery.SaleGiveUpAfter <= TimeSpan.Zero)
        {
            errors.AddError(
                $"{prefix}:{nameof(ClerkDeliveryOptions.SaleGiveUpAfter)} must be more than zero; it was {delivery.SaleGiveUpAfter}. It is how long a sale is retried; the default is 24 hours, written \"1.00:00:00\".");
        }

        if (delivery.MaxEventAttempts is < 1 or > 100)
        {
            errors.AddError($"{prefix}:{nameof(ClerkDeliveryOptions.MaxEventAttempts)} must be from 1 to 100; it was {delivery.MaxEventAttempts}. The default is 4.");
        }

        if (delivery.OutboxPollInterval < TimeSpan.FromMilliseconds(10) || delivery.OutboxPollInterval > TimeSpan.FromMinutes(5))
        {
            errors.AddError(
                $"{prefix}:{nameof(ClerkDeliveryOptions.OutboxPollInterval)} must be from 10 milliseconds to 5 minutes; it was {delivery.OutboxPollInterval}. It is how often the outbox is asked for due sales when nothing woke the worker; the default is 1 second, written \"00:00:01\".");
        }

        if (delivery.OutboxBatchSize is < 1 or > 1000)
        {
            errors.AddError($"{prefix}:{nameof(ClerkDeliveryOptions.OutboxBatchSize)} must be from 1 to 1000; it was {delivery.OutboxBatchSize}. The default is 64.");
        }

        if (delivery.SalesHealthWindow is { } window && window <= TimeSpan.Zero)
        {
            errors.AddError(
                $"{prefix}:{nameof(ClerkDeliveryOptions.SalesHealthWindow)} must be more than zero, or null to leave sales out of the health check; it was {window}.");
        }
    }

    private static bool IsCookieToken(string value)
    {
        foreach (var c in value)
        {
            if (c <= 0x20 || c >= 0x7f || CookieNameSeparators.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasCookieAttributeBreakers(string value) =>
        value.Contains(';', StringComparison.Ordinal) || value.Contains(',', StringComparison.Ordinal) || ContainsWhiteSpaceOrControl(value);

    private static bool ContainsWhiteSpaceOrControl(string value)
    {
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }
}
