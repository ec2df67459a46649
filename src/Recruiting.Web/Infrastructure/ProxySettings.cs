using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Recruiting.Web.Infrastructure;

/// <summary>Settings section <c>ForwardedHeaders</c>: the reverse proxies and load balancers in front of the portal.</summary>
public sealed class ProxySettings
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Addresses of the proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. <c>10.0.0.0/24</c>) of such proxies.</summary>
    public List<string> KnownNetworks { get; set; } = [];
}

public static class ForwardedHeadersSetup
{
    /// <summary>
    /// Takes the client's address and scheme from <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c>, but only from the
    /// configured proxies: the rate limits count per client address and HSTS needs to know the request was https.
    /// The framework's default trust of loopback is dropped, so with nothing configured every forwarded header is
    /// ignored; a client could otherwise choose its own address and escape its rate limit.
    /// </summary>
    public static IServiceCollection AddRecruitingForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var proxies = configuration.GetSection(ProxySettings.Section).Get<ProxySettings>() ?? new ProxySettings();
        var addresses = proxies.KnownProxies.Select(p => IPAddress.TryParse(p, out var ip) ? ip
            : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies holds '{p}', which is not an IP address.")).ToList();
        var networks = proxies.KnownNetworks.Select(n => System.Net.IPNetwork.TryParse(n, out var network) ? network
            : throw new InvalidOperationException($"ForwardedHeaders:KnownNetworks holds '{n}', which is not a network in CIDR notation.")).ToList();
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            addresses.ForEach(options.KnownProxies.Add);
            networks.ForEach(options.KnownIPNetworks.Add);
            // Every hop is checked against the lists: a chain of configured proxies (load balancer, then a local
            // reverse proxy) is walked back to the first address that is not one of them, the client's.
            options.ForwardLimit = null;
        });
        return services;
    }
}
