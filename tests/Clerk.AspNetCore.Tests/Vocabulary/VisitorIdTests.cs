
namespace Clerk.AspNetCore.Tests.Vocabulary;

public sealed class VisitorIdTests
{
    [Fact]
    public void NewId_Always_Returns16AlphanumericCharacters()
    {
        for (var i = 0; i < 1_000; i++)
        {
            var id = VisitorId.NewId();

            Assert.Equal(16, id.Length);
            Assert.All(id, c => Assert.True(char.IsAsciiLetterOrDigit(c), $"'{c}' in {id}"));
        }
    }

    [Fact]
    public void NewId_HundredThousandCalls_AreAllDistinct()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);

        for (var i = 0; i < 100_000; i++)
        {
            Assert.True(ids.Add(VisitorId.NewId()));
        }
    }

    [Fact]
    public void NewId_ManyCalls_UseTheWholeAlphabet()
    {
        var seen = new HashSet<char>();

        for (var i = 0; i < 2_000; i++)
        {
            seen.UnionWith(VisitorId.NewId());
        }

        Assert.Equal(VisitorId.Alphabet.Length, seen.Count);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("aR9Km32l")]
    [InlineData("a1d0c6e83f027327d8461063f4ac58a6")] // 32 characters: the longest Clerk accepts
    [InlineData("ABCDEFGHIJKLMNOP")]
    public void IsValid_AlphanumericUpTo32_ReturnsTrue(string value) => Assert.True(VisitorId.IsValid(value));

    [Theory]
    [InlineData("")]
    [InlineData("a1d0c6e83f027327d8461063f4ac58a6X")] // 33 characters
    [InlineData("<script>alert(1)</script>")]
    [InlineData("abc\"def")]
    [InlineData("abc'def")]
    [InlineData("abc;def")]
    [InlineData("abc def")]
    [InlineData("abc%3Cdef")]
    [InlineData("%41%42")]
    [InlineData("abc-def")]
    [InlineData("abc_def")]
    [InlineData("abc\ndef")]
    [InlineData("abc\0def")]
    [InlineData("æøå")]
    [InlineData("abc\u0661")] // Arabic-Indic digit one: a digit, but not ASCII
    [InlineData("ＡＢＣ")] // full-width letters
    public void IsValid_HostileOrMalformed_ReturnsFalse(string value) => Assert.False(VisitorId.IsValid(value));

    [Fact]
    public void NewId_ManyIds_UseEveryCharacterEquallyOften()
    {
        // 20,000 IDs are 320,000 characters, about 5,161 of each. Modulo bias (bytes % 62 without rejection) would
        // give the first 8 characters about 21% more; a uniform generator stays within a few percent.
        var counts = new Dictionary<char, int>();
        for (var i = 0; i < 20_000; i++)
        {
            foreach (var c in VisitorId.NewId())
            {
                counts[c] = counts.GetValueOrDefault(c) + 1;
            }
        }

        var expected = 20_000.0 * VisitorId.GeneratedLength / VisitorId.Alphabet.Length;
        Assert.Equal(VisitorId.Alphabet.Length, counts.Count);
        Assert.All(counts, pair => Assert.InRange(pair.Value, expected * 0.9, expected * 1.1));
    }
}
