using System.Net;
using Clerk.AspNetCore.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Clerk.AspNetCore.Tests.SampleShop;

/// <summary>The sample shop maps health checks at <c>/health</c>, Clerk's among them.</summary>
public sealed class SampleShopHealthTests(SampleShopFactory factory) : IClassFixture<SampleShopFactory>
{
    [Fact]
    public async Task GetHealth_FreshShopOnTheEmulator_IsHealthyWithTheKeysChecked()
    {
        using var client = factory.CreateVisitorClient();

        using var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Single(factory.Services.GetRequiredService<ClerkEmulatorState>().GetCalls("client/account/info"));
    }
}
