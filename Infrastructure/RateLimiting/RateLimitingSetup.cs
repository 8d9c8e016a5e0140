using System.Net.Sockets;
using System.Net;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Auth.Access;
using MySecureApi.Infrastructure.Errors;
using MySecureApi.Infrastructure.Hosting;
using MySecureApi.Infrastructure.Redis;
using MySecureApi.Infrastructure.Telemetry;

namespace MySecureApi.Infrastructure.RateLimiting;

/// <summary>
/// Two layers: per client IP before authentication (a flood of forged tokens is turned away without RSA work) and
/// per <c>sub</c> after it. Rejections are the contract's 429 <c>rate_limited</c> with <c>Retry-After</c>.
/// </summary>
public static class RateLimitingSetup
{
    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitingOptions>().BindConfiguration(RateLimitingOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RateLimitingOptions>, RateLimitingOptionsValidator>();
        services.AddSingleton<RateLimitLayers>();
        return services;
    }

    /// <summary>Before authentication: the client-IP layer (nothing at all when limiting is off).</summary>
    public static IApplicationBuilder UseClientRateLimit(this IApplicationBuilder app)
    {
        var layers = app.ApplicationServices.GetRequiredService<RateLimitLayers>();
        return !layers.Enabled || Ablation.Removes(Piece.ClientRateLimit) ? app : app.Use(async (context, next) =>
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
        return !layers.Enabled || Ablation.Removes(Piece.SubjectRateLimit) ? app : app.Use(async (context, next) =>
        {
            // The feature, not HttpContext.User, whose getter would create an empty principal for every anonymous request.
            if (context.Features.Get<IHttpAuthenticationFeature>()?.User?.Identity is { IsAuthenticated: true, Name: { } subject }
                && !AnonymousAccess.IsAllowed(context))
            {
                if (await layers.Subject.RejectAsync(subject, context.RequestAborted) is { } wait)
                {
                    await RejectAsync(context, layers.Subject, wait);
                    return;
                }
                if (IsWrite(context.Request.Method) && await layers.Write.RejectAsync(subject, context.RequestAborted) is { } writeWait)
                {
                    await RejectAsync(context, layers.Write, writeWait);
                    return;
                }
            }
            await next(context);
        });
    }

    private static bool IsWrite(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

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
        ApiMetrics.Failure(error.Code, layer.Name);
        ApiMetrics.RateLimitRejected(layer.Name);
        return ErrorResponder.WriteAsync(context, error);
    }
}

/// <summary>The two layers of the instance, built once from <see cref="RateLimitingOptions"/>.</summary>
public sealed class RateLimitLayers(IOptions<RateLimitingOptions> options, RedisConnection redis, ILogger<RateLimitLayers> logger) : IDisposable
{
    public bool Enabled { get; } = options.Value.Enabled;

    public RateLimitLayer Ip { get; } = new("ip", options.Value.Ip, redis, logger);

    public RateLimitLayer Subject { get; } = new("sub", options.Value.Subject, redis, logger);

    public RateLimitLayer Write { get; } = new("write", options.Value.Write, redis, logger);

    public void Dispose()
    {
        Ip.Dispose();
        Subject.Dispose();
        Write.Dispose();
    }
}

/// <summary>Each layer's numbers in range, named in the start-up error by their full key.</summary>
internal sealed class RateLimitingOptionsValidator : IValidateOptions<RateLimitingOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitingOptions options)
    {
        if (!options.Enabled)
            return ValidateOptionsResult.Success;
        var error = Layer("Ip", options.Ip, 600) ?? Layer("Subject", options.Subject, 300) ?? Layer("Write", options.Write, 60);
        return error is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(error);
    }

    private static string? Layer(string name, RateLimitLayerOptions layer, int examplePermits)
    {
        var key = $"{RateLimitingOptions.Section}:{name}";
        if (!Enum.IsDefined(layer.Algorithm))
            return $"{key}:Algorithm must be FixedWindow, SlidingWindow or TokenBucket, e.g. {key}:Algorithm=SlidingWindow";
        return SettingRules.Range($"{key}:PermitLimit", layer.PermitLimit, 1, 1_000_000_000, examplePermits)
               ?? SettingRules.Range($"{key}:WindowSeconds", layer.WindowSeconds, 1, 86_400, 60)
               ?? (layer.Algorithm == RateLimitAlgorithm.SlidingWindow ? SettingRules.Range($"{key}:SegmentsPerWindow", layer.SegmentsPerWindow, 1, 1000, 6) : null)
               ?? (layer.Algorithm == RateLimitAlgorithm.TokenBucket ? SettingRules.Range($"{key}:TokensPerPeriod", layer.TokensPerPeriod, 1, 1_000_000_000, examplePermits) : null);
    }
}
