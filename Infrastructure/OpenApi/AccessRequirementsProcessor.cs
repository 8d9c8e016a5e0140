using FastEndpoints.Swagger;
using FastEndpoints;
using MySecureApi.Infrastructure.Auth.Access;
using MySecureApi.Infrastructure.Errors;
using NJsonSchema;
using NSwag.Generation.Processors.Contexts;
using NSwag.Generation.Processors;
using NSwag;
using Namotion.Reflection;

namespace MySecureApi.Infrastructure.OpenApi;

/// <summary>
/// Documents each operation from the endpoint's own <c>Configure()</c>: its tags, the scopes it declares with
/// <c>Permissions(...)</c>, the claim rules it names with <c>Policies(...)</c>, whether it refuses delegated calls
/// (<c>x-delegated-calls</c>), and its error responses with the problem schema; anonymous operations get no security
/// requirement.
/// </summary>
internal sealed class AccessRequirementsProcessor(IReadOnlyList<string> securitySchemes, string? oauthScheme) : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        if (context.GetEndpointDefinition() is not { } endpoint)
            return true;
        var operation = context.OperationDescription.Operation;
        if (endpoint.EndpointTags is { Count: > 0 } tags)
            operation.Tags = [.. tags];

        // Error statuses a route declares itself (its Summary) carry the problem body too.
        foreach (var (status, response) in operation.Responses.ToList())
            if (int.TryParse(status, out var code) && code >= 400 && !response.Content.ContainsKey(ProblemBody.ContentType))
                AddProblem(context, status, response.Description);
        // Every route is behind the per-client-IP limit.
        AddProblem(context, "429", "Too many requests from this client (rate_limited); Retry-After says when to try again");
        if (endpoint.EndpointTags?.Contains(DocumentTags.DevelopmentIssuer) == true)
            AddProblem(context, "404", "The development issuer is not active, or the client is not on this machine (not_found)");

        if (endpoint.AnonymousVerbs is { Length: > 0 })
        {
            // An empty requirement: no credentials needed (an absent `security` would inherit nothing, but says nothing).
            operation.Security = [new OpenApiSecurityRequirement()];
            if (endpoint.ReqDtoType != typeof(EmptyRequest))
                AddProblem(context, "400", "The request is invalid");
            return true;
        }

        var scopes = endpoint.AllowedPermissions ?? [];
        var claims = (endpoint.PreBuiltUserPolicies ?? []).Select(name => ClaimRules.Requirements[name].Description)
            .Concat(endpoint.PreProcessorsList.OfType<IDescribedAccessRule>().Select(rule => rule.Description)).ToList();

        operation.Security = securitySchemes
            .Select(scheme => new OpenApiSecurityRequirement { [scheme] = scheme == oauthScheme ? scopes : [] })
            .ToList();
        operation.ExtensionData ??= new Dictionary<string, object?>();
        operation.ExtensionData["x-required-scopes"] = scopes;
        operation.ExtensionData["x-required-claims"] = claims;
        // RFC 8693 delegation: whether an agent may call this on a person's behalf (a token with an act claim).
        var refusesDelegation = Delegation.RefusesDelegatedCalls(endpoint);
        operation.ExtensionData["x-delegated-calls"] = refusesDelegation ? "refused" : "allowed";
        operation.Description = string.Join("\n\n", new[] { operation.Description, Requires(scopes, claims, endpoint.AllowAnyPermission) }.Where(t => !string.IsNullOrEmpty(t)));

        AddProblem(context, "400", "Malformed credentials (invalid_request) or an invalid request");
        AddProblem(context, "401", "No or invalid access token (unauthorized / invalid_token)");
        if (scopes.Count > 0 || claims.Count > 0)
            AddProblem(context, "403", (scopes.Count > 0 ? "Missing scope (insufficient_scope) or a failed claim rule (forbidden)" : "A claim rule failed (forbidden)")
                                       + (refusesDelegation ? "; a delegated token, which this route refuses (delegation_refused)" : ""));
        return true;
    }

    private static string Requires(List<string> scopes, List<string> claims, bool anyScope)
    {
        var rules = new List<string> { "a valid access token" };
        if (scopes.Count > 0)
            rules.Add($"scope {string.Join(anyScope ? " or " : " and ", scopes.Select(s => $"`{s}`"))} (in `scope` or `permissions`)");
        rules.AddRange(claims);
        return $"**Requires:** {string.Join("; ", rules)}.";
    }

    private static void AddProblem(OperationProcessorContext context, string status, string description)
    {
        var schema = context.SchemaGenerator.GenerateWithReference<JsonSchema>(typeof(ProblemBody).ToContextualType(), context.SchemaResolver);
        var response = new OpenApiResponse { Description = description };
        response.Content[ProblemBody.ContentType] = new OpenApiMediaType { Schema = schema };
        context.OperationDescription.Operation.Responses[status] = response;
    }
}
