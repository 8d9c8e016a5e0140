using System.Net;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MySecureApi.Features.DevIssuer;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Features.DevIssuer;

/// <summary><c>dotnet run -- token</c>: option parsing, claim typing, and tokens that open exactly their route.</summary>
public sealed class TokenCommandTests(AppFixture app) : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("mysecureapi-token-");

    private string KeyPath => Path.Combine(dir.FullName, "key.pem");

    public void Dispose() => dir.Delete(recursive: true);

    [Theory]
    [InlineData("verified=true", "true")]
    [InlineData("verified=false", "false")]
    [InlineData("level=3", "3")]
    [InlineData("ratio=0.5", "0.5")]
    [InlineData("roles=editor,viewer", """["editor","viewer"]""")]
    [InlineData("roles=[\"editor\",\"viewer\"]", """["editor","viewer"]""")]
    [InlineData("org_id=\"123\"", "\"123\"")]
    [InlineData("role=admin", "\"admin\"")]
    [InlineData("subscription = premium", "\"premium\"")]
    public void Claim_values_get_their_json_types(string option, string json)
    {
        var (_, value) = TokenCommand.ParseClaim(option);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), value), $"{option} gave {value?.ToJsonString()}");
    }

    [Theory]
    [InlineData("noequals")]
    [InlineData("=value")]
    [InlineData("roles=[broken")]
    public void Malformed_claims_are_refused(string option) =>
        Assert.Throws<ArgumentException>(() => TokenCommand.ParseClaim(option));

    [Fact]
    public void Options_are_parsed()
    {
        var (request, _) = TokenCommand.Parse(["--sub", "auth0|42", "--scope", "read:messages admin:access", "--permissions", "a,b", "--permissions", "c", "--expires", "30m", "--claim", "role=admin"]);

        Assert.Equal("auth0|42", request.Sub);
        Assert.Equal("read:messages admin:access", request.Scope);
        Assert.Equal(["a", "b", "c"], request.Permissions);
        Assert.Equal("30m", request.ExpiresIn);
        Assert.Equal("admin", request.Claims!["role"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("--expires", "forever")]
    [InlineData("--expires", "31d")]
    [InlineData("--expires", "-5m")]
    [InlineData("--colour", "blue")]
    public void Bad_options_are_refused(string option, string value) =>
        Assert.Throws<ArgumentException>(() => TokenCommand.Parse([option, value]));

    [Fact]
    public void Audiences_are_added_and_must_be_absolute()
    {
        var (request, _) = TokenCommand.Parse(["--audience", "http://localhost:3000/mcp", "--audience", "https://other.example/api"]);

        Assert.Equal(["http://localhost:3000/mcp", "https://other.example/api"], request.Audiences);
        Assert.Throws<ArgumentException>(() => TokenCommand.Parse(["--audience", "mcp"]));
    }

    [Fact]
    public void Missing_value_is_refused() => Assert.Throws<ArgumentException>(() => TokenCommand.Parse(["--scope"]));

    [Fact]
    public async Task Help_explains_every_route()
    {
        var (exitCode, stdout, _) = await RunAsync("Development", "token", "--help");

        Assert.Equal(0, exitCode);
        foreach (var route in new[] { "/api/private", "/api/messages", "/api/admin", "/api/org/", "/api/roles", "/api/premium", "--expires" })
            Assert.Contains(route, stdout);
    }

    [Fact]
    public async Task Outside_development_the_command_refuses()
    {
        var (exitCode, stdout, stderr) = await RunAsync("Production", "token");

        Assert.Equal(1, exitCode);
        Assert.Empty(stdout);
        Assert.StartsWith("error: the token command needs the development issuer", stderr);
        Assert.False(File.Exists(KeyPath));
    }

    /// <summary>Options, a route the token opens, one it does not, and the scope that route asks for (null: a claim rule).</summary>
    public static TheoryData<string[], string, string, string?> RouteTokens => new()
    {
        { [], "/api/private", "/api/messages", "read:messages" },
        { ["--scope", "read:messages"], "/api/messages", "/api/admin", "admin:access" },
        { ["--permissions", "read:messages"], "/api/messages", "/api/roles", null },
        { ["--permissions", "admin:access", "--claim", "role=admin"], "/api/admin", "/api/messages", "read:messages" },
        { ["--claim", "org_id=org_1"], "/api/org/org_1", "/api/org/org_2", null },
        { ["--claim", "roles=editor,viewer"], "/api/roles", "/api/premium", null },
        { ["--claim", "subscription=premium", "--claim", "verified=true"], "/api/premium", "/api/admin", "admin:access" },
        { ["--claim", "subscription=premium", "--claim", "verified=\"true\""], "/api/private", "/api/premium", null },
    };

    [Theory]
    [MemberData(nameof(RouteTokens))]
    public async Task Each_token_opens_exactly_its_route(string[] options, string opens, string refuses, string? missingScope)
    {
        var (exitCode, stdout, stderr) = await RunAsync("Development", ["token", .. options]);
        Assert.True(exitCode == 0, stderr);
        var token = stdout.Trim();

        await using var host = app.With("Development", ("AUTH0_DOMAIN", null), ("AUTH0_AUDIENCE", null), ("DevIssuer:KeyPath", KeyPath));
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(opens, Ct)).StatusCode);
        var refused = await client.GetAsync(refuses, Ct);
        if (missingScope is null)
            await Problem.AssertForbiddenAsync(refused);
        else
            await Problem.AssertInsufficientScopeAsync(refused, missingScope);
    }

    [Fact]
    public async Task Token_carries_auth0_claim_types()
    {
        var (_, stdout, _) = await RunAsync("Development", "token", "--scope", "read:messages", "--permissions", "read:messages",
            "--claim", "verified=true", "--claim", "roles=editor,viewer", "--expires", "2h");

        var jwt = new JsonWebToken(stdout.Trim());
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(jwt.EncodedPayload))!.AsObject();
        Assert.Equal("RS256", jwt.Alg);
        Assert.False(string.IsNullOrEmpty(jwt.Kid));
        Assert.Equal("http://localhost:3000/", payload["iss"]!.GetValue<string>());
        Assert.Equal(System.Text.Json.JsonValueKind.String, payload["scope"]!.GetValueKind());
        Assert.Equal(System.Text.Json.JsonValueKind.Array, payload["permissions"]!.GetValueKind());
        Assert.Equal(System.Text.Json.JsonValueKind.True, payload["verified"]!.GetValueKind());
        Assert.Equal(System.Text.Json.JsonValueKind.Array, payload["roles"]!.GetValueKind());
        Assert.Equal(7200, payload["exp"]!.GetValue<long>() - payload["iat"]!.GetValue<long>());
    }

    [Fact]
    public async Task Dpop_option_prints_a_bound_token_and_a_curl_line_whose_proof_works_once()
    {
        var (exitCode, stdout, stderr) = await RunAsync("Development", "token", "--dpop", "--url", "http://localhost/api/private");
        Assert.True(exitCode == 0, stderr);
        var lines = stdout.Trim().Split('\n');
        var token = lines[0].Trim();
        var curl = System.Text.RegularExpressions.Regex.Match(lines[1], "^curl -X GET -H \"Authorization: DPoP (?<t>[^\"]+)\" -H \"DPoP: (?<p>[^\"]+)\" http://localhost/api/private$");
        Assert.True(curl.Success, lines[1]);
        Assert.Equal(token, curl.Groups["t"].Value);
        Assert.True(File.Exists(Path.Combine(dir.FullName, "dev-dpop-client-key.pem")));

        await using var host = app.With("Development", ("AUTH0_DOMAIN", null), ("AUTH0_AUDIENCE", null), ("DevIssuer:KeyPath", KeyPath));
        var client = host.CreateClient();
        async Task<HttpResponseMessage> SendAsync(string scheme)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/private");
            request.Headers.TryAddWithoutValidation("Authorization", $"{scheme} {token}");
            if (scheme == "DPoP")
                request.Headers.TryAddWithoutValidation("DPoP", curl.Groups["p"].Value);
            return await client.SendAsync(request, Ct);
        }

        Assert.Equal(HttpStatusCode.OK, (await SendAsync("DPoP")).StatusCode);
        var replayed = await Problem.AssertAsync(await SendAsync("DPoP"), HttpStatusCode.BadRequest, "invalid_dpop_proof", "Authentication required");
        Assert.Equal(MySecureApi.Infrastructure.Auth.DPoP.DPoPFailure.Replayed, replayed.GetProperty("detail").GetString());
        await Problem.AssertInvalidTokenAsync(await SendAsync("Bearer"), MySecureApi.Infrastructure.Auth.DPoP.DPoPFailure.BoundTokenAsBearer);
    }

    [Fact]
    public void Jkt_option_binds_the_token()
    {
        var (request, dpop) = TokenCommand.Parse(["--jkt", "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"]);

        Assert.Equal("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I", request.Jkt);
        Assert.False(dpop.PrintCurl);
    }

    private async Task<(int, string, string)> RunAsync(string environment, params string[] args)
    {
        await using var process = AppProcess.Start(dir.FullName, new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = environment,
            ["DevIssuer__KeyPath"] = KeyPath,
        }, args);
        return await process.ExitAsync(TimeSpan.FromSeconds(30));
    }
}
