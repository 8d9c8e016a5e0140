using System.Net.Sockets;
using System.Net;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Auth.Access;
using MySecureApi.Infrastructure.Errors;
using MySecureApi.Infrastructure.Hosting;
using MySecureApi.Infrastructure.Telemetry;

namespace MySecureApi.Infrastructure.RateLimiting;

/// <summary>
/// Three layers: per client IP before authentication (a flood of forged tokens is turned away without RSA work), per
/// <c>sub</c> after it, and per <c>sub</c> again for writes (POST, PUT, PATCH, DELETE) only. Rejections are the documented 429 <c>rate_limited</c> with <c>Retry-After</c>.
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
                if (await WriteRejectedAsync(context, layers, subject))
                    return;
            }
            await next(context);
        });
    }

    /// <summary>
    /// The write layer alone, for requests made in-process on behalf of a caller the other layers have already counted
    /// (an MCP tool call that runs <c>POST /api/messages</c> pays the write limit as the route does).
    /// </summary>
    public static IApplicationBuilder UseWriteRateLimit(this IApplicationBuilder app)
    {
        var layers = app.ApplicationServices.GetRequiredService<RateLimitLayers>();
        return !layers.Enabled ? app : app.Use(async (context, next) =>
        {
            if (context.User.Identity is { IsAuthenticated: true, Name: { } subject } && await WriteRejectedAsync(context, layers, subject))
                return;
            await next(context);
        });
    }

    /// <summary>
    /// The write layer for a write (POST, PUT, PATCH, DELETE) by <paramref name="subject"/> to a route that is not
    /// <see cref="NotAWrite"/>: true when it answered 429. Reads never get past the method check.
    /// </summary>
    private static async ValueTask<bool> WriteRejectedAsync(HttpContext context, RateLimitLayers layers, string subject)
    {
        if (!IsWrite(context.Request.Method) || context.GetEndpoint()?.Metadata.GetMetadata<NotAWrite>() is not null
            || await layers.Write.RejectAsync(subject, context.RequestAborted) is not { } wait)
            return false;
        await RejectAsync(context, layers.Write, wait);
        return true;
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
