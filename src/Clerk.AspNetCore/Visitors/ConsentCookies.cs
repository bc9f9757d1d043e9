using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Visitors;

/// <summary>
/// Reads the consent cookies of consent tools. The values come from the visitor's browser, so anything may arrive:
/// parsing never throws, is bounded, and is liberal in what it reads but strict in what counts as granted — only the
/// tool's exact "accepted" word for the category, never a guess. Anything else (absent, unreadable, the category not
/// named) is <see cref="ClerkConsent.Undecided"/>.
/// </summary>
internal static class ConsentCookies
{
    /// <summary>Browsers keep a cookie to about 4 KB; anything longer was not written by a consent tool.</summary>
    public const int MaxValueLength = 8 * 1024;

    /// <summary>
    /// The raw value of cookie <paramref name="name"/> from the <c>Cookie</c> header, still percent-encoded: the
    /// tools' formats must be split before they are decoded (a OneTrust value carries the landing page's URL, and a
    /// decoded <c>%26groups%3D</c> in it must not read as the groups). The first one wins, as with
    /// <c>Request.Cookies</c> (browsers send the most specific path first).
    /// </summary>
    public static string? RawValue(HttpRequest request, string name)
    {
        foreach (var header in request.Headers.Cookie)
        {
            if (header is null)
            {
                continue;
            }

            foreach (var range in header.AsSpan().Split(';'))
            {
                var pair = header.AsSpan(range).Trim();
                var equals = pair.IndexOf('=');
                if (equals > 0 && pair[..equals].Trim().SequenceEqual(name))
                {
                    var value = pair[(equals + 1)..].Trim();
                    if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
                    {
                        value = value[1..^1];
                    }

                    return value.Length > MaxValueLength ? null : value.ToString();
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Cookiebot's <c>CookieConsent</c>: <c>-1</c> when the visitor is in a region that needs no consent (Cookiebot
    /// then treats every category as accepted), otherwise a URL-encoded JavaScript object such as
    /// <c>{stamp:'...',necessary:true,preferences:false,statistics:true,marketing:false,method:'explicit',ver:1,utc:...,region:'gb'}</c>.
    /// Cookiebot writes the cookie only once the visitor has answered (or consent was implied).
    /// Sources: https://www.cookiebot.com/en/developer/ ("Server side usage"); the sample value and the "-1" rule as
    /// documented in https://docs.umbraco.com/umbraco-engage/security-and-privacy/gdpr/how-to-become-gdpr-compliant-using-cookiebot.
    /// </summary>
    public static ClerkConsent Cookiebot(string? raw, string category)
    {
        if (raw is null)
        {
            return ClerkConsent.Undecided;
        }

        var value = Decode(raw).AsSpan().Trim();
        if (value.SequenceEqual("-1"))
        {
            return ClerkConsent.Granted;
        }

        if (value.Length < 2 || value[0] != '{' || value[^1] != '}')
        {
            return ClerkConsent.Undecided;
        }

        var answer = Answer.None;
        foreach (var (key, item) in Pairs(value[1..^1], ',', ':', quoted: true))
        {
            if (Unquote(key).Equals(category, StringComparison.OrdinalIgnoreCase))
            {
                answer = answer.With(Unquote(item) switch
                {
                    "true" => Answer.Yes,
                    "false" => Answer.No,
                    _ => Answer.Unknown,
                });
            }
        }

        return answer.Consent(interacted: true);
    }

    /// <summary>
    /// OneTrust's <c>OptanonConsent</c>: a URL-encoded query string whose <c>groups</c> parameter lists each category
    /// with 1 (active) or 0, such as <c>groups=C0001:1,C0002:0,C0003:1,C0004:0</c> (C0002 performance, C0003
    /// functional, C0004 targeting by default; each account can add its own). OneTrust writes the cookie on the first
    /// page, before the visitor answers, with the banner's defaults: a 0 then is the opt-in default, not a decline,
    /// so it is read as undecided until the visitor has interacted (<c>interactionCount</c> above 0, or the
    /// <c>OptanonAlertBoxClosed</c> cookie, which OneTrust sets when the banner is closed). A 1 is active either way
    /// (regions where OneTrust's model is opt-out).
    /// Sources: https://my.onetrust.com/articles/en_US/Knowledge/UUID-2dc719a8-4be5-8d16-1dc8-c7b4147b88e0 (OneTrust's
    /// cookies), https://developer.onetrust.com/onetrust/docs/javascript-events-guide (active groups).
    /// </summary>
    public static ClerkConsent OneTrust(string? raw, string group, bool alertBoxClosed)
    {
        if (raw is null)
        {
            return ClerkConsent.Undecided;
        }

        var answer = Answer.None;
        var interacted = alertBoxClosed;
        foreach (var (key, item) in Pairs(raw, '&', '=', quoted: false))
        {
            var name = Decode(key).Trim();
            if (name.Equals("interactionCount", StringComparison.OrdinalIgnoreCase))
            {
                interacted |= int.TryParse(Decode(item).Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count) && count > 0;
            }
            else if (name.Equals("groups", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var (id, flag) in Pairs(Decode(item), ',', ':', quoted: false))
                {
                    if (id.Trim().Equals(group, StringComparison.OrdinalIgnoreCase))
                    {
                        answer = answer.With(flag.Trim() switch
                        {
                            "1" => Answer.Yes,
                            "0" => Answer.No,
                            _ => Answer.Unknown,
                        });
                    }
                }
            }
        }

        return answer.Consent(interacted);
    }

    /// <summary>
    /// CookieYes's <c>cookieyes-consent</c>: comma-separated <c>key:value</c> pairs such as
    /// <c>consentid:...,consent:yes,action:yes,necessary:yes,functional:no,analytics:yes,performance:no,advertisement:no</c>.
    /// <c>action:yes</c> means the visitor acted on the banner; before that the categories are the banner's defaults,
    /// so a <c>no</c> then is undecided, not declined, and a <c>yes</c> is the default of an opt-out law.
    /// Sources: https://www.cookieyes.com/cookies-installed-by-cookieyes-and-their-purposes/ and
    /// https://www.cookieyes.com/documentation/retrieving-consent-data-using-api-getckyconsent/ (the categories).
    /// </summary>
    public static ClerkConsent CookieYes(string? raw, string category)
    {
        if (raw is null)
        {
            return ClerkConsent.Undecided;
        }

        var answer = Answer.None;
        var interacted = false;
        foreach (var (key, item) in Pairs(Decode(raw), ',', ':', quoted: false))
        {
            var name = key.Trim();
            var flag = item.Trim();
            if (name.Equals("action", StringComparison.OrdinalIgnoreCase))
            {
                interacted |= flag == "yes";
            }
            else if (name.Equals(category, StringComparison.OrdinalIgnoreCase))
            {
                answer = answer.With(flag switch
                {
                    "yes" => Answer.Yes,
                    "no" => Answer.No,
                    _ => Answer.Unknown,
                });
            }
        }

        return answer.Consent(interacted);
    }

    /// <summary>
    /// What the named category said, over every time it was named: a value that says both yes and no, or anything
    /// but the tool's words, is never read as granted.
    /// </summary>
    private enum Answer
    {
        None,
        Yes,
        No,
        Unknown,
    }

    private static Answer With(this Answer seen, Answer next) => (seen, next) switch
    {
        (Answer.None, _) => next,
        (_, _) when seen == next => seen,
        (Answer.No, _) or (_, Answer.No) => Answer.No,
        _ => Answer.Unknown,
    };

    private static ClerkConsent Consent(this Answer answer, bool interacted) => answer switch
    {
        Answer.Yes => ClerkConsent.Granted,
        Answer.No when interacted => ClerkConsent.Denied,
        _ => ClerkConsent.Undecided,
    };

    /// <summary>Percent-decoding that never throws: an invalid escape is kept as it is.</summary>
    private static string Decode(string value)
    {
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        try
        {
            return Uri.UnescapeDataString(value);
        }
        catch (UriFormatException)
        {
            return value;
        }
    }

    private static ReadOnlySpan<char> Unquote(ReadOnlySpan<char> value)
    {
        value = value.Trim();
        return value.Length >= 2 && (value[0] == '\'' || value[0] == '"') && value[^1] == value[0] ? value[1..^1] : value;
    }

    /// <summary>
    /// The <c>key{separator}value</c> items of <paramref name="text"/>, split at <paramref name="delimiter"/> (outside
    /// single or double quotes when <paramref name="quoted"/>: a quoted value may hold either; an unclosed quote ends
    /// the reading). An item without a separator is skipped. Query strings are not quoted: an apostrophe is data there.
    /// </summary>
    private static List<(string Key, string Value)> Pairs(ReadOnlySpan<char> text, char delimiter, char separator, bool quoted)
    {
        var pairs = new List<(string, string)>();
        var start = 0;
        var quote = '\0';
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length)
            {
                var c = text[i];
                if (quote != '\0')
                {
                    if (c == quote)
                    {
                        quote = '\0';
                    }

                    continue;
                }

                if (quoted && c is '\'' or '"')
                {
                    quote = c;
                    continue;
                }

                if (c != delimiter)
                {
                    continue;
                }
            }

            var item = text[start..i];
            var at = item.IndexOf(separator);
            if (at > 0)
            {
                pairs.Add((item[..at].ToString(), item[(at + 1)..].ToString()));
            }

            start = i + 1;
        }

        return pairs;
    }
}
