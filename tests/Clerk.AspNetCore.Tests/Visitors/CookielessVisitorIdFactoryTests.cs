using System.Net;
using System.Text;
using Clerk.AspNetCore.Tests.TestSupport;
using Clerk.AspNetCore.Visitors;
using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Tests.Visitors;

public sealed class CookielessVisitorIdFactoryTests
{
    private static readonly byte[] Salt = Encoding.ASCII.GetBytes("0123456789abcdef0123456789abcdef");
    private static readonly IPAddress Ip = IPAddress.Parse("203.0.113.7");
    private const string Agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0";
    private const string Host = "shop.example";

    [Fact]
    public void Encode_RandomAndEdgeHashes_AreBase62DigitsOfTheFirst128Bits()
    {
        var random = new Random(20261121);
        var hashes = new List<byte[]> { new byte[32], Enumerable.Repeat((byte)0xFF, 32).ToArray() };
        for (var i = 0; i < 2000; i++)
        {
            var hash = new byte[32];
            random.NextBytes(hash);
            hashes.Add(hash);
        }

        foreach (var hash in hashes)
        {
            Assert.Equal(ReferenceEncode(hash), CookielessVisitorIdFactory.Encode(hash));
        }
    }

    // The definition: the value's base-62 digits, least significant first, by 128-bit division.
    private static string ReferenceEncode(byte[] hash)
    {
        var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash);
        var chars = new char[VisitorId.GeneratedLength];
        for (var i = 0; i < chars.Length; i++)
        {
            (value, var digit) = UInt128.DivRem(value, 62);
            chars[i] = VisitorId.Alphabet[(int)digit];
        }

        return new string(chars);
    }

    [Fact]
    public void Derive_SameInputs_ReturnsSameId()
    {
        var first = CookielessVisitorIdFactory.Derive(Salt, Ip, Agent, Host);
        var second = CookielessVisitorIdFactory.Derive(Salt, IPAddress.Parse("203.0.113.7"), Agent, Host);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Derive_Always_Returns16AlphanumericCharacters()
    {
        for (var i = 0; i < 500; i++)
        {
            var id = CookielessVisitorIdFactory.Derive(Salt, Ip, Agent + i, Host);

            Assert.True(id.Length == 16 && VisitorId.IsValid(id), id);
        }
    }

    [Fact]
    public void Derive_OtherIp_ReturnsOtherId() =>
        Assert.NotEqual(
            CookielessVisitorIdFactory.Derive(Salt, Ip, Agent, Host),
            CookielessVisitorIdFactory.Derive(Salt, IPAddress.Parse("203.0.113.8"), Agent, Host));

    [Fact]
    public void Derive_OtherUserAgent_ReturnsOtherId() =>
        Assert.NotEqual(
            CookielessVisitorIdFactory.Derive(Salt, Ip, Agent, Host),
            CookielessVisitorIdFactory.Derive(Salt, Ip, Agent + " Edg/156.0", Host));

    [Fact]
    public void Derive_OtherHost_ReturnsOtherId() =>
        Assert.NotEqual(
            CookielessVisitorIdFactory.Derive(Salt, Ip, Agent, Host),
            CookielessVisitorIdFactory.Derive(Salt, Ip, Agent, "other.example"));

    [Fact]
    public void Derive_OtherSalt_ReturnsOtherId()
    {
        var otherSalt = (byte[])Salt.Clone();
        otherSalt[0] ^= 1;

        Assert.NotEqual(
            CookielessVisitorIdFactory.Derive(Salt, Ip, Agent, Host),
            CookielessVisitorIdFactory.Derive(otherSalt, Ip, Agent, Host));
    }

    [Fact]
    public void Derive_InputsShiftedBetweenFields_ReturnsOtherId() =>
        // "ab" + "c" must not hash like "a" + "bc".
        Assert.NotEqual(
            CookielessVisitorIdFactory.Derive(Salt, Ip, "Agent/1", "xshop.example"),
            CookielessVisitorIdFactory.Derive(Salt, Ip, "Agent/1x", "shop.example"));

    [Fact]
    public void Derive_HostInOtherCase_ReturnsSameId() =>
        Assert.Equal(
            CookielessVisitorIdFactory.Derive(Salt, Ip, Agent, Host),
            CookielessVisitorIdFactory.Derive(Salt, Ip, Agent, "SHOP.Example"));

    [Fact]
    public void Derive_Ipv4MappedToIpv6_ReturnsSameIdAsIpv4() =>
        Assert.Equal(
            CookielessVisitorIdFactory.Derive(Salt, Ip, Agent, Host),
            CookielessVisitorIdFactory.Derive(Salt, Ip.MapToIPv6(), Agent, Host));

    [Fact]
    public void Derive_MissingInputs_StillReturnsValidId()
    {
        var id = CookielessVisitorIdFactory.Derive(Salt, null, null, null);

        Assert.True(VisitorId.IsValid(id));
    }

    [Fact]
    public async Task CreateAsync_SameDay_ReturnsSameId()
    {
        var clock = new TestTimeProvider(new DateTimeOffset(2026, 11, 21, 0, 0, 1, TimeSpan.Zero));
        var factory = new CookielessVisitorIdFactory(new InMemoryCookielessSaltStore(), clock);

        var morning = await factory.CreateAsync(Request());
        clock.Advance(TimeSpan.FromHours(23.9));
        var evening = await factory.CreateAsync(Request());

        Assert.Equal(morning, evening);
    }

    [Fact]
    public async Task CreateAsync_NextUtcDay_ReturnsOtherId()
    {
        var clock = new TestTimeProvider(new DateTimeOffset(2026, 11, 21, 23, 59, 59, TimeSpan.Zero));
        var factory = new CookielessVisitorIdFactory(new InMemoryCookielessSaltStore(), clock);

        var today = await factory.CreateAsync(Request());
        clock.Advance(TimeSpan.FromSeconds(2));
        var tomorrow = await factory.CreateAsync(Request());

        Assert.NotEqual(today, tomorrow);
    }

    [Fact]
    public async Task CreateAsync_LocalMidnightInAnotherZone_StaysOnTheUtcDay()
    {
        // 23:30 in UTC+2 is still 21:30 UTC: same UTC day, same ID.
        var clock = new TestTimeProvider(new DateTimeOffset(2026, 11, 21, 20, 0, 0, TimeSpan.Zero));
        var factory = new CookielessVisitorIdFactory(new InMemoryCookielessSaltStore(), clock);

        var before = await factory.CreateAsync(Request());
        clock.Now = new DateTimeOffset(2026, 11, 22, 1, 30, 0, TimeSpan.FromHours(2));
        var after = await factory.CreateAsync(Request());

        Assert.Equal(before, after);
    }

    [Fact]
    public async Task CreateAsync_TwoServersWithTheirOwnSalt_ReturnDifferentIds()
    {
        // Salts are random, never derived from a fixed secret: two in-memory stores never agree.
        var clock = new TestTimeProvider(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));

        var one = await new CookielessVisitorIdFactory(new InMemoryCookielessSaltStore(), clock).CreateAsync(Request());
        var two = await new CookielessVisitorIdFactory(new InMemoryCookielessSaltStore(), clock).CreateAsync(Request());

        Assert.NotEqual(one, two);
    }

    private static DefaultHttpContext Request()
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = Ip;
        context.Request.Headers.UserAgent = Agent;
        context.Request.Host = new HostString(Host);
        return context;
    }
}
