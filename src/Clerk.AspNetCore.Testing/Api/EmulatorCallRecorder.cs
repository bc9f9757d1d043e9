using System.Text.Json;
using System.Text.Json.Nodes;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// Records each handled call, answered or failed, for the inspector and tests. The one place that decides what a
/// recorded call holds, so the private key is redacted for every endpoint.
/// </summary>
internal sealed class EmulatorCallRecorder(ClerkEmulatorState state, TimeProvider time)
{
    public void Record(EmulatorCall call, string endpoint, string method, EmulatorResponse response) =>
        state.Record(
            new ClerkEmulatorCall(
                call.Sequence ?? state.NextSequence(),
                call.Time ?? time.GetUtcNow(),
                endpoint,
                method,
                Redacted(call.Arguments),
                call.Visitor,
                call.Labels,
                response.Succeeded,
                response.ErrorType,
                response.ErrorMessage),
            call.IsDuplicateSale);

    /// <summary>The arguments as recorded: the private key never reaches the log or the inspector.</summary>
    private static JsonElement Redacted(JsonElement args)
    {
        if (!args.TryGetProperty("private_key", out _))
        {
            return args;
        }

        var copy = JsonNode.Parse(args.GetRawText())!.AsObject();
        copy["private_key"] = "(redacted)";
        return EmulatorJson.ToElement(copy);
    }
}
