namespace MySecureApi.Infrastructure.Auth.Tokens;

/// <summary>Token claim names the API reads.</summary>
public static class ClaimNames
{
    public const string Subject = "sub";
    public const string Audience = "aud";
    public const string Scope = "scope";
    public const string Permissions = "permissions";
    public const string Role = "role";
    public const string Roles = "roles";
    public const string OrgId = "org_id";
    public const string Subscription = "subscription";
    public const string Verified = "verified";
}
