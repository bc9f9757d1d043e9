using Clerk.AspNetCore.Visitors;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore;

/// <summary>
/// Checks <see cref="ClerkOptions"/> when the host starts. Every message names the setting as it is written in
/// configuration and says how to fix it; values of secrets are never part of a message.
/// </summary>
internal sealed class ClerkOptionsValidator : IValidateOptions<ClerkOptions>
{
    private const string Section = ClerkOptions.SectionName;

    // RFC 6265 cookie-name token: visible ASCII without separators.
    private const string CookieNameSeparators = "()<>@,;:\\\"/[]?={} \t";

    public ValidateOptionsResult Validate(string? name, ClerkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();

        if (options.Enabled)
        {
            ValidateKeys(options, errors);
        }

        ValidateUrls(options, errors);
        ValidateCookie(options.VisitorCookie, errors);
        ValidateSaleLedger(options.SaleLedger, errors);

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
                $"{Section}:{nameof(ClerkOptions.DefaultConsent)} is '{options.DefaultConsent}'. Use 'Granted' (the default), 'Undecided' or 'Denied'.");
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

    private static void ValidateUrls(ClerkOptions options, ValidateOptionsResultBuilder errors)
    {
        var api = options.ApiBaseUrl;
        if (api is null || !api.IsAbsoluteUri || (api.Scheme != Uri.UriSchemeHttps && api.Scheme != Uri.UriSchemeHttp))
        {
            errors.AddError(
                $"{Section}:{nameof(ClerkOptions.ApiBaseUrl)} must be an absolute http or https URL such as '{ClerkOptions.DefaultApiBaseUrl}' (the default); it was '{api}'.");
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
