using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Auth;
using MySecureApi.Infrastructure.Errors;
using MySecureApi.Infrastructure.Redis;

namespace MySecureApi.Infrastructure.RateLimiting;

/// <summary>
/// Two layers: per client IP before authentication (a flood of forged tokens is turned away without RSA work) and
/// per <c>sub</c> after it. Rejections are the contract's 429 <c>rate_limited</c> with <c>Retry-After</c>.
/// </summary>
public static class RateLimitingSetup
{
    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitingOptions>().BindConfiguration(RateLimitingOptions.Section)
            .Validate(o => !o.Enabled || (Valid(o.Ip) && Valid(o.Subject)),
                "RateLimiting: each layer needs PermitLimit > 0, WindowSeconds > 0 (and TokensPerPeriod > 0 for TokenBucket), e.g. RateLimiting:Ip:PermitLimit=600")
            .ValidateOnStart();
        services.AddSingleton<RateLimitLayers>();
        return services;
    }

    /// <summary>Before authentication: the client-IP layer (nothing at all when limiting is off).</summary>
    public static IApplicationBuilder UseClientRateLimit(this IApplicationBuilder app)
    {
        var layers = app.ApplicationServices.GetRequiredService<RateLimitLayers>();
        return !layers.Enabled ? app : app.Use(async (context, next) =>
        {
            if (await layers.Ip.RejectAsync(ClientPartition(context.Connection.RemoteIpAddress), context.RequestAborted) is { } wait)
                await RejectAsync(context, layers.Ip, wait);
            else
                await next(context);
        });
    }

    /// <summary>After authentication: the per-subject layer, for authenticated requests to protected routes only.</summary>
    public static IApplicationBuilder UseSubjectRateLimit(this IApplicationBuilder app)
    {
        var layers = app.ApplicationServices.GetRequiredService<RateLimitLayers>();
        return !layers.Enabled ? app : app.Use(async (context, next) =>
        {
            if (context.User.Identity is { IsAuthenticated: true, Name: { } subject }
                && context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is null
                && await layers.Subject.RejectAsync(subject, context.RequestAborted) is { } wait)
                await RejectAsync(context, layers.Subject, wait);
            else
                await next(context);
        });
    }

    /// <summary>IPv4 address, or the /64 an IPv6 client holds (it can pick any address inside it).</summary>
    internal static string ClientPartition(IPAddress? address)
    {
        if (address is null)
            return "unknown";
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }

    private static Task RejectAsync(HttpContext context, RateLimitLayer layer, TimeSpan wait)
    {
        var error = ApiErrors.RateLimited(wait);
        AuthMetrics.Failure(error.Code, layer.Name);
        return ErrorResponder.WriteAsync(context, error);
    }

    private static bool Valid(RateLimitLayerOptions layer) =>
        layer.PermitLimit > 0 && layer.WindowSeconds > 0 && layer.SegmentsPerWindow > 0
        && (layer.Algorithm != RateLimitAlgorithm.TokenBucket || layer.TokensPerPeriod > 0);
}

/// <summary>The two layers of the instance, built once from <see cref="RateLimitingOptions"/>.</summary>
public sealed class RateLimitLayers(IOptions<RateLimitingOptions> options, RedisConnection redis, ILogger<RateLimitLayers> logger) : IDisposable
{
    public bool Enabled { get; } = options.Value.Enabled;

    public RateLimitLayer Ip { get; } = new("ip", options.Value.Ip, redis, logger);

    public RateLimitLayer Subject { get; } = new("sub", options.Value.Subject, redis, logger);

    public void Dispose()
    {
        Ip.Dispose();
        Subject.Dispose();
    }
}
