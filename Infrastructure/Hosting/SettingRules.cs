namespace MySecureApi.Infrastructure.Hosting;

/// <summary>The one-line start-up errors of settings, in the style of <c>AUTH0_DOMAIN</c>'s: the key, the rule, an example.</summary>
public static class SettingRules
{
    /// <summary>The error for a number outside <paramref name="min"/>..<paramref name="max"/>, or null when it is inside.</summary>
    public static string? Range(string key, int value, int min, int max, int example) =>
        value >= min && value <= max ? null : $"{key} must be between {min} and {max}, e.g. {key}={example}";
}
