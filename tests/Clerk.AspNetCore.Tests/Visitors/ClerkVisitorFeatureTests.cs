using Clerk.AspNetCore.Visitors;

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
    public void Returning_ValidCookieId_IsGrantedPersistentWithNothingToWrite()
    {
        var feature = ClerkVisitorFeature.Returning("aR9Km32lQx7Tz0Pb", ConsentSource.Default);

        Assert.Equal("aR9Km32lQx7Tz0Pb", feature.VisitorId);
        Assert.Equal((ClerkConsent.Granted, ClerkVisitorMode.Persistent), (feature.Consent, feature.Mode));
        Assert.Equal(ConsentSource.Default, feature.ConsentSource);
        Assert.True(feature.RequestHadCookie);
        Assert.False(feature.WriteCookie);
        Assert.False(feature.IsNewVisitor);
    }
}
