using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using CsCheck;

namespace Clerk.AspNetCore.Tests.Fuzz;

/// <summary>One generated request: what a hostile or broken client can send to the shop.</summary>
internal sealed record HostileRequest(
    string Method,
    string Path,
    string? ContentType,
    byte[]? Body,
    IReadOnlyList<(string Name, string Value)> Headers,
    FormToken Token)
{
    public override string ToString()
    {
        var body = Body is null ? "" : " body=" + Encoding.UTF8.GetString(Body[..Math.Min(Body.Length, 300)]);
        return $"{Method} {Path} [{ContentType}] token={Token} headers={string.Join("; ", Headers.Select(h => $"{h.Name}: {h.Value}"))}{body}";
    }
}

/// <summary>Whether a form post carries the antiforgery token the shop's page gave (when the shop uses one).</summary>
internal enum FormToken
{
    None,
    Valid,
    Hostile,
}

/// <summary>
/// Generators of hostile requests across the whole surface the package and the sample shop expose: every route of
/// the README's contract, every form, the click beacon, the emulator's API and inspector, and every header and
/// cookie the middleware reads (<c>clerk_visitor</c>, <c>.AspNet.Consent</c>, the shop's consent cookie,
/// <c>Sec-GPC</c>, <c>X-Forwarded-For</c>, <c>User-Agent</c>).
/// </summary>
internal static class HostileRequests
{
    /// <summary>Values attackers and broken clients send: markup, script, encodings, traversal, numbers at the edges.</summary>
    private static readonly string[] Nasty =
    [
        "", " ", "0", "-1", "1", "104", "\"104\"", "2147483648", "9223372036854775808", "-9223372036854775809",
        "99999999999999999999999999", "1e309", "NaN", "Infinity", "0x10", "1.5", "1,5", "٣", "true", "null", "[]", "{}",
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'><svg onload=alert(1)>", "javascript:alert(1)",
        "</script><script>alert(1)</script>", "{{7*7}}", "${jndi:ldap://x}", "' OR 1=1--", "../../../../etc/passwd",
        "%00", "%0d%0aSet-Cookie: x=1", "%", "%%", "%ZZ", "%E0%A4%A", "\\", "\\u0000", "☃", "𝕏", "\u202Eevil",
        "a@b", "@", "a@", "x@example.com", "aR9Km32lQx7Tz0Pb", "auto", "NG-12345678", "NG-", "/", "//evil.example",
        "https://evil.example/", "data:text/html,<script>alert(1)</script>", "yes", "no", "granted", "declined",
    ];

    private static readonly string[] Endpoints =
    [
        "log/click", "log/sale", "log/product", "log/category", "log/email", "log/cart/set", "log/basket/set",
        "log/returned", "recommendations/popular", "recommendations/trending", "recommendations/new",
        "recommendations/complementary", "recommendations/category/popular", "search/search", "search/predictive",
        "client/account/info", "privacy/info", "privacy/forget", "product/add", "product/remove", "unknown/endpoint", "", "..",
        "log/../log/sale",
    ];

    /// <summary>The data feeds (<c>app.MapClerkFeeds()</c>), and one the shop does not map.</summary>
    private static readonly string[] Feeds = ["product", "category", "order", "customer"];

    /// <summary>The keys the shop's feeds take on the emulator, so hostile arguments get past authentication.</summary>
    private const string FeedKeys = "key=demo-public-key&private_key=demo-private-key";

    private static readonly string[] Arguments =
    [
        "key", "private_key", "visitor", "labels", "products", "product", "sale", "email", "customer", "limit", "offset",
        "exclude", "attributes", "callback", "query", "category", "api", "position", "page", "start_date", "end_date",
        "debug", "orderby", "order", "fields",
    ];

    /// <summary>A hostile string: a known nasty value, random text, or a long run.</summary>
    public static readonly Gen<string> Text = Gen.Frequency(
        (6, Gen.OneOf<string>(Nasty)),
        (3, Gen.String[Gen.Char, 0, 40]),
        (2, Gen.String[Gen.Char.AlphaNumeric, 1, 40]),
        (1, Gen.Int[1_000, 20_000].Select(n => new string('A', n))),
        (1, Gen.Int[1, 40].Select(n => string.Concat(Enumerable.Repeat("%25", n)))));

    /// <summary>Header-safe text: what can reach a server over HTTP/1.1 (visible ASCII, spaces and Latin-1).</summary>
    private static readonly Gen<string> HeaderText = Text.Select(value => new string(value
        .Select(c => c is >= ' ' and <= '~' or '\t' || (c >= '\u00A0' && c <= '\u00FF') ? c : '?').ToArray()));

    /// <summary>A value used in a URL path segment or query string, encoded or raw-but-legal.</summary>
    private static readonly Gen<string> UrlValue = Gen.Frequency(
        (3, Text.Select(Uri.EscapeDataString)),
        (1, Text.Select(value => new string(value.Where(c => c is > ' ' and < '\u007F' and not '#' and not '?').ToArray()))));

    private static readonly Gen<string> Query = Gen.Select(Gen.OneOf<string>(Gen.OneOf<string>(Arguments), UrlValue), UrlValue)
        .Select(p => $"{p.Item1}={p.Item2}")
        .Array[0, 5]
        .Select(pairs => pairs.Length == 0 ? "" : "?" + string.Join('&', pairs));

    private static readonly Gen<string> GetPath = Gen.OneOf(
        Gen.Const("/"),
        UrlValue.Select(v => $"/products/{v}"),
        Gen.Long.Select(v => $"/products/{v.ToString(CultureInfo.InvariantCulture)}"),
        UrlValue.Select(v => $"/categories/{v}"),
        UrlValue.Select(v => $"/search?q={v}"),
        Gen.Const("/cart"),
        Gen.Const("/checkout"),
        UrlValue.Select(v => $"/orders/{v}/confirmation"),
        UrlValue.Select(v => $"/simulated-payment/pay?reference={v}"),
        Gen.Const("/privacy"),
        UrlValue.Select(v => $"/orders/forget?number={v}"),
        UrlValue.Select(v => $"/orders/{v}/forget"),
        UrlValue.Select(v => $"/en/products/{v}"),
        UrlValue.Select(v => $"/en/search?q={v}"),
        Gen.Const("/en/cart"),
        Gen.Const("/health"),
        UrlValue.Select(v => $"/images/products/{v}.svg"),
        UrlValue.Select(v => $"/clerk-emulator/?visitor={v}"),
        Gen.Const("/clerk-emulator/clerk.js"),
        Gen.Select(UrlValue, UrlValue).Select(p => $"/clerk-emulator/_emulator/calls?endpoint={p.Item1}&visitor={p.Item2}"),
        UrlValue.Select(v => $"/clerk-emulator/_emulator/sales/{v}"),
        Gen.Select(Gen.OneOf<string>(Endpoints), Query).Select(p => $"/clerk-emulator/v2/{p.Item1}{p.Item2}"),
        Gen.Select(Gen.OneOf<string>(Feeds), Query).Select(p => $"/clerk/{p.Item1}{p.Item2}"),
        Gen.Select(Gen.OneOf<string>(Feeds), Query).Select(p => $"/clerk/{p.Item1}?{FeedKeys}{(p.Item2.Length > 0 ? "&" + p.Item2[1..] : "")}"),
        Gen.Const("/admin/products"),
        UrlValue.Select(v => $"/admin/products/{v}"),
        UrlValue.Select(v => $"/admin/key?returnUrl={v}"),
        Gen.Select(UrlValue, Query).Select(p => $"/{p.Item1}{p.Item2}"));

    private static readonly string[] FormPaths =
        ["/cart/add", "/cart/update", "/cart/remove", "/checkout", "/checkout/return", "/consent/accept", "/consent/decline", "/consent/withdraw",
         "/admin/key", "/admin/products/1005", "/clerk/product", "/clerk/order", "/orders/NG-12345678/forget", "/en/cart/add", "/en/checkout", "/en/clerk/product"];

    private static readonly string[] FormFields =
        ["productId", "variantId", "quantity", "lineId", "email", "createAccount", "returnUrl", "payment", "reference", "key", "name", "price", "stock",
         "private_key", "page", "limit", "start_date", "end_date", "number"];

    private static readonly Gen<(string Name, string Value)[]> FormBody =
        Gen.Select(Gen.OneOf<string>(Gen.OneOf<string>(FormFields), Text), Text).Array[0, 6];

    private static readonly Gen<string> Leaf = Gen.OneOf(
        Text.Select(Quote),
        Gen.Long.Select(v => v.ToString(CultureInfo.InvariantCulture)),
        Gen.Double.Select(v => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "1e999"),
        Gen.OneOf<string>("true", "false", "null", "104", "\"104\"", "-0", "1e400", "01", "[", "{", "\"\\ud800\""));

    /// <summary>A JSON value of any shape, a few levels deep, with hostile strings and numbers at the edges.</summary>
    private static readonly Gen<string> JsonValue = Gen.Recursive<string>((depth, self) => depth >= 3
        ? Leaf
        : Gen.Frequency(
            (4, Leaf),
            (1, self.Array[0, 4].Select(items => "[" + string.Join(',', items) + "]")),
            (1, Gen.Select(Gen.OneOf<string>(Gen.OneOf<string>(Arguments), Text), self).Array[0, 4]
                .Select(fields => "{" + string.Join(',', fields.Select(f => $"{Quote(f.Item1)}:{f.Item2}")) + "}"))));

    /// <summary>A body for the click beacon or the emulator's API: a shaped click, any JSON, or garbage.</summary>
    private static readonly Gen<string> JsonBody = Gen.Frequency(
        (3, Gen.Select(JsonValue, JsonValue, JsonValue, JsonValue).Select(p =>
            $"{{\"product\":{p.Item1},\"labels\":{p.Item2},\"api\":{p.Item3},\"position\":{p.Item4}}}")),
        (2, JsonValue),
        (1, Text));

    private static readonly Gen<string> ContentType = Gen.OneOf<string>(
        "application/x-www-form-urlencoded", "application/json", "text/plain;charset=UTF-8", "multipart/form-data; boundary=x",
        "application/json; charset=utf-16", "APPLICATION/JSON", "text/html", "application/x-www-form-urlencoded; charset=ebcdic");

    private static readonly Gen<(string Name, string Value)> Header = Gen.OneOf(
        Gen.Select(Gen.OneOf<string>("clerk_visitor", "__Host-clerk_visitor", ".AspNet.Consent", "shop_consent", "shop_cart", "clerk_visitor "), HeaderText)
            .Array[1, 4].Select(cookies => ("Cookie", string.Join("; ", cookies.Select(c => $"{c.Item1}={c.Item2}")))),
        HeaderText.Select(v => ("Cookie", v)),
        Gen.OneOf<string>(Gen.OneOf<string>("1", "0", "", "1, 1", "true"), HeaderText).Select(v => ("Sec-GPC", v)),
        Gen.OneOf(
            Gen.Const("127.0.0.1"), Gen.Const("10.0.0.1, 203.0.113.7"), Gen.Const("::1"), Gen.Const("unknown"),
            Gen.Const("203.0.113.7, 10.1.1.1, 192.168.0.1"), HeaderText).Select(v => ("X-Forwarded-For", v)),
        Gen.OneOf<string>(Gen.OneOf<string>("https", "http", "gopher"), HeaderText).Select(v => ("X-Forwarded-Proto", v)),
        HeaderText.Select(v => ("X-Forwarded-Host", v)),
        HeaderText.Select(v => ("User-Agent", v)),
        Gen.OneOf<string>(Gen.OneOf<string>("same-origin", "cross-site", "same-site", "none"), HeaderText).Select(v => ("Sec-Fetch-Site", v)),
        Gen.OneOf<string>(Gen.OneOf<string>("http://localhost", "https://evil.example", "null"), HeaderText).Select(v => ("Origin", v)),
        HeaderText.Select(v => ("Referer", v)),
        HeaderText.Select(v => ("Accept-Language", v)),
        HeaderText.Select(v => ("RequestVerificationToken", v)));

    private static readonly Gen<(string Name, string Value)[]> Headers = Header.Array[0, 5];

    private static readonly Gen<FormToken> Token = Gen.Enum<FormToken>();

    /// <summary>Every kind of request, in proportion to the size of the surface behind it.</summary>
    public static readonly Gen<HostileRequest> Any = Gen.Frequency(
        (5, Gen.Select(GetPath, Headers).Select(p => new HostileRequest("GET", p.Item1, null, null, p.Item2, FormToken.None))),
        (3, Gen.Select(Gen.OneOf<string>(FormPaths), FormBody, Headers, Token, Gen.Bool).Select(p => new HostileRequest(
            "POST", p.Item1, p.Item5 ? "application/x-www-form-urlencoded" : "text/plain", Encoding.UTF8.GetBytes(Form(p.Item2)), p.Item3, p.Item4))),
        (3, Gen.Select(JsonBody, ContentType, Headers).Select(p => new HostileRequest(
            "POST", "/clerk/click", p.Item2, Encoding.UTF8.GetBytes(p.Item1), p.Item3, FormToken.None))),
        (2, Gen.Select(Gen.OneOf<string>(Endpoints), Query, JsonBody, ContentType, Headers).Select(p => new HostileRequest(
            "POST", $"/clerk-emulator/v2/{p.Item1}{p.Item2}", p.Item4, Encoding.UTF8.GetBytes(p.Item3), p.Item5, FormToken.None))),
        (1, Gen.Select(Gen.OneOf<string>("PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "PROPFIND"), GetPath, Headers)
            .Select(p => new HostileRequest(p.Item1, p.Item2, null, null, p.Item3, FormToken.None))));

    private static readonly string[] FeedArguments = ["page", "limit", "start_date", "end_date", "debug", "orderby", "order", "fields", "key", "private_key"];

    private static readonly Gen<(string Name, string Value)[]> FeedFields =
        Gen.Select(Gen.OneOf<string>(Gen.OneOf<string>(FeedArguments), Text), Text).Array[0, 5];

    /// <summary>
    /// Requests for the data feeds with the right keys, so that every hostile argument reaches the argument checks and
    /// the sources: GET with a hostile query, POST with a hostile form body (arguments repeated, empty, huge, garbled).
    /// </summary>
    public static readonly Gen<HostileRequest> Feed = Gen.OneOf(
        Gen.Select(Gen.OneOf<string>(Feeds), FeedFields, Headers).Select(p => new HostileRequest(
            "GET", $"/clerk/{p.Item1}?{FeedKeys}{string.Concat(p.Item2.Select(f => $"&{Uri.EscapeDataString(f.Name)}={Uri.EscapeDataString(f.Value)}"))}",
            null, null, p.Item3, FormToken.None)),
        Gen.Select(Gen.OneOf<string>(Feeds), FeedFields, ContentType, Headers).Select(p => new HostileRequest(
            "POST", $"/clerk/{p.Item1}", p.Item3, Encoding.UTF8.GetBytes($"{FeedKeys}&{Form(p.Item2)}"), p.Item4, FormToken.None)));

    public static HttpRequestMessage ToMessage(HostileRequest request, string? antiforgeryToken)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), Target(request.Path));
        var body = request.Body;
        if (request.Token != FormToken.None && antiforgeryToken is not null && request.ContentType == "application/x-www-form-urlencoded")
        {
            var token = request.Token == FormToken.Valid ? antiforgeryToken : "CfDJ8" + new string('x', 40);
            body = [.. body ?? [], .. Encoding.UTF8.GetBytes("&__RequestVerificationToken=" + Uri.EscapeDataString(token))];
        }

        if (body is not null)
        {
            message.Content = new ByteArrayContent(body);
            if (request.ContentType is { } contentType && MediaTypeHeaderValue.TryParse(contentType, out var parsed))
            {
                message.Content.Headers.ContentType = parsed;
            }
        }

        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }

    /// <summary>
    /// A NUL in the path (<c>%00</c>) never reaches the app: Kestrel answers 400 itself, while the in-memory test
    /// server throws in the client. So the fuzzer sends its neighbour, <c>%01</c>, in the path (the query keeps NULs).
    /// </summary>
    private static string WithoutNulInPath(string pathAndQuery)
    {
        var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? pathAndQuery : pathAndQuery[..query];
        return path.Replace("%00", "%01", StringComparison.Ordinal) + (query < 0 ? "" : pathAndQuery[query..]);
    }

    /// <summary>
    /// The request target as an absolute URI on the test server, so that a path such as <c>//evil.example</c> stays a
    /// path (a relative URI would read it as another host). A target no client library can form is sent escaped.
    /// </summary>
    private static Uri Target(string pathAndQuery)
    {
        var target = WithoutNulInPath(pathAndQuery);
        return Uri.TryCreate("http://localhost" + target, UriKind.Absolute, out var uri) && uri.Host == "localhost"
            ? uri
            : new Uri("http://localhost/" + Uri.EscapeDataString(target));
    }

    private static string Form((string Name, string Value)[] fields) =>
        string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Name)}={Uri.EscapeDataString(f.Value)}"));

    private static string Quote(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }
}
