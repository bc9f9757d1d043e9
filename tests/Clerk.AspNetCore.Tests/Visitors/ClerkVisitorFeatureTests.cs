using Clerk.AspNetCore.Visitors;
using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Tests.Visitors;

public sealed class ClerkVisitorFeatureTests
{
    [Fact]
    public void Disabled_EveryConsentAndSource_IsSharedInstanceWithThatConsentAndSourceAndNoId()
    {
        foreach (var consent in Enum.GetValues<ClerkConsent>())
        {
            foreach (var source in Enum.GetValues<ConsentSource>())
            {
                var feature = ClerkVisitorFeature.Disabled(consent, source);

                Assert.Same(feature, ClerkVisitorFeature.Disabled(consent, source));
                Assert.Equal((consent, source), (feature.Consent, feature.ConsentSource));
                Assert.Equal(ClerkVisitorMode.Disabled, feature.Mode);
                Assert.Null(feature.VisitorId);
                Assert.False(feature.RequestHadCookie);
                Assert.False(feature.WriteCookie);
            }
        }
    }

    [Fact]
    public void ReturningVisitor_ConsentThatCanChangeDuringRequest_Throws()
    {
        foreach (var source in new[] { ConsentSource.CookiePolicy, ConsentSource.CookiePolicyNotRun })
        {
            var exception = Assert.Throws<ArgumentException>(() => new ReturningVisitor("clerk_visitor", source));

            Assert.Contains("can change during the request", exception.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ReturningVisitorCreateFeature_ValidCookie_PublishesFeatureWithCookieId()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = "other=1; clerk_visitor=aR9Km32lQx7Tz0Pb";

        var feature = new ReturningVisitor("clerk_visitor", ConsentSource.Default).CreateFeature(context);

        Assert.Same(feature, context.GetClerkVisitor());
        Assert.Equal("aR9Km32lQx7Tz0Pb", feature.VisitorId);
        Assert.Equal(ClerkVisitorMode.Persistent, feature.Mode);
        Assert.Equal(ConsentSource.Default, feature.ConsentSource);
        Assert.False(feature.WriteCookie);
    }
}
