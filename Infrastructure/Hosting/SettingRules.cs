using Microsoft.Extensions.Options;

namespace MySecureApi.Infrastructure.Hosting;

/// <summary>The one-line start-up errors of settings, in the style of <c>AUTH0_DOMAIN</c>'s: the key, the rule, an example.</summary>
public static class SettingRules
{
    /// <summary>The error for a number outside <paramref name="min"/>..<paramref name="max"/>, or null when it is inside.</summary>
    public static string? Range(string key, int value, int min, int max, int example) =>
        value >= min && value <= max ? null : $"{key} must be between {min} and {max}, e.g. {key}={example}";

    /// <summary>The first of <paramref name="errors"/> that is not null as the failure, or success when all are null.</summary>
    public static ValidateOptionsResult FirstFailure(params string?[] errors) =>
        errors.FirstOrDefault(error => error is not null) is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
}
