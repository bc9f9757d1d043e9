using System.Text.Json.Nodes;
using Clerk.AspNetCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Clerk.AspNetCore.Delivery;

/// <summary>
/// A call's body as it may be logged: without the keys, and with the e-mail address masked (j***@example.com), so a
/// sale that could not be delivered can be sent by hand from the log, and the log holds no secret.
/// </summary>
internal static class DeliveryPayload
{
    public static string Describe(string body) => Describe(JsonNode.Parse(body)!.AsObject());

    /// <summary>
    /// Logs the payload of a sale or return that was not delivered (event 42) at Debug only: it holds the customer,
    /// the e-mail (masked) and the order lines, which do not belong in the error logs every store keeps. Built only
    /// when Debug is on.
    /// </summary>
    public static void UndeliveredPayloadOf(this ILogger logger, ClerkOutboxMessage message)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            logger.UndeliveredPayload(message.Kind, message.OrderId, message.Endpoint, Describe(message.Body));
        }
    }

    /// <summary>The lines of a sale's <c>products</c>; a return, which has one <c>product</c>, is one line.</summary>
    public static int LineCount(string body) =>
        JsonNode.Parse(body)?["products"] is JsonArray products ? products.Count : 1;

    public static string Mask(string email)
    {
        var at = email.LastIndexOf('@');
        return at <= 0 ? "***" : string.Concat(email.AsSpan(0, 1), "***", email.AsSpan(at));
    }

    private static string Describe(JsonObject node)
    {
        node.Remove("key");
        node.Remove("private_key");
        if (node["email"] is JsonValue email && email.TryGetValue<string>(out var address))
        {
            node["email"] = Mask(address);
        }

        return node.ToJsonString();
    }
}
