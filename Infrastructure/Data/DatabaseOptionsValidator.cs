using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Hosting;

namespace MySecureApi.Infrastructure.Data;

/// <summary>A database that can be reached, named in the start-up error like every other setting.</summary>
internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Url) && options.ConnectionString.Length == 0)
            return ValidateOptionsResult.Fail($"{SeedVariables.DatabaseUrl} is not a PostgreSQL URL: set it like {SeedVariables.DatabaseUrl}=postgres://user:password@db.example.com:5432/messages");
        if (!Enum.IsDefined(options.Provider))
            return ValidateOptionsResult.Fail("Database:Provider must be Sqlite or PostgreSQL, e.g. Database:Provider=PostgreSQL");
        if (options.ConnectionString.Length == 0)
            return ValidateOptionsResult.Fail($"Database:Provider is PostgreSQL but no connection is configured: set {SeedVariables.DatabaseUrl}=postgres://user:password@host:5432/messages or ConnectionStrings:Messages");
        var error = SettingRules.Range("Database:CommandTimeoutSeconds", options.CommandTimeoutSeconds, 1, 300, 5)
                    ?? SettingRules.Range("Database:ConnectTimeoutSeconds", options.ConnectTimeoutSeconds, 1, 300, 3);
        return error is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(error);
    }
}
