namespace MySecureApi.Infrastructure.Data;

/// <summary>The database's state as <c>/health/ready</c> reports it.</summary>
public static class DatabaseState
{
    public const string HealthCheckName = "database";
    public const string Connected = "connected";
    public const string Unavailable = "unavailable";
}
