using System.Text.Json;

namespace Clerk.AspNetCore.Testing.Tests.Api;

/// <summary>A call's arguments from JSON text, so unit tests of the API's parts read like the requests they stand for.</summary>
internal static class Arguments
{
    public static JsonElement Of(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static EmulatorCall Call(string json) => new(Of(json));

    /// <summary>Asserts Clerk's error envelope: status, type, a message, and an error ID that <c>moreInfo</c> ends with.</summary>
    public static void AssertError(EmulatorResponse? response, int statusCode, string type)
    {
        Assert.NotNull(response);
        Assert.Equal(statusCode, response.StatusCode);
        Assert.Equal("error", (string?)response.Body["status"]);
        Assert.Equal(type, (string?)response.Body["type"]);
        Assert.False(string.IsNullOrEmpty((string?)response.Body["message"]));
        var id = (string?)response.Body["id"];
        Assert.False(string.IsNullOrEmpty(id));
        Assert.EndsWith(id!, (string?)response.Body["moreInfo"], StringComparison.Ordinal);
    }
}
