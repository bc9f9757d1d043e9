using Microsoft.Net.Http.Headers;

namespace Clerk.AspNetCore.Tests.TestSupport;

/// <summary>Reads the Set-Cookie headers of a response.</summary>
internal static class SetCookies
{
    public static IList<SetCookieHeaderValue> All(HttpResponseMessage response) =>
        response.Headers.TryGetValues(HeaderNames.SetCookie, out var values)
            ? SetCookieHeaderValue.ParseList(values.ToList())
            : [];

    public static IReadOnlyList<string> Raw(HttpResponseMessage response) =>
        response.Headers.TryGetValues(HeaderNames.SetCookie, out var values) ? values.ToList() : [];

    public static SetCookieHeaderValue? Find(HttpResponseMessage response, string name) =>
        All(response).SingleOrDefault(c => c.Name.Equals(name, StringComparison.Ordinal));

    /// <summary>True when the cookie is set to expire now: how ASP.NET Core deletes a cookie.</summary>
    public static bool IsDeletion(SetCookieHeaderValue cookie) =>
        cookie.Value.Length == 0 && cookie.Expires is { } expires && expires < DateTimeOffset.UtcNow;
}
