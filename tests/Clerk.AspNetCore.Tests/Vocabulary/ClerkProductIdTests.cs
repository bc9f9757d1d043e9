using System.Text.Json;

namespace Clerk.AspNetCore.Tests.Vocabulary;

public sealed class ClerkProductIdTests
{
    [Fact]
    public void Equals_SameDigitsDifferentType_False()
    {
        ClerkProductId number = 123;
        ClerkProductId text = "123";

        Assert.NotEqual(number, text);
        Assert.True(number != text);
        Assert.Equal("123", number.ToString());
        Assert.Equal("123", text.ToString());
    }

    [Fact]
    public void Serialize_KeepsTheJsonType()
    {
        var json = JsonSerializer.Serialize(new[] { new ClerkSaleLine(12, 9.5m, 1), new ClerkSaleLine("A-12", 9.5m, 1) });

        Assert.Equal("[{\"id\":12,\"price\":9.5,\"quantity\":1},{\"id\":\"A-12\",\"price\":9.5,\"quantity\":1}]", json);
    }

    [Fact]
    public void Serialize_Default_ThrowsSayingEveryProductNeedsItsId()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Serialize(default(ClerkProductId)));

        Assert.Contains("catalog ID", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("12", false)]
    [InlineData(12, true)]
    [InlineData(12L, true)]
    [InlineData((short)12, true)]
    [InlineData((byte)12, true)]
    [InlineData(12u, true)]
    public void TryFrom_IntegersAndStrings_KeepTheirType(object value, bool isNumber)
    {
        Assert.True(ClerkProductId.TryFrom(value, out var id));
        Assert.Equal(isNumber, id.IsNumber);
        Assert.Equal("12", id.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(1.5)]
    [InlineData(ulong.MaxValue)]
    public void TryFrom_NotAnId_False(object? value) => Assert.False(ClerkProductId.TryFrom(value, out _));

    [Fact]
    public void Constructor_WhiteSpaceString_Throws() => Assert.Throws<ArgumentException>(() => new ClerkProductId(" "));

    [Fact]
    public void Number_OfAStringId_Throws() => Assert.Throws<InvalidOperationException>(() => new ClerkProductId("x").Number);
}
