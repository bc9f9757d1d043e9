using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace SampleShop.Admin;

/// <summary>
/// Who may use the admin pages (<c>/admin/…</c>): nobody unless <see cref="KeySetting"/> is configured, and then
/// whoever gives that key once, on the key form. The key is compared in constant time and never logged, put in a URL or
/// a cookie; a correct key earns an <see cref="CookieName"/> cookie holding a token protected with the shop's data
/// protection keys (encrypted and signed, so it cannot be forged or read), valid for <see cref="Lifetime"/>, and only
/// while the key stays the same: changing <c>Admin:Key</c> signs every admin out.
/// </summary>
public sealed class AdminAccess
{
    /// <summary>The configuration key of the admin key; without it the admin pages do not exist (404).</summary>
    public const string KeySetting = "Admin:Key";

    /// <summary>The admin's cookie: HttpOnly, SameSite=Strict, Secure over HTTPS, for the browser session, only under /admin.</summary>
    public const string CookieName = "shop_admin";

    /// <summary>How long a key, once given, lets the admin in.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    private const string CookiePath = "/admin";

    // SHA-256 of the key: both sides of a comparison have the same length, so FixedTimeEquals does not even tell an
    // attacker the key's length.
    private readonly byte[]? _keyHash;
    private readonly IDataProtector _protector;
    private readonly TimeProvider _clock;

    public AdminAccess(IConfiguration configuration, IDataProtectionProvider protection, TimeProvider clock)
    {
        var key = configuration[KeySetting];
        _keyHash = string.IsNullOrWhiteSpace(key) ? null : Hash(key);
        _protector = protection.CreateProtector("SampleShop.Admin.Access.v1");
        _clock = clock;
    }

    /// <summary>Whether <c>Admin:Key</c> is set: without it the admin pages are not mapped at all.</summary>
    public bool IsEnabled => _keyHash is not null;

    /// <summary>Whether <paramref name="presented"/> is the admin key, compared in constant time.</summary>
    public bool IsKey(string? presented) =>
        _keyHash is not null && !string.IsNullOrEmpty(presented) && CryptographicOperations.FixedTimeEquals(Hash(presented), _keyHash);

    /// <summary>Whether the request carries a valid admin cookie, given for the current key and not expired.</summary>
    public bool HasAccess(HttpContext context)
    {
        if (_keyHash is null || context.Request.Cookies[CookieName] is not { Length: > 0 and <= 1024 } token)
        {
            return false;
        }

        string text;
        try
        {
            text = _protector.Unprotect(token);
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException)
        {
            // Forged, altered, protected with a key ring this shop does not have, or not even base64url.
            return false;
        }

        var parts = text.Split('\n');
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            && _clock.GetUtcNow().ToUnixTimeSeconds() < expires
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(parts[1]), Encoding.ASCII.GetBytes(Fingerprint(_keyHash)));
    }

    /// <summary>Gives the browser the admin cookie, after it gave the key.</summary>
    public void Grant(HttpContext context)
    {
        if (_keyHash is null)
        {
            throw new InvalidOperationException($"The admin pages are off: {KeySetting} is not set.");
        }

        var expires = _clock.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        context.Response.Cookies.Append(CookieName, _protector.Protect($"{expires}\n{Fingerprint(_keyHash)}"), CookieOptions(context));
    }

    /// <summary>Signs the browser out.</summary>
    public static void Revoke(HttpContext context) => context.Response.Cookies.Delete(CookieName, CookieOptions(context));

    private static CookieOptions CookieOptions(HttpContext context) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = CookiePath,

        // Strictly necessary for what the admin asked for (the consent banner's policy would otherwise drop it).
        IsEssential = true,
    };

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    // Which key the token was given for: part of the key's hash, inside the encrypted token only.
    private static string Fingerprint(byte[] keyHash) => Convert.ToHexString(keyHash, 0, 16);
}
