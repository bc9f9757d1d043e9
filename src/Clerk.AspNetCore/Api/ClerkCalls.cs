using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Api;

/// <summary>
/// Builds Clerk's calls from their arguments, after checking them by the rules the tag helpers use
/// (<see cref="ClerkLabels"/>, <see cref="ClerkSaleValidator"/>), and decides the visitor: an explicit one, or the
/// current request's. Shared by <see cref="ClerkClient"/> and the tracker, so a call is checked the same way whether
/// it is sent now or queued. Calls carry the keys of one store: the current request's (or the default store outside
/// a request), or a fixed one (<see cref="ForStore"/>).
/// </summary>
internal sealed partial class ClerkCalls(IOptions<ClerkOptions> options, IClerkVisitorSource visitors, IClerkStoreSource stores)
{
    public const int MaxLimit = 1000;

    public ClerkOptions Options => options.Value;

    /// <summary>The store the next call is for; <see langword="null"/> when Clerk is turned off.</summary>
    public ClerkStore? CurrentStore => stores.Current;

    /// <summary>The same calls, always for <paramref name="store"/>.</summary>
    public ClerkCalls ForStore(ClerkStore store) => new(options, visitors, new FixedStoreSource(store));

    public ClerkCall Click(ClerkProductId product, IReadOnlyList<string> labels, string? api, int? position, ClerkVisitor visitor)
    {
        CheckProduct(product, nameof(product), ClerkEndpoints.LogClick);
        CheckLabels(labels, "The click", nameof(labels));
        if (position is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, "A click's position counts from 0 for the first product Clerk returned.");
        }

        if (api is not null && !IsEndpointName(api))
        {
            throw new ArgumentException(
                $"'{api}' is not a Clerk endpoint. Pass the endpoint that produced the result, such as recommendations/popular or search/search.", nameof(api));
        }

        return Log(ClerkEndpoints.LogClick, new LogBody
        {
            Key = Key(),
            Visitor = Resolve(visitor).Id,
            Product = product,
            Labels = labels,
            Api = api,
            Position = position,
        });
    }

    public ClerkCall Sale(ClerkSale sale)
    {
        ArgumentNullException.ThrowIfNull(sale);
        if (ClerkSaleValidator.Problem(sale.OrderId, sale.Lines) is { } problem)
        {
            throw new ArgumentException(problem, nameof(sale));
        }

        var visitor = Resolve(sale.Visitor);
        var linked = !visitor.Declined;
        var body = new SaleBody
        {
            Key = Key(),
            Sale = sale.OrderId,
            Products = sale.Lines,
            Visitor = visitor.Id,
            Email = SaleContact.Email(Options.CollectEmails, linked, sale.Email),
            Customer = SaleContact.Customer(linked, sale.Customer),
        };
        return new ClerkCall(ClerkEndpoints.LogSale, JsonSerializer.SerializeToUtf8Bytes(body, ApiJsonContext.Default.SaleBody));
    }

    public ClerkCall ProductView(ClerkProductId product, ClerkVisitor visitor)
    {
        CheckProduct(product, nameof(product), ClerkEndpoints.LogProduct);
        return Log(ClerkEndpoints.LogProduct, new LogBody { Key = Key(), Visitor = Resolve(visitor).Id, Product = product });
    }

    public ClerkCall CategoryView(string category, ClerkVisitor visitor)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        return Log(ClerkEndpoints.LogCategory, new LogBody { Key = Key(), Visitor = Resolve(visitor).Id, Category = category });
    }

    public ClerkCall Email(string email, ClerkVisitor visitor)
    {
        CheckEmail(email, nameof(email));
        return Log(ClerkEndpoints.LogEmail, new LogBody { Key = Key(), Visitor = Resolve(visitor).Id, Email = email.Trim() });
    }

    public ClerkCall Return(ClerkProductId product, string orderId, int quantity)
    {
        CheckProduct(product, nameof(product), ClerkEndpoints.LogReturned);
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        if (quantity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(quantity), quantity, "A return's quantity is how many items came back: 1 or more.");
        }

        // Checked now, so a return without the key is refused when it is tracked; added only when it is sent
        // (WithPrivateKey), so the outbox never stores it.
        _ = PrivateKey(ClerkEndpoints.LogReturned);
        var body = new ReturnedBody { Key = Key(), Product = product, Order = orderId, Quantity = quantity };
        return new ClerkCall(ClerkEndpoints.LogReturned, JsonSerializer.SerializeToUtf8Bytes(body, ApiJsonContext.Default.ReturnedBody));
    }

    /// <summary>
    /// The call as it is sent: for the endpoints that need the private key (<see cref="ClerkEndpoints.AddsPrivateKeyWhenSent"/>),
    /// the body with <c>private_key</c> set to the current key (replacing one an older version stored); other calls as
    /// they are. Without a private key configured the body goes as it is, and Clerk refuses it (AuthenticationError).
    /// </summary>
    public ClerkCall WithPrivateKey(ClerkCall call) => WithPrivateKey(call, CurrentStore);

    /// <summary>
    /// <see cref="WithPrivateKey(ClerkCall)"/> with <paramref name="store"/>'s key: a queued message is sent with the
    /// key of the store it was written for, whichever request or worker sends it. Only when the body's own <c>key</c>
    /// is that store's public key: a body of another store (an app's own outbox, a row edited by hand) never carries
    /// this store's private key; it goes as it is, and Clerk refuses it.
    /// </summary>
    public static ClerkCall WithPrivateKey(ClerkCall call, ClerkStore? store)
    {
        if (!ClerkEndpoints.AddsPrivateKeyWhenSent(call.Endpoint) || store?.PrivateKey is not { Length: > 0 } privateKey)
        {
            return call;
        }

        if (JsonNode.Parse(call.Body) is not JsonObject body
            || body["key"] is not JsonValue key || !key.TryGetValue<string>(out var publicKey) || publicKey != store.PublicKey)
        {
            return call;
        }

        body["private_key"] = privateKey;
        return call with { Body = JsonSerializer.SerializeToUtf8Bytes(body, ApiJsonContext.Default.JsonObject) };
    }

    public ClerkCall Basket(IReadOnlyList<ClerkProductId> products, string email)
    {
        ArgumentNullException.ThrowIfNull(products);
        CheckEmail(email, nameof(email));
        for (var i = 0; i < products.Count; i++)
        {
            CheckProduct(products[i], nameof(products), ClerkEndpoints.LogBasketSet);
        }

        CheckOneIdType(products, nameof(products));
        var body = new BasketBody { Key = Key(), Products = products, Email = email.Trim() };
        return new ClerkCall(ClerkEndpoints.LogBasketSet, JsonSerializer.SerializeToUtf8Bytes(body, ApiJsonContext.Default.BasketBody));
    }

    /// <summary>A <c>recommendations/*</c> or <c>search/*</c> call; <paramref name="endpoint"/> comes back in full.</summary>
    public ClerkCall Results(string family, string endpoint, ClerkResultsRequest request, out string fullEndpoint)
    {
        ArgumentNullException.ThrowIfNull(request);
        fullEndpoint = ResultsEndpoint(family, endpoint);
        CheckLabels(request.Labels, $"The {fullEndpoint} request", nameof(request));
        if (request.Limit is < 1 or > MaxLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Limit, $"{nameof(ClerkResultsRequest.Limit)} must be from 1 to {MaxLimit}.");
        }

        if (request.Offset < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Offset, $"{nameof(ClerkResultsRequest.Offset)} must be 0 or more.");
        }

        if (family == "search" && request.Query is null)
        {
            throw new ArgumentException($"{fullEndpoint} needs {nameof(ClerkResultsRequest.Query)}: the text the visitor searched for.", nameof(request));
        }

        foreach (var products in new[] { request.Products, request.Exclude })
        {
            if (products is null)
            {
                continue;
            }

            foreach (var product in products)
            {
                CheckProduct(product, nameof(request), fullEndpoint);
            }

            CheckOneIdType(products, nameof(request));
        }

        var body = new ResultsBody
        {
            Key = Key(),
            Visitor = Resolve(request.Visitor).Id,
            Labels = request.Labels,
            Limit = request.Limit,
            Offset = request.Offset == 0 ? null : request.Offset,
            Query = request.Query,
            Products = request.Products,
            Category = request.Category,
            Email = request.Email,
            Filter = request.Filter,
            Exclude = request.Exclude,
            Attributes = request.Attributes,
            Language = request.Language ?? (family == "search" ? CurrentStore?.Language : null),
        };
        return new ClerkCall(fullEndpoint, JsonSerializer.SerializeToUtf8Bytes(body, ApiJsonContext.Default.ResultsBody));
    }

    public ClerkCall Privacy(string endpoint, ClerkPrivacySubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var body = new PrivateBody
        {
            Key = Key(),
            PrivateKey = PrivateKey(endpoint),
            Email = subject.Email,
            Customer = subject.Customer,
            Visitor = subject.Visitor,
        };
        return new ClerkCall(endpoint, JsonSerializer.SerializeToUtf8Bytes(body, ApiJsonContext.Default.PrivateBody));
    }

    public ClerkCall AccountInfo()
    {
        var body = new PrivateBody { Key = Key(), PrivateKey = PrivateKey(ClerkEndpoints.AccountInfo) };
        return new ClerkCall(ClerkEndpoints.AccountInfo, JsonSerializer.SerializeToUtf8Bytes(body, ApiJsonContext.Default.PrivateBody));
    }

    /// <summary>The visitor a call is made for: an explicit one, or the current request's (none outside a request).</summary>
    public RequestVisitor Resolve(ClerkVisitor visitor) =>
        visitor.IsFromRequest
            ? visitors.Current ?? new RequestVisitor(null, Declined: false)
            : new RequestVisitor(visitor.Id, Declined: false);

    public static bool IsEndpointName(string value) => EndpointName().IsMatch(value);

    private static void CheckLabels(IReadOnlyList<string>? labels, string where, string parameter)
    {
        if (ClerkLabels.Problem(labels, where) is { } problem)
        {
            throw new ArgumentException(problem, parameter);
        }
    }

    private static void CheckProduct(ClerkProductId product, string parameter, string endpoint)
    {
        if (!product.HasValue)
        {
            throw new ArgumentException(
                $"{endpoint} got an empty product ID (default(ClerkProductId)). Pass the parent product's catalog ID, the one your product feed sends to Clerk.", parameter);
        }
    }

    private static void CheckOneIdType(IReadOnlyList<ClerkProductId> products, string parameter)
    {
        for (var i = 1; i < products.Count; i++)
        {
            if (products[i].IsNumber != products[0].IsNumber)
            {
                throw new ArgumentException(
                    $"The product IDs mix integers and strings ({Describe(products[0])} and {Describe(products[i])}). Clerk compares IDs with their JSON type: use the type your product feed uses for every product.", parameter);
            }
        }
    }

    private static void CheckEmail(string email, string parameter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email, parameter);
        if (!email.Contains('@', StringComparison.Ordinal))
        {
            throw new ArgumentException("This is not an e-mail address: it has no '@'.", parameter);
        }
    }

    private static string ResultsEndpoint(string family, string endpoint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        var prefix = family + "/";
        var name = endpoint.StartsWith(prefix, StringComparison.Ordinal) ? endpoint[prefix.Length..] : endpoint;
        if (!IsEndpointName(name))
        {
            var example = family == "search" ? "search or predictive" : "popular, complementary or category/popular";
            throw new ArgumentException($"'{endpoint}' is not a Clerk {family} endpoint. Pass its name, such as {example}.", nameof(endpoint));
        }

        return prefix + name;
    }

    private ClerkCall Log(string endpoint, LogBody body) =>
        new(endpoint, JsonSerializer.SerializeToUtf8Bytes(body, ApiJsonContext.Default.LogBody));

    private string Key() =>
        CurrentStore?.PublicKey is { Length: > 0 } key
            ? key
            : throw new InvalidOperationException("Clerk:PublicKey is not set, so nothing can be sent to Clerk. Set the store's public API key.");

    private string PrivateKey(string endpoint) =>
        CurrentStore is { } store
            ? store.PrivateKey is { Length: > 0 } key
                ? key
                : throw new InvalidOperationException(store.FromShortForm
                    ? $"{endpoint} needs the store's private API key. Set Clerk:PrivateKey (my.clerk.io › Developers › API Keys) in user secrets or the environment, not in appsettings.json."
                    : $"{endpoint} needs the private API key of the Clerk store '{store.Name}'. Set Clerk:Stores:{store.Name}:PrivateKey (my.clerk.io › Developers › API Keys) in user secrets or the environment, not in appsettings.json.")
            : throw new InvalidOperationException($"{endpoint} cannot be called: Clerk:PublicKey is not set.");

    private static string Describe(ClerkProductId id) => id.IsNumber ? id.Number.ToString(CultureInfo.InvariantCulture) : $"\"{id}\"";


    [GeneratedRegex("^[a-z_]{1,40}(/[a-z_]{1,40}){0,2}$")]
    private static partial Regex EndpointName();
}
