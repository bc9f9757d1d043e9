using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Clerk.AspNetCore.Testing;

/// <summary>Clerk's REST API v2 as far as the emulator implements it: checks, answers and records each call.</summary>
internal sealed partial class EmulatorApi
{
    private const string RecommendationsPrefix = "recommendations/";

    private readonly ClerkEmulatorState _state;
    private readonly ClerkEmulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Func<Call, EmulatorResponse>> _endpoints;

    public EmulatorApi(ClerkEmulatorState state, IOptions<ClerkEmulatorOptions> options, TimeProvider time)
    {
        _state = state;
        _options = options.Value;
        _time = time;
        _endpoints = new(StringComparer.Ordinal)
        {
            ["log/click"] = c => Public(c, "product") ?? Ok(),
            ["log/sale"] = LogSale,
            ["log/product"] = c => Public(c, "product") ?? Ok(),
            ["log/category"] = c => Public(c, "category") ?? Ok(),
            ["log/email"] = c => Public(c, "email") ?? Ok(),
            ["log/cart/add"] = LogCart,
            ["log/cart/remove"] = LogCart,
            ["log/cart/set"] = LogCart,
            ["log/basket/set"] = c => Public(c, "products") ?? ProductList(c, "products") ?? Ok(),
            ["log/returned"] = c => Private(c, "product", "order", "quantity") ?? Ok(),
            ["client/account/info"] = c => Private(c) ?? EmulatorResponse.Ok(new JsonObject { ["name"] = "Clerk emulator store" }),
            ["privacy/info"] = PrivacyInfo,
            ["privacy/forget"] = PrivacyForget,
        };
    }

    public async Task HandleAsync(HttpContext context, string endpoint)
    {
        var request = context.Request;
        var callback = HttpMethods.IsGet(request.Method) ? request.Query["callback"].ToString() : string.Empty;

        var (arguments, error) = await ArgumentReader.ReadAsync(request, _options).ConfigureAwait(false);
        var args = arguments is null ? EmptyObject() : ToElement(arguments);
        var call = new Call(args);

        EmulatorResponse response;
        var fault = _state.TakeFault(endpoint);
        if (fault is { Kind: ClerkEmulatorFaultKind.DropConnection })
        {
            Record(call, endpoint, request.Method, args, EmulatorResponse.Error(0, "InternalError", "Injected fault: connection dropped."));
            context.Abort();
            return;
        }

        if (fault is { Kind: ClerkEmulatorFaultKind.Delay })
        {
            await Task.Delay(fault.Delay ?? TimeSpan.FromSeconds(30), _time, context.RequestAborted).ConfigureAwait(false);
        }

        if (fault is { Kind: ClerkEmulatorFaultKind.InternalError })
        {
            response = EmulatorResponse.Error(StatusCodes.Status500InternalServerError, "InternalError", "Injected fault: internal error.");
        }
        else if (fault is { Kind: ClerkEmulatorFaultKind.TooManyRequests })
        {
            var retryAfter = (int)Math.Ceiling((fault.RetryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds);
            context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            response = EmulatorResponse.Error(StatusCodes.Status429TooManyRequests, "InternalError", $"Injected fault: too many requests; retry after {retryAfter} s.");
        }
        else if (error is not null)
        {
            response = error;
        }
        else if (callback.Length > 0 && !JsonpCallback().IsMatch(callback))
        {
            response = EmulatorResponse.Parsing("Invalid Argument callback: it must be a JavaScript identifier such as 'Clerk._jsonp_123'.");
            callback = string.Empty;
        }
        else if (endpoint.StartsWith(RecommendationsPrefix, StringComparison.Ordinal) && endpoint.Length > RecommendationsPrefix.Length)
        {
            response = Recommendations(call, endpoint[RecommendationsPrefix.Length..]);
        }
        else if (endpoint is "search/search" or "search/predictive")
        {
            response = Search(call, predictive: endpoint == "search/predictive");
        }
        else if (!_endpoints.TryGetValue(endpoint, out var handle))
        {
            response = EmulatorResponse.Error(StatusCodes.Status404NotFound, "ParsingError", $"Unknown endpoint: {endpoint}");
        }
        else
        {
            response = handle(call);
        }

        Record(call, endpoint, request.Method, args, response);
        await WriteAsync(context, response, callback).ConfigureAwait(false);
    }

    private void Record(Call call, string endpoint, string method, JsonElement args, EmulatorResponse response) =>
        _state.Record(
            new ClerkEmulatorCall(
                call.Sequence ?? _state.NextSequence(),
                call.Time ?? _time.GetUtcNow(),
                endpoint,
                method,
                Redacted(args),
                VisitorOf(args),
                LabelsOf(args),
                response.Succeeded,
                response.ErrorType,
                response.ErrorMessage),
            call.IsDuplicateSale);

    private EmulatorResponse LogSale(Call call)
    {
        if ((Public(call, "sale", "products") ?? ProductList(call, "products")) is { } invalid)
        {
            return invalid;
        }

        var args = call.Arguments;
        var lines = new List<ClerkEmulatorSaleLine>();
        foreach (var item in args.GetProperty("products").EnumerateArray())
        {
            var id = item.ValueKind == JsonValueKind.Object ? item.GetProperty("id") : item;
            decimal? price = null;
            var quantity = 1;
            if (item.ValueKind == JsonValueKind.Object)
            {
                if (item.TryGetProperty("price", out var p))
                {
                    if (!EmulatorJson.TryGetDecimal(p, out var unit) || unit < 0)
                    {
                        return EmulatorResponse.Parsing("Invalid Syntax In Argument: products (price must be a non-negative number)");
                    }

                    price = unit;
                }

                if (item.TryGetProperty("quantity", out var q) && (!EmulatorJson.TryGetInt(q, out quantity) || quantity < 1))
                {
                    return EmulatorResponse.Parsing("Invalid Syntax In Argument: products (quantity must be an integer of at least 1)");
                }
            }

            lines.Add(new ClerkEmulatorSaleLine(EmulatorJson.ScalarText(id)!, id.ValueKind == JsonValueKind.Number, price, quantity));
        }

        var saleId = EmulatorJson.Argument(args, "sale");
        if (string.IsNullOrEmpty(saleId))
        {
            return EmulatorResponse.Parsing("Invalid Argument sale: it must be a non-empty order ID.");
        }

        call.Stamp(_state.NextSequence(), _time.GetUtcNow());
        var sale = new ClerkEmulatorSale(
            saleId, call.Time!.Value, VisitorOf(args), EmulatorJson.Argument(args, "email"), EmulatorJson.Argument(args, "customer"), lines, call.Sequence!.Value);
        call.IsDuplicateSale = !_state.TryStoreSale(sale);
        return Ok();
    }

    private EmulatorResponse Recommendations(Call call, string kind)
    {
        string[] required = kind switch
        {
            "complementary" or "substituting" or "most_sold_with" => ["limit", "products"],
            _ when kind.StartsWith("category/", StringComparison.Ordinal) => ["limit", "category"],
            _ when kind.StartsWith("visitor/", StringComparison.Ordinal) => ["limit", "visitor"],
            _ when kind.StartsWith("customer/", StringComparison.Ordinal) => ["limit", "email"],
            _ => ["limit"],
        };

        if ((Public(call, required) ?? (required.Contains("products") ? ProductList(call, "products") : null)) is { } invalid)
        {
            return invalid;
        }

        if (Paging(call, out var paging) is { } invalidPaging)
        {
            return invalidPaging;
        }

        if (kind.StartsWith("visitor/", StringComparison.Ordinal) && VisitorOf(call.Arguments) is null or "auto")
        {
            return EmulatorResponse.Logical($"recommendations/{kind} needs the visitor's own ID; 'auto' and null have no history.");
        }

        var ranked = Results().Recommend(kind, call.Arguments).Where(p => !paging.Exclude.Contains(p.Id)).ToList();
        return Page(ranked, paging, new JsonObject { ["count"] = ranked.Count });
    }

    private EmulatorResponse Search(Call call, bool predictive)
    {
        if (Public(call, "limit") is { } invalid)
        {
            return invalid;
        }

        if (Paging(call, out var paging) is { } invalidPaging)
        {
            return invalidPaging;
        }

        if (!call.Arguments.TryGetProperty("query", out var queryValue) || queryValue.ValueKind != JsonValueKind.String)
        {
            return EmulatorResponse.Parsing("Missing Argument query");
        }

        var query = queryValue.GetString()!;
        var matches = Results().Search(query).Where(p => !paging.Exclude.Contains(p.Id)).ToList();
        if (predictive)
        {
            paging = paging with { Limit = Math.Min(paging.Limit, EmulatorResults.PredictiveLimit) };
        }

        var extra = new JsonObject { ["hits"] = matches.Count, ["no_exact_match"] = matches.Count == 0 };
        if (predictive)
        {
            extra["query"] = query;
        }
        else
        {
            extra["count"] = matches.Count;
            extra["facets"] = new JsonObject();
        }

        return Page(matches, paging, extra);
    }

    /// <summary><c>limit</c> (required, 1–1000), <c>offset</c>, <c>exclude</c> and <c>attributes</c>.</summary>
    private static EmulatorResponse? Paging(Call call, out PageRequest paging)
    {
        var args = call.Arguments;
        paging = new PageRequest(0, 0, [], []);
        if (!EmulatorJson.TryGetInt(args.GetProperty("limit"), out var limit) || limit is < 1 or > 1000)
        {
            return EmulatorResponse.Parsing("Invalid Argument limit: it must be an integer from 1 to 1000.");
        }

        var offset = 0;
        if (args.TryGetProperty("offset", out var offsetValue) && (!EmulatorJson.TryGetInt(offsetValue, out offset) || offset < 0))
        {
            return EmulatorResponse.Parsing("Invalid Argument offset: it must be an integer of at least 0.");
        }

        var exclude = new HashSet<string>(StringComparer.Ordinal);
        if (args.TryGetProperty("exclude", out var excludeValue))
        {
            if (excludeValue.ValueKind != JsonValueKind.Array)
            {
                return EmulatorResponse.Parsing("Invalid Syntax In Argument: exclude (expected a JSON list of product IDs)");
            }

            exclude.UnionWith(excludeValue.EnumerateArray().Select(EmulatorJson.ScalarText).OfType<string>());
        }

        var attributes = new List<string>();
        if (args.TryGetProperty("attributes", out var attributesValue))
        {
            if (attributesValue.ValueKind != JsonValueKind.Array || attributesValue.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String))
            {
                return EmulatorResponse.Parsing("Invalid Syntax In Argument: attributes (expected a JSON list of strings)");
            }

            attributes.AddRange(attributesValue.EnumerateArray().Select(a => a.GetString()!));
        }

        paging = new PageRequest(limit, offset, exclude, attributes);
        return null;
    }

    private static EmulatorResponse Page(List<ClerkEmulatorProduct> ranked, PageRequest paging, JsonObject extra)
    {
        var page = ranked.Skip(paging.Offset).Take(paging.Limit).ToList();
        extra["result"] = EmulatorResults.Ids(page);
        if (paging.Attributes.Count > 0)
        {
            extra["product_data"] = EmulatorResults.ProductData(page, paging.Attributes);
        }

        return EmulatorResponse.Ok(extra);
    }

    private EmulatorResults Results() => new(_state, _options.Catalog.ToList());

    private EmulatorResponse LogCart(Call call) => Public(call, "products") ?? Ok();

    private EmulatorResponse PrivacyInfo(Call call)
    {
        if ((Private(call) ?? OneOf(call, "email", "customer", "visitor")) is { } invalid)
        {
            return invalid;
        }

        var visitor = EmulatorJson.Argument(call.Arguments, "visitor");
        var email = EmulatorJson.Argument(call.Arguments, "email");
        var customer = EmulatorJson.Argument(call.Arguments, "customer");
        var orders = new JsonArray(_state.GetSales()
            .Where(s => (visitor is not null && s.Visitor == visitor) || (email is not null && s.Email == email) || (customer is not null && s.Customer == customer))
            .Select(s => (JsonNode)JsonValue.Create(s.SaleId))
            .ToArray());
        var activity = new JsonArray(visitor is null
            ? []
            : _state.GetCalls(visitor: visitor).Select(c => (JsonNode)new JsonObject
            {
                ["visitor"] = c.Visitor,
                ["type"] = c.Endpoint,
                ["time"] = c.Time.ToUnixTimeSeconds(),
            }).ToArray());
        return EmulatorResponse.Ok(new JsonObject { ["orders"] = orders, ["activity"] = activity });
    }

    private EmulatorResponse PrivacyForget(Call call)
    {
        if ((Private(call) ?? OneOf(call, "email", "customer", "visitor")) is { } invalid)
        {
            return invalid;
        }

        if (EmulatorJson.Argument(call.Arguments, "visitor") is { } visitor)
        {
            _state.Forget(visitor);
        }

        return Ok();
    }

    // --- Checks shared by the endpoints ------------------------------------------------------------------------

    /// <summary>The public key, the visitor's format, the labels' shape, then the required arguments.</summary>
    private EmulatorResponse? Public(Call call, params string[] required)
    {
        var args = call.Arguments;
        var key = EmulatorJson.Argument(args, "key");
        if (key != _options.PublicKey)
        {
            return EmulatorResponse.Authentication(
                key is null ? "Missing Argument key: every call needs the store's public API key." : "Invalid API key: no store has this public key.");
        }

        if (args.TryGetProperty("visitor", out var visitor) && !IsValidVisitor(visitor))
        {
            return EmulatorResponse.Parsing("Invalid Argument visitor: a visitor ID is up to 32 letters and digits, 'auto', or null.");
        }

        if (args.TryGetProperty("labels", out var labels)
            && (labels.ValueKind != JsonValueKind.Array || labels.EnumerateArray().Any(l => l.ValueKind != JsonValueKind.String)))
        {
            return EmulatorResponse.Parsing("Invalid Syntax In Argument: labels (expected a JSON list of strings such as [\"Home - Trending\"]).");
        }

        foreach (var name in required)
        {
            if (!args.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null
                || (value.ValueKind == JsonValueKind.String && value.GetString()!.Length == 0))
            {
                return EmulatorResponse.Parsing($"Missing Argument {name}");
            }
        }

        return null;
    }

    private EmulatorResponse? Private(Call call, params string[] required)
    {
        if (Public(call, required) is { } invalid)
        {
            return invalid;
        }

        var privateKey = EmulatorJson.Argument(call.Arguments, "private_key");
        return privateKey == _options.PrivateKey
            ? null
            : EmulatorResponse.Authentication(privateKey is null
                ? "Missing Argument private_key: this call needs the store's private API key."
                : "Invalid private API key for this store.");
    }

    private static EmulatorResponse? OneOf(Call call, params string[] names) =>
        names.Any(n => EmulatorJson.Argument(call.Arguments, n) is not null)
            ? null
            : EmulatorResponse.Parsing($"Missing Argument: one of {string.Join(", ", names)} is required.");

    /// <summary>
    /// A non-empty JSON list of product IDs, or of objects with an <c>id</c>, all of the catalog's ID type. A string
    /// here (a double-encoded list) or IDs of the other type give Clerk's "Invalid Syntax In Argument: products".
    /// </summary>
    private EmulatorResponse? ProductList(Call call, string name)
    {
        var invalid = EmulatorResponse.Parsing($"Invalid Syntax In Argument: {name}");
        var list = call.Arguments.GetProperty(name);
        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            return invalid;
        }

        var catalogKind = _options.Catalog.Count > 0 ? _options.Catalog[0].IdKind : (JsonValueKind?)null;
        JsonValueKind? seen = null;
        foreach (var item in list.EnumerateArray())
        {
            var id = item.ValueKind == JsonValueKind.Object
                ? (item.TryGetProperty("id", out var inner) ? inner : default)
                : item;
            if (id.ValueKind is not (JsonValueKind.Number or JsonValueKind.String)
                || (seen is not null && id.ValueKind != seen)
                || (catalogKind is not null && id.ValueKind != catalogKind))
            {
                return invalid;
            }

            seen = id.ValueKind;
        }

        return null;
    }

    private static bool IsValidVisitor(JsonElement visitor)
    {
        if (visitor.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        var text = visitor.ValueKind == JsonValueKind.String ? visitor.GetString()! : null;
        return text is "auto" || (text is { Length: > 0 and <= 32 } && text.All(char.IsAsciiLetterOrDigit));
    }

    // --- Plumbing ---------------------------------------------------------------------------------------------------

    private static EmulatorResponse Ok() => EmulatorResponse.Ok();


    private static string? VisitorOf(JsonElement args) =>
        args.TryGetProperty("visitor", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static List<string> LabelsOf(JsonElement args) =>
        args.TryGetProperty("labels", out var labels) && labels.ValueKind == JsonValueKind.Array
            ? labels.EnumerateArray().Where(l => l.ValueKind == JsonValueKind.String).Select(l => l.GetString()!).ToList()
            : [];

    private static JsonElement ToElement(JsonObject node)
    {
        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }

    private static JsonElement EmptyObject() => ToElement([]);

    /// <summary>The arguments as recorded: the private key never reaches the log or the inspector.</summary>
    private static JsonElement Redacted(JsonElement args)
    {
        if (!args.TryGetProperty("private_key", out _))
        {
            return args;
        }

        var copy = JsonNode.Parse(args.GetRawText())!.AsObject();
        copy["private_key"] = "(redacted)";
        return ToElement(copy);
    }

    private static async Task WriteAsync(HttpContext context, EmulatorResponse response, string callback)
    {
        var json = response.Body.ToJsonString();
        context.Response.Headers.XContentTypeOptions = "nosniff";
        if (callback.Length > 0)
        {
            // JSONP, as Clerk.js calls the API. Always 200: a browser runs no script it got with an error status, so
            // errors travel in the envelope. The JSON's default encoder escapes <, > and &: it cannot end a script.
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/javascript; charset=utf-8";
            await context.Response.WriteAsync($"/**/{callback}({json});", Encoding.UTF8).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = response.StatusCode;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(json, Encoding.UTF8).ConfigureAwait(false);
    }

    [GeneratedRegex(@"^[A-Za-z_$][A-Za-z0-9_$]{0,63}(\.[A-Za-z_$][A-Za-z0-9_$]{0,63}){0,3}$")]
    private static partial Regex JsonpCallback();

    private sealed record PageRequest(int Limit, int Offset, HashSet<string> Exclude, List<string> Attributes);

    /// <summary>One call while it is handled.</summary>
    private sealed class Call(JsonElement arguments)
    {
        public JsonElement Arguments { get; } = arguments;

        public long? Sequence { get; private set; }

        public DateTimeOffset? Time { get; private set; }

        public bool IsDuplicateSale { get; set; }

        /// <summary>A sale takes its place in the order of calls when it is stored, so attribution can compare.</summary>
        public void Stamp(long sequence, DateTimeOffset time)
        {
            Sequence = sequence;
            Time = time;
        }
    }
}
