namespace MySecureApi.Infrastructure.Errors;

/// <summary>RFC 6750 §3 <c>WWW-Authenticate</c> values, built only from fixed texts.</summary>
public static class BearerChallenge
{
    public const string Realm = "api";
    public const string Plain = $"Bearer realm=\"{Realm}\"";

    public static string WithError(string error, string description, string? scope = null) =>
        scope is null
            ? $"{Plain}, error=\"{error}\", error_description=\"{description}\""
            : $"{Plain}, error=\"{error}\", error_description=\"{description}\", scope=\"{scope}\"";
}
