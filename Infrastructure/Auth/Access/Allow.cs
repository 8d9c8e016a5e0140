namespace MySecureApi.Infrastructure.Auth.Access;

/// <summary>
/// The scopes routes declare with FastEndpoints' <c>Permissions(...)</c>. A token grants one through Auth0's
/// <c>permissions</c> array or its <c>scope</c> string (see <see cref="Tokens.ScopePermissions"/>); exact, case-sensitive.
/// </summary>
public static class Allow
{
    public const string ReadMessages = "read:messages";
    public const string WriteMessages = "write:messages";
    public const string AdminAccess = "admin:access";

    /// <summary>Every scope a route may declare, with its meaning (the OpenAPI login's scope list; a test keeps them in step).</summary>
    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        [ReadMessages] = "Read messages",
        [WriteMessages] = "Create, edit and delete messages",
        [AdminAccess] = "Administrative access",
    };
}
