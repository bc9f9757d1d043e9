using System.Text.Json;

namespace Clerk.AspNetCore.Testing.Tests.Hosting;

public sealed class EmailMaskTests
{
    [Theory]
    [InlineData("buyer@example.com", "b***@example.com")]
    [InlineData("a@b", "a***@b")]
    [InlineData("odd@name@example.com", "o***@example.com")]
    [InlineData("@example.com", "***")]
    [InlineData("no-address", "***")]
    [InlineData("", "***")]
    public void Mask_Address_KeepsFirstCharacterAndDomain(string email, string expected) =>
        Assert.Equal(expected, EmailMask.Mask(email));

    [Fact]
    public void MaskArguments_EmailArgument_IsMaskedAndTheRestKept()
    {
        using var arguments = JsonDocument.Parse("""{"sale":"O-1","email":"buyer@example.com","products":[101]}""");

        var masked = EmailMask.MaskArguments(arguments.RootElement);

        Assert.Equal("b***@example.com", masked.GetProperty("email").GetString());
        Assert.Equal("O-1", masked.GetProperty("sale").GetString());
        Assert.Equal(101, masked.GetProperty("products")[0].GetInt32());
    }
}
