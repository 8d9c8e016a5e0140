using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Auth.Mtls;

namespace MySecureApi.Features.DevIssuer;

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
          --audience <uri>        one more audience (repeatable), e.g. the MCP resource http://localhost:3000/mcp
          --expires <duration>    lifetime: 90s, 30m, 1h (default), 7d; at most 30d
          --jkt <thumbprint>      bind the token to a DPoP key (cnf.jkt): it must then be sent as "Authorization: DPoP"
          --dpop-key <path>       bind the token to this EC P-256 key (a PEM file, created if missing)
          --dpop                  bind to the local DPoP client key and also print a curl line with a fresh proof
          --bind-certificate <path>   bind the token to this client certificate (PEM or DER; cnf["x5t#S256"]):
                                  it is then accepted only over mutual TLS with that certificate (AUTH0_MTLS_MODE)
          --url <url>, --method <GET>   what the --dpop proof is for (default: the private route, GET)
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

        DPoP (each proof is single-use and valid for 5 minutes):
          dotnet run -v q -- token --dpop          # the bound token, then a ready curl line with a fresh proof

        An agent's token for the MCP endpoint (/mcp), see docs/agents.md:
          dotnet run -v q -- token --audience http://localhost:3000/mcp --permissions read:messages,write:messages

        Certificate-bound (see docs/tokens-and-dpop.md, "Certificate-bound tokens"):
          TOKEN=$(dotnet run -v q -- token --bind-certificate client.crt)
          curl --cert client.crt --key client.key --cacert server.crt -H "Authorization: Bearer $TOKEN" https://localhost:3443/api/private
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
            var (request, dpop) = Parse(args);
            using var client = dpop.KeyPath is null ? null
                : new DevDPoPClient(dpop.KeyPath == "" ? DevDPoPClient.DefaultPath(services.GetRequiredService<IOptions<DevIssuerOptions>>().Value) : dpop.KeyPath);
            if (client is not null)
                request.Jkt = client.Thumbprint;
            var factory = services.GetRequiredService<DevTokenFactory>();
            var token = factory.Mint(request).Token;
            stdout.WriteLine(token);
            if (dpop.PrintCurl)
            {
                var url = dpop.Url ?? $"{factory.Issuer}api/private";
                var proof = client!.Proof(dpop.Method, url, token, services.GetRequiredService<TimeProvider>().GetUtcNow());
                stdout.WriteLine($"curl -X {dpop.Method} -H \"Authorization: DPoP {token}\" -H \"DPoP: {proof}\" {url}");
            }
            return 0;
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            stderr.WriteLine("Run 'dotnet run -- token --help' for the options.");
            return 2;
        }
    }

    /// <summary>The command's DPoP choices: a key to bind to (empty path: the default one), and a curl line.</summary>
    public sealed record DPoPChoice(string? KeyPath = null, bool PrintCurl = false, string? Url = null, string Method = "GET");

    public static (DevTokenRequest Request, DPoPChoice DPoP) Parse(IReadOnlyList<string> args)
    {
        var request = new DevTokenRequest();
        var dpop = new DPoPChoice();
        for (var i = 0; i < args.Count; i++)
        {
            var option = args[i];
            if (option == "--dpop")
            {
                dpop = dpop with { KeyPath = dpop.KeyPath ?? "", PrintCurl = true };
                continue;
            }
            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{option} needs a value");
            switch (option)
            {
                case "--jkt":
                    request.Jkt = value;
                    break;
                case "--audience":
                    (request.Audiences ??= []).Add(Uri.TryCreate(value, UriKind.Absolute, out _) ? value : throw new ArgumentException($"--audience {value}: use an absolute URI"));
                    break;
                case "--bind-certificate":
                    request.CertificateThumbprint = CertificateThumbprint(value);
                    break;
                case "--dpop-key":
                    dpop = dpop with { KeyPath = value };
                    break;
                case "--url":
                    dpop = dpop with { Url = Uri.TryCreate(value, UriKind.Absolute, out _) ? value : throw new ArgumentException($"--url {value}: use an absolute URL") };
                    break;
                case "--method":
                    dpop = dpop with { Method = value.ToUpperInvariant() };
                    break;
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
        if ((dpop.Url is not null || dpop.Method != "GET") && !dpop.PrintCurl)
            throw new ArgumentException("--url and --method go with --dpop");
        return (request, dpop);
    }

    /// <summary>RFC 8705 <c>x5t#S256</c> of the certificate in a PEM or DER file.</summary>
    private static string CertificateThumbprint(string path)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificateFromFile(path);
            return CertificateBinding.ThumbprintOf(certificate.RawData);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new ArgumentException($"--bind-certificate {path}: not a readable certificate (PEM or DER)");
        }
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
