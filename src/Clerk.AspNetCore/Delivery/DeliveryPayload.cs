using System.Text.Json.Nodes;

namespace Clerk.AspNetCore.Delivery;

/// <summary>
/// A call's body as it may be logged: without the keys, and with the e-mail address masked (j***@example.com), so a
/// sale that could not be delivered can be sent by hand from the log, and the log holds no secret.
/// </summary>
internal static class DeliveryPayload
{
    public static string Describe(byte[] body)
    {
        var node = JsonNode.Parse(body)!.AsObject();
        node.Remove("key");
        node.Remove("private_key");
        if (node["email"] is JsonValue email && email.TryGetValue<string>(out var address))
        {
            node["email"] = Mask(address);
        }

        return node.ToJsonString();
    }

    public static string Mask(string email)
    {
        var at = email.LastIndexOf('@');
        return at <= 0 ? "***" : string.Concat(email.AsSpan(0, 1), "***", email.AsSpan(at));
    }
}
