using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Clerk.AspNetCore.Api;

/// <summary>
/// The bodies of Clerk's API calls, serialized by source generation. Missing optional arguments are left out;
/// <c>visitor</c> is always written, as <c>null</c> for no visitor, because Clerk reads a missing visitor differently.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LogBody))]
[JsonSerializable(typeof(SaleBody))]
[JsonSerializable(typeof(ReturnedBody))]
[JsonSerializable(typeof(BasketBody))]
[JsonSerializable(typeof(ResultsBody))]
[JsonSerializable(typeof(PrivateBody))]
[JsonSerializable(typeof(BeaconClick))]
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;

/// <summary><c>log/click</c>, <c>log/product</c>, <c>log/category</c> and <c>log/email</c>.</summary>
internal sealed class LogBody
{
    [JsonPropertyName("key")]
    public required string Key { get; init; }

    [JsonPropertyName("visitor")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required string? Visitor { get; init; }

    [JsonPropertyName("product")]
    public ClerkProductId? Product { get; init; }

    [JsonPropertyName("category")]
    public string? Category { get; init; }

    [JsonPropertyName("email")]
    public string? Email { get; init; }

    [JsonPropertyName("labels")]
    public IReadOnlyList<string>? Labels { get; init; }

    [JsonPropertyName("api")]
    public string? Api { get; init; }

    [JsonPropertyName("n")]
    public int? Position { get; init; }
}

/// <summary><c>log/sale</c>.</summary>
internal sealed class SaleBody
{
    [JsonPropertyName("key")]
    public required string Key { get; init; }

    [JsonPropertyName("sale")]
    public required string Sale { get; init; }

    [JsonPropertyName("products")]
    public required IReadOnlyList<ClerkSaleLine> Products { get; init; }

    [JsonPropertyName("visitor")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required string? Visitor { get; init; }

    [JsonPropertyName("email")]
    public string? Email { get; init; }

    [JsonPropertyName("customer")]
    public string? Customer { get; init; }
}

/// <summary><c>log/returned</c>, without <c>private_key</c>: it is added when the call is sent (<see cref="ClerkCalls.WithPrivateKey(ClerkCall, ClerkStore)"/>).</summary>
internal sealed class ReturnedBody
{
    [JsonPropertyName("key")]
    public required string Key { get; init; }

    [JsonPropertyName("product")]
    public required ClerkProductId Product { get; init; }

    [JsonPropertyName("order")]
    public required string Order { get; init; }

    [JsonPropertyName("quantity")]
    public required int Quantity { get; init; }
}

/// <summary><c>log/basket/set</c>.</summary>
internal sealed class BasketBody
{
    [JsonPropertyName("key")]
    public required string Key { get; init; }

    [JsonPropertyName("products")]
    public required IReadOnlyList<ClerkProductId> Products { get; init; }

    [JsonPropertyName("email")]
    public required string Email { get; init; }
}

/// <summary><c>recommendations/*</c> and <c>search/*</c>.</summary>
internal sealed class ResultsBody
{
    [JsonPropertyName("key")]
    public required string Key { get; init; }

    [JsonPropertyName("visitor")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public required string? Visitor { get; init; }

    [JsonPropertyName("labels")]
    public required IReadOnlyList<string> Labels { get; init; }

    [JsonPropertyName("limit")]
    public required int Limit { get; init; }

    [JsonPropertyName("offset")]
    public int? Offset { get; init; }

    [JsonPropertyName("query")]
    public string? Query { get; init; }

    [JsonPropertyName("products")]
    public IReadOnlyList<ClerkProductId>? Products { get; init; }

    [JsonPropertyName("category")]
    public string? Category { get; init; }

    [JsonPropertyName("email")]
    public string? Email { get; init; }

    [JsonPropertyName("filter")]
    public string? Filter { get; init; }

    [JsonPropertyName("exclude")]
    public IReadOnlyList<ClerkProductId>? Exclude { get; init; }

    [JsonPropertyName("attributes")]
    public IReadOnlyList<string>? Attributes { get; init; }

    [JsonPropertyName("language")]
    public string? Language { get; init; }
}

/// <summary><c>privacy/info</c>, <c>privacy/forget</c> and <c>client/account/info</c>: calls with the private key.</summary>
internal sealed class PrivateBody
{
    [JsonPropertyName("key")]
    public required string Key { get; init; }

    [JsonPropertyName("private_key")]
    public required string PrivateKey { get; init; }

    [JsonPropertyName("email")]
    public string? Email { get; init; }

    [JsonPropertyName("customer")]
    public string? Customer { get; init; }

    [JsonPropertyName("visitor")]
    public string? Visitor { get; init; }
}

/// <summary>The body the click beacon posts: what the page knows about a click. Never a visitor.</summary>
internal sealed class BeaconClick
{
    [JsonPropertyName("product")]
    public ClerkProductId? Product { get; init; }

    [JsonPropertyName("labels")]
    public string[]? Labels { get; init; }

    [JsonPropertyName("api")]
    public string? Api { get; init; }

    [JsonPropertyName("position")]
    public int? Position { get; init; }
}
