using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MySecureApi.Infrastructure.DevIssuer;

/// <summary><c>dotnet run -- token [options]</c>: prints a development token and exits without starting the server.</summary>
public static class TokenCommand
{
    public const string Name = "token";

    public const string Help = """
        Usage: dotnet run -- token [options]

        Prints an access token from the built-in development issuer (Development, no AUTH0_DOMAIN) and exits.

        Options:
          --sub <id>              subject (default: dev|local-user)
          --scope "<a b>"         space-delimited scope claim, e.g. "read:messages admin:access"
          --permissions <a,b>     Auth0 RBAC permissions array (comma- or space-separated; repeatable)
          --claim <name=value>    extra claim (repeatable): true/false become booleans, numbers become numbers,
                                  a,b or a JSON array becomes an array, "\"123\"" stays a string
          --expires <duration>    lifetime: 90s, 30m, 1h (default), 7d; at most 30d
          --help                  this text

        One token for each route:
          /api/private    dotnet run -- token
          /api/messages   dotnet run -- token --scope read:messages
          /api/admin      dotnet run -- token --permissions admin:access --claim role=admin
          /api/org/org_1  dotnet run -- token --claim org_id=org_1
          /api/roles      dotnet run -- token --claim roles=editor,viewer
          /api/premium    dotnet run -- token --claim subscription=premium --claim verified=true

        To capture it (-v q keeps dotnet's own messages out of the output):
          TOKEN=$(dotnet run -v q -- token --scope read:messages)
          curl -H "Authorization: Bearer $TOKEN" http://localhost:3000/api/messages
        """;

    /// <summary>Runs the command; returns the process exit code.</summary>
    public static int Run(string[] args, IServiceProvider services, TextWriter stdout, TextWriter stderr)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            stdout.WriteLine(Help);
            return 0;
        }
        if (!services.GetRequiredService<IHostEnvironment>().IsDevelopment() || !DevIssuerSetup.IsActive(services))
        {
            stderr.WriteLine("error: the token command needs the development issuer: run in Development (dotnet run sets it) without AUTH0_DOMAIN");
            return 1;
        }
        try
        {
            var request = Parse(args);
            stdout.WriteLine(services.GetRequiredService<DevTokenFactory>().Mint(request).Token);
            return 0;
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            stderr.WriteLine("Run 'dotnet run -- token --help' for the options.");
            return 2;
        }
    }

    public static DevTokenRequest Parse(IReadOnlyList<string> args)
    {
        var request = new DevTokenRequest();
        for (var i = 0; i < args.Count; i++)
        {
            var option = args[i];
            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{option} needs a value");
            switch (option)
            {
                case "--sub":
                    request.Sub = value;
                    break;
                case "--scope":
                    request.Scope = string.Join(' ', new[] { request.Scope, value }.Where(s => !string.IsNullOrWhiteSpace(s)));
                    break;
                case "--permissions":
                    (request.Permissions ??= []).AddRange(value.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "--claim":
                    var (name, claim) = ParseClaim(value);
                    (request.Claims ??= [])[name] = claim;
                    break;
                case "--expires":
                    request.ExpiresIn = DevTokenRequest.ParseLifetime(value) is null
                        ? throw new ArgumentException($"--expires {value}: use a duration such as 30m, 1h or 7d (at most 30d)")
                        : value;
                    break;
                default:
                    throw new ArgumentException($"unknown option {option}");
            }
        }
        return request;
    }

    /// <summary><c>name=value</c> with JSON typing: booleans, numbers, arrays (JSON or comma-separated), JSON strings.</summary>
    public static (string Name, JsonNode? Value) ParseClaim(string text)
    {
        var separator = text.IndexOf('=');
        if (separator <= 0)
            throw new ArgumentException($"--claim {text}: use name=value, e.g. --claim role=admin");
        var (name, value) = (text[..separator].Trim(), text[(separator + 1)..].Trim());
        return (name, TypedValue(name, value));
    }

    private static JsonNode? TypedValue(string name, string value)
    {
        if (value is "true" or "false")
            return JsonValue.Create(value == "true");
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            return JsonValue.Create(integer);
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            return JsonValue.Create(number);
        if (value.StartsWith('[') || value.StartsWith('"') || value.StartsWith('{'))
        {
            try
            {
                return JsonNode.Parse(value);
            }
            catch (JsonException)
            {
                throw new ArgumentException($"--claim {name}: the value is not valid JSON");
            }
        }
        if (value.Contains(','))
            return new JsonArray(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => (JsonNode?)v).ToArray());
        return JsonValue.Create(value);
    }
}
