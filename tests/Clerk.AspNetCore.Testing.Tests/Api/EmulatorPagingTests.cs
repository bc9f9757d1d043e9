using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Testing.Tests.Api;

public sealed class EmulatorPagingTests
{
    private static readonly List<ClerkEmulatorProduct> Ranking =
        [.. Enumerable.Range(1, 6).Select(i => new ClerkEmulatorProduct(i, $"Product {i}", i * 10m) { Brand = $"Brand {i}" })];

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("\"ten\"")]
    [InlineData("null")]
    [InlineData("[10]")]
    [InlineData("2147483648")]
    public void Read_LimitOutsideOneToThousand_AnswersParsingErrorNamingLimit(string limit)
    {
        var invalid = EmulatorPaging.Read(Arguments.Of($$"""{"limit":{{limit}}}"""), out _);

        Arguments.AssertError(invalid, StatusCodes.Status400BadRequest, "ParsingError");
        Assert.StartsWith("Invalid Argument limit", (string?)invalid!.Body["message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1", 1)]
    [InlineData("1000", 1000)]
    [InlineData("\"25\"", 25)]
    public void Read_LimitAtOrInsideBounds_IsAccepted(string limit, int expected)
    {
        var invalid = EmulatorPaging.Read(Arguments.Of($$"""{"limit":{{limit}}}"""), out var paging);

        Assert.Null(invalid);
        Assert.Equal(expected, paging.Limit);
        Assert.Equal(0, paging.Offset);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("\"x\"")]
    [InlineData("null")]
    public void Read_OffsetNotANonNegativeInteger_AnswersParsingErrorNamingOffset(string offset)
    {
        var invalid = EmulatorPaging.Read(Arguments.Of($$"""{"limit":5,"offset":{{offset}}}"""), out _);

        Arguments.AssertError(invalid, StatusCodes.Status400BadRequest, "ParsingError");
        Assert.StartsWith("Invalid Argument offset", (string?)invalid!.Body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ExcludeNotAList_AnswersParsingError()
    {
        var invalid = EmulatorPaging.Read(Arguments.Of("""{"limit":5,"exclude":"1,2"}"""), out _);

        Assert.StartsWith("Invalid Syntax In Argument: exclude", (string?)invalid?.Body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public void Read_AttributesNotAllStrings_AnswersParsingError()
    {
        var invalid = EmulatorPaging.Read(Arguments.Of("""{"limit":5,"attributes":["name",1]}"""), out _);

        Assert.StartsWith("Invalid Syntax In Argument: attributes", (string?)invalid?.Body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutExcluded_NumericAndTextIds_RemovesBoth()
    {
        EmulatorPaging.Read(Arguments.Of("""{"limit":5,"exclude":[2,"4"]}"""), out var paging);

        var kept = paging.WithoutExcluded(Ranking);

        Assert.Equal(["1", "3", "5", "6"], kept.Select(p => p.Id));
    }

    [Fact]
    public void Answer_OffsetAndLimit_CutsThatPageOfTheRanking()
    {
        EmulatorPaging.Read(Arguments.Of("""{"limit":3,"offset":2}"""), out var paging);

        var body = paging.Answer(Ranking, []).Body;

        Assert.Equal("[3,4,5]", body["result"]!.ToJsonString());
    }

    [Fact]
    public void Answer_OffsetBeyondTheRanking_AnswersAnEmptyResult()
    {
        EmulatorPaging.Read(Arguments.Of("""{"limit":3,"offset":6}"""), out var paging);

        var response = paging.Answer(Ranking, new JsonObject { ["count"] = Ranking.Count });

        Assert.True(response.Succeeded);
        Assert.Equal("[]", response.Body["result"]!.ToJsonString());
        Assert.Equal(6, (int?)response.Body["count"]);
    }

    [Fact]
    public void Answer_WithoutAttributes_LeavesOutProductData()
    {
        EmulatorPaging.Read(Arguments.Of("""{"limit":2}"""), out var paging);

        Assert.False(paging.Answer(Ranking, []).Body.ContainsKey("product_data"));
    }

    [Fact]
    public void Answer_WithAttributes_AddsProductDataOfThePageOnly()
    {
        EmulatorPaging.Read(Arguments.Of("""{"limit":2,"offset":1,"attributes":["id","brand"]}"""), out var paging);

        var body = paging.Answer(Ranking, []).Body;

        Assert.Equal("""[{"id":2,"brand":"Brand 2"},{"id":3,"brand":"Brand 3"}]""", body["product_data"]!.ToJsonString());
    }
}
