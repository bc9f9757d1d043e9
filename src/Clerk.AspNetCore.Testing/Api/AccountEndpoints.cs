using System.Text.Json.Nodes;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// The endpoints behind the private key: the store's account and the privacy calls (what Clerk holds about a
/// person, and forgetting a visitor). Grouped because they all answer about stored data, never log any.
/// </summary>
internal sealed class AccountEndpoints(EmulatorCallChecks checks, ClerkEmulatorState state)
{
    public IEnumerable<KeyValuePair<string, Func<EmulatorCall, EmulatorResponse>>> Routes =>
    [
        new("client/account/info", c => checks.Private(c) ?? EmulatorResponse.Ok(new JsonObject { ["name"] = "Clerk emulator store" })),
        new("privacy/info", PrivacyInfo),
        new("privacy/forget", PrivacyForget),
    ];

    private EmulatorResponse PrivacyInfo(EmulatorCall call)
    {
        if ((checks.Private(call) ?? EmulatorCallChecks.OneOf(call, "email", "customer", "visitor")) is { } invalid)
        {
            return invalid;
        }

        var visitor = EmulatorJson.Argument(call.Arguments, "visitor");
        var email = EmulatorJson.Argument(call.Arguments, "email");
        var customer = EmulatorJson.Argument(call.Arguments, "customer");
        var orders = new JsonArray(state.GetSales()
            .Where(s => (visitor is not null && s.Visitor == visitor) || (email is not null && s.Email == email) || (customer is not null && s.Customer == customer))
            .Select(s => (JsonNode)JsonValue.Create(s.SaleId))
            .ToArray());
        var activity = new JsonArray(visitor is null
            ? []
            : state.GetCalls(visitor: visitor).Select(c => (JsonNode)new JsonObject
            {
                ["visitor"] = c.Visitor,
                ["type"] = c.Endpoint,
                ["time"] = c.Time.ToUnixTimeSeconds(),
            }).ToArray());
        return EmulatorResponse.Ok(new JsonObject { ["orders"] = orders, ["activity"] = activity });
    }

    private EmulatorResponse PrivacyForget(EmulatorCall call)
    {
        if ((checks.Private(call) ?? EmulatorCallChecks.OneOf(call, "email", "customer", "visitor")) is { } invalid)
        {
            return invalid;
        }

        if (EmulatorJson.Argument(call.Arguments, "visitor") is { } visitor)
        {
            state.Forget(visitor);
        }

        return EmulatorResponse.Ok();
    }
}
