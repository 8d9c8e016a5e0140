using System.Net.Http.Headers;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using MySecureApi.Tests.Fixtures;
using NJsonSchema.CodeGeneration.CSharp;
using NSwag;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;

namespace MySecureApi.Tests.OpenApi;

/// <summary>
/// The OpenAPI document proved the way it is consumed: a C# client is generated from the served document (NSwag's
/// generator, as `nswag openapi2csclient` would), compiled, and used to call every route — its success and the
/// documented errors a client can provoke — against a development-issuer host. A document that described a request
/// the API does not take (a header under another name, a body where none is read) makes these calls fail.
/// </summary>
public sealed class GeneratedClientTests(AppFixture app)
{
    private const string Prefix = "MySecureApiFeatures";

    /// <summary>Calls one operation of the generated client; its status, its body (on success) and its response headers.</summary>
    private sealed class Caller(object client, Assembly generated, HttpClient http)
    {
        public string? Token { get; set; }

        public object New(string schema, params (string Name, object? Value)[] members)
        {
            var instance = Activator.CreateInstance(generated.GetType($"Generated.{schema}", throwOnError: true)!)!;
            foreach (var (name, value) in members)
                instance.GetType().GetProperty(name)!.SetValue(instance, value);
            return instance;
        }

        public async Task<(int Status, object? Body, IReadOnlyDictionary<string, IEnumerable<string>> Headers)> CallAsync(
            string operation, params (string Name, object? Value)[] arguments)
        {
            http.DefaultRequestHeaders.Authorization = Token is null ? null : new AuthenticationHeaderValue("Bearer", Token);
            var method = client.GetType().GetMethods().Single(m => m.Name == $"{Prefix}{operation}EndpointAsync"
                                                                 && m.GetParameters().LastOrDefault()?.ParameterType != typeof(CancellationToken));
            // "body" is the request body, whatever the generator named its parameter (after the schema).
            var values = method.GetParameters().Select(p => arguments.FirstOrDefault(a => a.Name == p.Name
                || (a.Name == "body" && p.ParameterType.Namespace == "Generated")).Value).ToArray();
            Assert.All(arguments, a => Assert.Contains(method.GetParameters(), p => p.Name == a.Name || (a.Name == "body" && p.ParameterType.Namespace == "Generated")));
            try
            {
                var task = (Task)method.Invoke(client, values)!;
                await task;
                var response = task.GetType().GetProperty("Result")!.GetValue(task)!;
                return ((int)response.GetType().GetProperty("StatusCode")!.GetValue(response)!,
                    response.GetType().GetProperty("Result")?.GetValue(response),
                    (IReadOnlyDictionary<string, IEnumerable<string>>)response.GetType().GetProperty("Headers")!.GetValue(response)!);
            }
            catch (Exception e) when (e.GetType().Name.StartsWith("ApiException", StringComparison.Ordinal))
            {
                return ((int)e.GetType().GetProperty("StatusCode")!.GetValue(e)!, null,
                    (IReadOnlyDictionary<string, IEnumerable<string>>)e.GetType().GetProperty("Headers")!.GetValue(e)!);
            }
        }
    }

    private static object? Member(object? body, string name) => body?.GetType().GetProperty(name)?.GetValue(body);

    private static async Task<Assembly> GenerateAndCompileAsync(string json)
    {
        var document = await OpenApiDocument.FromJsonAsync(json);
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "MySecureApiClient",
            UseBaseUrl = false,
            WrapResponses = true,
            GenerateClientInterfaces = false,
            OperationNameGenerator = new SingleClientFromOperationIdOperationNameGenerator(),
            CSharpGeneratorSettings = { Namespace = "Generated", JsonLibrary = CSharpJsonLibrary.SystemTextJson },
        };
        var code = new CSharpClientGenerator(document, settings).GenerateFile();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create($"Generated{Guid.NewGuid():N}", [CSharpSyntaxTree.ParseText(code, cancellationToken: Ct)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image, cancellationToken: Ct);
        Assert.True(emitted.Success, string.Join('\n', emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        image.Position = 0;
        return new AssemblyLoadContext(null, isCollectible: true).LoadFromStream(image);
    }

    [Fact]
    public async Task A_client_generated_from_the_served_document_calls_every_route()
    {
        await using var dev = new DevIssuerHost(app, ("Database:SqlitePath", TestFiles.NewSqlitePath()));
        var http = dev.CreateClient();
        var generated = await GenerateAndCompileAsync(await http.GetStringAsync("/swagger/v1/swagger.json", Ct));
        var api = new Caller(Activator.CreateInstance(generated.GetType("Generated.MySecureApiClient")!, http)!, generated, http);
        const string devToken = "DevIssuerPostToken";
        async Task<string> MintAsync(params (string Name, object? Value)[] members)
        {
            var (status, body, _) = await api.CallAsync(devToken, ("body", api.New($"{Prefix}DevIssuerDevTokenRequest", members)));
            Assert.Equal(200, status);
            return (string)Member(body, "AccessToken")!;
        }

        // Anonymous routes, and the development issuer's own.
        api.Token = null;
        foreach (var operation in new[] { "PublicGetPublic", "HealthGetHealth", "HealthGetReady", "WellKnownGetProtectedResource", "DevIssuerGetOpenIdConfiguration", "DevIssuerGetJwks" })
            Assert.Equal((operation, 200), (operation, (await api.CallAsync(operation)).Status));
        Assert.Equal(400, (await api.CallAsync(devToken, ("body", api.New($"{Prefix}DevIssuerDevTokenRequest", ("ExpiresIn", "100y"))))).Status);

        var plain = await MintAsync();
        var reader = await MintAsync(("Scope", "read:messages"));
        var writer = await MintAsync(("Scope", "read:messages write:messages"));
        var otherWriter = await MintAsync(("Sub", "auth0|someone-else"), ("Scope", "read:messages write:messages"));
        var admin = await MintAsync(("Permissions", new List<string> { "admin:access" }), ("Claims", Claims(("role", "admin"))));

        // Routes behind a token or a claim rule: 401 without a token, 200 with the right one, 403 with another.
        (string Operation, (string, object?)[] Arguments, string Right)[] ruled =
        [
            ("PrivateGetPrivate", [], plain),
            ("AdminGetAdmin", [], admin),
            ("OrgGetOrg", [("orgId", "org_1")], await MintAsync(("Claims", Claims(("org_id", "org_1"))))),
            ("RolesGetRoles", [], await MintAsync(("Claims", Claims(("roles", new System.Text.Json.Nodes.JsonArray("editor", "viewer")))))),
            ("PremiumGetPremium", [], await MintAsync(("Claims", Claims(("subscription", "premium"), ("verified", true))))),
            ("MessagesGetMessages", [("limit", 10)], reader),
        ];
        foreach (var (operation, arguments, right) in ruled)
        {
            api.Token = null;
            Assert.Equal((operation, 401), (operation, (await api.CallAsync(operation, arguments)).Status));
            api.Token = right;
            Assert.Equal((operation, 200), (operation, (await api.CallAsync(operation, arguments)).Status));
            api.Token = operation == "PrivateGetPrivate" ? $"{plain}x" : plain;
            Assert.Equal((operation, operation == "PrivateGetPrivate" ? 401 : 403), (operation, (await api.CallAsync(operation, arguments)).Status));
        }

        // The messages: create (with an idempotency key), read, conditional read, update and delete with If-Match.
        api.Token = reader;
        Assert.Equal(400, (await api.CallAsync("MessagesGetMessages", ("limit", 0))).Status);
        Assert.Equal(403, (await api.CallAsync("MessagesPostMessage", ("body", Text("no write scope")))).Status);
        api.Token = writer;
        Assert.Equal(400, (await api.CallAsync("MessagesPostMessage", ("body", Text("   ")))).Status);
        var created = await api.CallAsync("MessagesPostMessage", ("idempotency_Key", "generated-client-1"), ("body", Text("from a generated client")));
        Assert.Equal(201, created.Status);
        var replay = await api.CallAsync("MessagesPostMessage", ("idempotency_Key", "generated-client-1"), ("body", Text("from a generated client")));
        Assert.Equal((201, "true"), (replay.Status, replay.Headers["Idempotent-Replayed"].Single()));
        var id = (long)Member(created.Body, "Id")!;
        var etag = created.Headers["ETag"].Single();
        Assert.Equal(200, (await api.CallAsync("MessagesGetMessage", ("id", id))).Status);
        Assert.Equal(304, (await api.CallAsync("MessagesGetMessage", ("id", id), ("if_None_Match", etag))).Status);
        Assert.Equal(404, (await api.CallAsync("MessagesGetMessage", ("id", 999_999L))).Status);
        api.Token = otherWriter;
        Assert.Equal(403, (await api.CallAsync("MessagesPutMessage", ("id", id), ("body", NewText("not mine")))).Status);
        Assert.Equal(403, (await api.CallAsync("MessagesDeleteMessage", ("id", id))).Status);
        api.Token = writer;
        var updated = await api.CallAsync("MessagesPutMessage", ("id", id), ("if_Match", etag), ("body", NewText("edited")));
        Assert.Equal(200, updated.Status);
        Assert.Equal(412, (await api.CallAsync("MessagesPutMessage", ("id", id), ("if_Match", etag), ("body", NewText("stale")))).Status);
        Assert.Equal(400, (await api.CallAsync("MessagesPutMessage", ("id", id), ("body", NewText("")))).Status);
        Assert.Equal(404, (await api.CallAsync("MessagesPutMessage", ("id", 999_999L), ("body", NewText("x")))).Status);
        Assert.Equal(412, (await api.CallAsync("MessagesDeleteMessage", ("id", id), ("if_Match", etag))).Status);
        Assert.Equal(204, (await api.CallAsync("MessagesDeleteMessage", ("id", id), ("if_Match", updated.Headers["ETag"].Single()))).Status);
        Assert.Equal(404, (await api.CallAsync("MessagesDeleteMessage", ("id", id))).Status);

        object Text(string text) => api.New($"{Prefix}MessagesPostMessageRequest", ("Text", text));
        object NewText(string text) => api.New($"{Prefix}MessagesPutMessageRequest", ("Text", text));
    }

    private static Dictionary<string, object> Claims(params (string Name, object Value)[] claims) =>
        claims.ToDictionary(c => c.Name, c => c.Value);
}
