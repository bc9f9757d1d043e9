namespace Clerk.AspNetCore.Testing;

/// <summary>
/// Maps an endpoint path (<c>log/sale</c>, <c>recommendations/popular</c>, …) to the handler of its API area. The
/// one list of what the emulator implements: a path it does not know answers Clerk's 404.
/// </summary>
internal sealed class EmulatorRouter
{
    private readonly ResultEndpoints _results;
    private readonly Dictionary<string, Func<EmulatorCall, EmulatorResponse>> _exact;

    public EmulatorRouter(LoggingEndpoints logging, ResultEndpoints results, AccountEndpoints account, CatalogEndpoints catalog)
    {
        _results = results;
        _exact = new(logging.Routes.Concat(results.Routes).Concat(account.Routes).Concat(catalog.Routes), StringComparer.Ordinal);
    }

    /// <summary>The handler of <paramref name="endpoint"/>, or <c>null</c> when the emulator has no such endpoint.</summary>
    public Func<EmulatorCall, EmulatorResponse>? Find(string endpoint)
    {
        // Recommendations are a family of paths (recommendations/category/popular, …/visitor/history, …): one
        // handler takes the rest of the path; the bare prefix is no endpoint.
        if (endpoint.StartsWith(ResultEndpoints.RecommendationsPrefix, StringComparison.Ordinal)
            && endpoint.Length > ResultEndpoints.RecommendationsPrefix.Length)
        {
            var kind = endpoint[ResultEndpoints.RecommendationsPrefix.Length..];
            return call => _results.Recommendations(call, kind);
        }

        return _exact.GetValueOrDefault(endpoint);
    }
}
