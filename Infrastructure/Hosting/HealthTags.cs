namespace MySecureApi.Infrastructure.Hosting;

/// <summary>Tags of the ASP.NET health checks: what <c>/health</c> (liveness) and <c>/health/ready</c> (readiness) run.</summary>
public static class HealthTags
{
    public const string Live = "live";
    public const string Ready = "ready";
}
