using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace SampleShop.Proxy;

/// <summary>
/// Behind a reverse proxy or load balancer the connection comes from the proxy: the client's address and scheme are
/// in its X-Forwarded-For and X-Forwarded-Proto headers, which <c>app.UseForwardedHeaders()</c> applies — but only
/// from the proxies named here (loopback is trusted by default), since anyone else could forge them. Clerk needs the
/// client's address for undecided visitors' cookieless IDs, and the scheme for a Secure visitor cookie.
/// </summary>
/// <example>
/// <code>
/// "ForwardedHeaders": { "KnownProxies": [ "10.0.0.5" ], "KnownNetworks": [ "10.0.0.0/8" ] }
/// </code>
/// or <c>ForwardedHeaders__KnownNetworks__0=10.0.0.0/8</c> in the environment.
/// </example>
public static class ForwardedHeadersSetup
{
    public const string SectionName = "ForwardedHeaders";

    public static WebApplicationBuilder AddShopForwardedHeaders(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(SectionName);
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in section.GetSection("KnownProxies").Get<string[]>() ?? [])
            {
                options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                    ? address
                    : throw new InvalidOperationException(
                        $"{SectionName}:KnownProxies contains '{proxy}', which is not an IP address. List the addresses your reverse proxy connects from, such as \"10.0.0.5\", or use {SectionName}:KnownNetworks for a range."));
            }

            foreach (var network in section.GetSection("KnownNetworks").Get<string[]>() ?? [])
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var range)
                    ? range
                    : throw new InvalidOperationException(
                        $"{SectionName}:KnownNetworks contains '{network}', which is not a network in CIDR notation. Write it as address/prefix length, such as \"10.0.0.0/8\"."));
            }
        });
        return builder;
    }
}
