using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Testing;

/// <summary>An API answer in Clerk's envelope: <c>{"status":"ok",…}</c> or Clerk's error object.</summary>
internal sealed record EmulatorResponse(int StatusCode, JsonObject Body)
{
    public bool Succeeded => StatusCode == StatusCodes.Status200OK;

    public string? ErrorType => Succeeded ? null : (string?)Body["type"];

    public string? ErrorMessage => Succeeded ? null : (string?)Body["message"];

    public static EmulatorResponse Ok(JsonObject? result = null)
    {
        var body = new JsonObject { ["status"] = "ok" };
        foreach (var (name, value) in result ?? [])
        {
            body[name] = value?.DeepClone();
        }

        return new(StatusCodes.Status200OK, body);
    }

    public static EmulatorResponse Authentication(string message) => Error(StatusCodes.Status401Unauthorized, "AuthenticationError", message);

    public static EmulatorResponse Parsing(string message) => Error(StatusCodes.Status400BadRequest, "ParsingError", message);

    public static EmulatorResponse Logical(string message) => Error(StatusCodes.Status400BadRequest, "LogicalError", message);

    public static EmulatorResponse Error(int statusCode, string type, string message)
    {
        var id = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 12);
        return new(statusCode, new JsonObject
        {
            ["status"] = "error",
            ["type"] = type,
            ["message"] = message,
            ["id"] = id,
            ["moreInfo"] = $"http://my.clerk.io/error/{id}",
        });
    }
}
