using System.Net;
using System.Text;
using Clerk.AspNetCore.Tests.TestSupport;
using Clerk.AspNetCore.Visitors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

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
    public void Derive_KnownInputs_IsSipHashOfIpUserAgentAndHostUnderTheSaltsKey()
    {
        // The key: the salt's SipHash under the all-zero key.
        var keyBytes = new byte[SipHash128.TagLength];
        SipHash128.Hash(default, Salt, keyBytes);
        var hash = new byte[SipHash128.TagLength];
        SipHash128.Hash(SipHashKey.From(keyBytes), Encoding.UTF8.GetBytes($"203.0.113.7\0{Agent}\0shop.example"), hash);

        Assert.Equal(ReferenceEncode(hash), CookielessVisitorIdFactory.Derive(Salt, Ip, Agent, "Shop.Example"));
    }

    [Fact]
    public void Derive_UserAgentLongerThanTheStackBuffer_SameIdAsItsFirst1024Characters()
    {
        var longAgent = new string('a', 5000);

        Assert.Equal(
            CookielessVisitorIdFactory.Derive(Salt, Ip, longAgent[..1024], Host),
            CookielessVisitorIdFactory.Derive(Salt, Ip, longAgent, Host));
        Assert.NotEqual(
            CookielessVisitorIdFactory.Derive(Salt, Ip, longAgent[..1023], Host),
            CookielessVisitorIdFactory.Derive(Salt, Ip, longAgent, Host));
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
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 0, 0, 1, TimeSpan.Zero));
        var factory = new CookielessVisitorIdFactory(new InMemoryCookielessSaltStore(clock), clock);

        var morning = await factory.CreateAsync(Request());
        clock.Advance(TimeSpan.FromHours(23.9));
        var evening = await factory.CreateAsync(Request());

        Assert.Equal(morning, evening);
    }

    [Fact]
    public async Task CreateAsync_NextUtcDay_ReturnsOtherId()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 23, 59, 59, TimeSpan.Zero));
        var factory = new CookielessVisitorIdFactory(new InMemoryCookielessSaltStore(clock), clock);

        var today = await factory.CreateAsync(Request());
        clock.Advance(TimeSpan.FromSeconds(2));
        var tomorrow = await factory.CreateAsync(Request());

        Assert.NotEqual(today, tomorrow);
    }

    [Fact]
    public async Task CreateAsync_ClockJumpsForwardThenBack_DerivesUnderTheCurrentDaysSalt()
    {
        // A clock set days ahead by mistake and then corrected: the salt made for the future day must not stay in use
        // (it would outlive its day, and today's IDs would be derived under it).
        var clock = new AdjustableTimeProvider(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
        var factory = new CookielessVisitorIdFactory(new InMemoryCookielessSaltStore(clock), clock);

        clock.SetWallClock(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        var future = await factory.CreateAsync(Request());
        clock.SetWallClock(new DateTimeOffset(2026, 11, 21, 12, 0, 1, TimeSpan.Zero));
        var back = await factory.CreateAsync(Request());
        var later = await factory.CreateAsync(Request());

        Assert.NotEqual(future, back);
        Assert.Equal(back, later);
    }

    [Fact]
    public async Task CreateAsync_LocalMidnightInAnotherZone_StaysOnTheUtcDay()
    {
        // 23:30 in UTC+2 is still 21:30 UTC: same UTC day, same ID.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 20, 0, 0, TimeSpan.Zero));
        var factory = new CookielessVisitorIdFactory(new InMemoryCookielessSaltStore(clock), clock);

        var before = await factory.CreateAsync(Request());
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 22, 1, 30, 0, TimeSpan.FromHours(2)));
        var after = await factory.CreateAsync(Request());

        Assert.Equal(before, after);
    }

    [Fact]
    public async Task CreateAsync_TwoServersWithTheirOwnSalt_ReturnDifferentIds()
    {
        // Salts are random, never derived from a fixed secret: two in-memory stores never agree.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));

        var one = await new CookielessVisitorIdFactory(new InMemoryCookielessSaltStore(clock), clock).CreateAsync(Request());
        var two = await new CookielessVisitorIdFactory(new InMemoryCookielessSaltStore(clock), clock).CreateAsync(Request());

        Assert.NotEqual(one, two);
    }

    [Fact]
    public async Task CreateAsync_StoreSalt_DerivesUnderThatSalt()
    {
        var factory = new CookielessVisitorIdFactory(new FixedSaltStore(Salt), TimeProvider.System);

        var first = await factory.CreateAsync(Request());
        var second = await factory.CreateAsync(Request());

        Assert.Equal(CookielessVisitorIdFactory.Derive(Salt, Ip, Agent, Host), first);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task CreateAsync_StoreReturnsAnotherSalt_DerivesUnderTheNewSalt()
    {
        // A web farm's shared store may replace the salt at any time; the cached key must follow it.
        var store = new FixedSaltStore(Salt);
        var factory = new CookielessVisitorIdFactory(store, TimeProvider.System);
        await factory.CreateAsync(Request());

        var otherSalt = (byte[])Salt.Clone();
        otherSalt[^1] ^= 1;
        store.Salt = otherSalt;
        var afterChange = await factory.CreateAsync(Request());
        store.Salt = (byte[])Salt.Clone();
        var afterChangeBack = await factory.CreateAsync(Request());

        Assert.Equal(CookielessVisitorIdFactory.Derive(otherSalt, Ip, Agent, Host), afterChange);
        Assert.Equal(CookielessVisitorIdFactory.Derive(Salt, Ip, Agent, Host), afterChangeBack);
    }

    [Fact]
    public void CreateAsync_ConcurrentRequests_EachGetsTheIdOfItsOwnInputs()
    {
        // Every request shares the cached key, and the threads start together so that their requests overlap: no request
        // may see another's inputs.
        var factory = new CookielessVisitorIdFactory(new FixedSaltStore(Salt), TimeProvider.System);
        const int Threads = 4, RequestsPerThread = 2000;
        var start = new Barrier(Threads);
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();

        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < RequestsPerThread; i++)
            {
                var agent = $"{Agent} {t}/{i}";
                var context = Request();
                context.Request.Headers.UserAgent = agent;
                try
                {
                    var id = factory.CreateAsync(context).AsTask().GetAwaiter().GetResult();
                    if (id != CookielessVisitorIdFactory.Derive(Salt, Ip, agent, Host))
                    {
                        failures.Add($"wrong ID for {agent}");
                    }
                }
                catch (Exception exception)
                {
                    // Caught here, or it would end the test host instead of failing this test.
                    failures.Add($"{exception.GetType().Name}: {exception.Message}");
                }
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());

        Assert.Empty(failures);
    }

    private sealed class FixedSaltStore(byte[] salt) : IClerkCookielessSaltStore
    {
        public byte[] Salt { get; set; } = salt;

        public ValueTask<ReadOnlyMemory<byte>> GetSaltAsync(DateOnly utcDay, CancellationToken cancellationToken) =>
            ValueTask.FromResult<ReadOnlyMemory<byte>>(Salt);
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
