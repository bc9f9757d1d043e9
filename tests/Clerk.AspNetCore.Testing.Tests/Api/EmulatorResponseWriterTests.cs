using System.Text;
using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Testing.Tests.Api;

public sealed class EmulatorResponseWriterTests
{
    [Fact]
    public async Task WriteAsync_WithCallbackAndError_Answers200ScriptWithTheErrorEnvelope()
    {
        var (context, body) = NewContext();

        await EmulatorResponseWriter.WriteAsync(context, EmulatorResponse.Authentication("Invalid API key"), "Clerk._jsonp_1");

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal("application/javascript; charset=utf-8", context.Response.ContentType);
        Assert.StartsWith("/**/Clerk._jsonp_1({\"status\":\"error\",\"type\":\"AuthenticationError\"", Text(body), StringComparison.Ordinal);
        Assert.EndsWith("});", Text(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_WithoutCallback_AnswersJsonWithTheEnvelopeStatus()
    {
        var (context, body) = NewContext();

        await EmulatorResponseWriter.WriteAsync(context, EmulatorResponse.Authentication("Invalid API key"), string.Empty);

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", context.Response.ContentType);
        Assert.StartsWith("{\"status\":\"error\"", Text(body), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("cb")]
    public async Task WriteAsync_Always_SetsNoSniff(string callback)
    {
        var (context, _) = NewContext();

        await EmulatorResponseWriter.WriteAsync(context, EmulatorResponse.Ok(), callback);

        Assert.Equal("nosniff", context.Response.Headers.XContentTypeOptions.ToString());
    }

    [Fact]
    public async Task WriteAsync_ScriptEndingTextInJsonp_IsEscaped()
    {
        var (context, body) = NewContext();

        await EmulatorResponseWriter.WriteAsync(context, EmulatorResponse.Parsing("</script><script>alert(1)</script>"), "cb");

        Assert.DoesNotContain("</script>", Text(body), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script>", Text(body), StringComparison.OrdinalIgnoreCase);
    }

    private static (DefaultHttpContext Context, MemoryStream Body) NewContext()
    {
        var body = new MemoryStream();
        var context = new DefaultHttpContext();
        context.Response.Body = body;
        return (context, body);
    }

    private static string Text(MemoryStream body) => Encoding.UTF8.GetString(body.ToArray());
}
