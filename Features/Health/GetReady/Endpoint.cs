using FastEndpoints;
using MySecureApi.Infrastructure.Auth;
using MySecureApi.Infrastructure.Errors;
using MySecureApi.Infrastructure.Redis;

namespace MySecureApi.Features.Health.GetReady;

/// <summary>Readiness for load balancers: ready once a signing-key set is loaded; 503 (problem shape) before.</summary>
internal sealed class Endpoint : EndpointWithoutRequest<Response>
{
    public override void Configure()
    {
        Get("/health/ready");
        AllowAnonymous();
        Description(d => d.WithTags("Health"));
        Summary(s => s.Summary = "Readiness probe: 200 when the signing keys are loaded, 503 otherwise");
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var keys = Resolve<SigningKeySource>();
        keys.WarmUp();
        if (keys.HasKeys)
        {
            var redis = Resolve<RedisConnection>();
            await Send.OkAsync(new Response("ready", redis.Configured ? (redis.IsConnected ? "connected" : "unavailable") : null), ct);
            return;
        }
        HttpContext.Response.Headers.RetryAfter = ErrorResponder.RetryAfterSeconds(keys.RetryAfter);
        await Send.ErrorsAsync(StatusCodes.Status503ServiceUnavailable, ct);
    }
}

/// <summary><c>redis</c> only when Redis is configured; it does not decide readiness (see README: failure policy).</summary>
internal sealed record Response(
    string Status,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Redis);
