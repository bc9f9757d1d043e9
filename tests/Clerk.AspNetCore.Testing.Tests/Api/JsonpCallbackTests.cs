using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Testing.Tests.Api;

public sealed class JsonpCallbackTests
{
    [Theory]
    [InlineData("Clerk._jsonp_123")]
    [InlineData("cb")]
    [InlineData("$")]
    [InlineData("_private")]
    [InlineData("a.b.c.d")]
    [InlineData("jQuery$1.cb")]
    public void IsValid_DottedJavaScriptIdentifier_IsAccepted(string callback) =>
        Assert.True(JsonpCallback.IsValid(callback));

    [Theory]
    [InlineData("alert(1)//")]
    [InlineData("x;alert")]
    [InlineData("<script>")]
    [InlineData("</script><script>alert(1)</script>")]
    [InlineData("a b")]
    [InlineData("a-b")]
    [InlineData("a['b']")]
    [InlineData("a..b")]
    [InlineData(".a")]
    [InlineData("a.")]
    [InlineData("1cb")]
    [InlineData("cb\u2028")]
    [InlineData("caf\u00e9")]
    [InlineData("a.b.c.d.e")]
    [InlineData("")]
    public void IsValid_HostileOrMalformedName_IsRejected(string callback) =>
        Assert.False(JsonpCallback.IsValid(callback));

    [Fact]
    public void IsValid_SegmentOf64Characters_IsAccepted() =>
        Assert.True(JsonpCallback.IsValid("Clerk." + new string('a', 64)));

    [Fact]
    public void IsValid_SegmentOf65Characters_IsRejected() =>
        Assert.False(JsonpCallback.IsValid("Clerk." + new string('a', 65)));

    [Fact]
    public void Of_Get_ReadsTheCallbackFromTheQuery()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        context.Request.QueryString = new QueryString("?callback=Clerk._jsonp_7&key=k");

        Assert.Equal("Clerk._jsonp_7", JsonpCallback.Of(context.Request));
    }

    [Fact]
    public void Of_Post_IsEmptySoThePostAnswersJson()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.QueryString = new QueryString("?callback=Clerk._jsonp_7");

        Assert.Equal(string.Empty, JsonpCallback.Of(context.Request));
    }
}
