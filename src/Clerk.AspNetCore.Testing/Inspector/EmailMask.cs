using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// E-mail addresses as the inspector shows them: the first character and the domain (<c>b***@example.com</c>), the
/// shape Clerk.AspNetCore's logs use. Whoever can open the inspector can tell the orders apart, but reads no address.
/// </summary>
internal static class EmailMask
{
    public static string Mask(string email)
    {
        var at = email.LastIndexOf('@');
        return at <= 0 ? "***" : string.Concat(email.AsSpan(0, 1), "***", email.AsSpan(at));
    }

    /// <summary>A recorded call as the emulator's HTTP endpoints show it: its <c>email</c> masked.</summary>
    public static ClerkEmulatorCall MaskCall(ClerkEmulatorCall call) => call with { Arguments = MaskArguments(call.Arguments) };

    /// <summary>A sale report as the emulator's HTTP endpoints show it: every e-mail in it masked.</summary>
    public static ClerkEmulatorSaleReport MaskReport(ClerkEmulatorSaleReport report) => report with
    {
        Sale = report.Sale with { Email = report.Sale.Email is { } email ? Mask(email) : null },
        Clicks = [.. report.Clicks.Select(MaskCall)],
        Duplicates = [.. report.Duplicates.Select(MaskCall)],
    };

    /// <summary>The call's arguments with a string <c>email</c> masked; other arguments as they came.</summary>
    public static JsonElement MaskArguments(JsonElement arguments)
    {
        if (arguments.ValueKind != JsonValueKind.Object
            || !arguments.TryGetProperty("email", out var email)
            || email.ValueKind != JsonValueKind.String)
        {
            return arguments;
        }

        var copy = JsonNode.Parse(arguments.GetRawText())!.AsObject();
        copy["email"] = Mask(email.GetString()!);
        using var masked = JsonDocument.Parse(copy.ToJsonString());
        return masked.RootElement.Clone();
    }
}
