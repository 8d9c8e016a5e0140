using System.Reflection;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using FastEndpoints;
using Microsoft.Extensions.AI;
using ModelContextProtocol.Protocol;
using MySecureApi.Infrastructure.Auth.Access;

namespace MySecureApi.Features.Mcp;

/// <summary>
/// An HTTP route as an MCP tool, read from the route's own definition: its verb and path, its request type (the
/// tool's input schema, and which argument goes to the path, the query, a header or the body), the permissions and
/// rules its <c>Configure()</c> declares, its summary. Nothing of the route is written here a second time.
/// </summary>
internal sealed partial class RouteTool
{
    private readonly Dictionary<string, (PropertyInfo Property, Place Place, string Name)> arguments;

    public enum Place { Path, Query, Header, Body }

    public RouteTool(string name, EndpointDefinition endpoint, ToolAnnotations hints)
    {
        Name = name;
        Endpoint = endpoint;
        Verb = endpoint.Verbs[0];
        Route = "/" + endpoint.Routes[0].TrimStart('/');
        arguments = endpoint.ReqDtoType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .ToDictionary(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name), p => (p, PlaceOf(p, Route), NameOf(p)), StringComparer.Ordinal);
        Protocol = new Tool
        {
            Name = name,
            Title = endpoint.EndpointSummary?.Summary,
            Description = $"{endpoint.EndpointSummary?.Summary}: {Verb} {RouteConstraint().Replace(Route, "}")}. {endpoint.EndpointSummary?.Description}".Trim(),
            InputSchema = InputSchema(endpoint.ReqDtoType, arguments.Where(a => a.Value.Place == Place.Path).Select(a => a.Key)),
            Annotations = hints,
        };
    }

    public string Name { get; }

    public EndpointDefinition Endpoint { get; }

    public string Verb { get; }

    public string Route { get; }

    public Tool Protocol { get; }

    /// <summary>Whether the route's declared rules let <paramref name="user"/> call it (what <c>tools/list</c> shows).</summary>
    public bool Permits(ClaimsPrincipal user) => EndpointAccess.Permits(user, Endpoint);

    /// <summary>Where an argument goes, by its name in the schema; false for a name the request type does not have.</summary>
    public bool TryPlace(string argument, out Place place, out string name)
    {
        var found = arguments.TryGetValue(argument, out var entry);
        (place, name) = found ? (entry.Place, entry.Name) : (default, "");
        return found;
    }

    private static Place PlaceOf(PropertyInfo property, string route) =>
        property.GetCustomAttribute<FromHeaderAttribute>() is not null ? Place.Header
        : property.GetCustomAttribute<QueryParamAttribute>() is not null ? Place.Query
        : route.Contains($"{{{JsonNamingPolicy.CamelCase.ConvertName(property.Name)}", StringComparison.OrdinalIgnoreCase) ? Place.Path
        : Place.Body;

    private static string NameOf(PropertyInfo property) =>
        property.GetCustomAttribute<FromHeaderAttribute>()?.HeaderName ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    /// <summary>
    /// The request type's JSON schema — with the bounds its properties declare (lengths, ranges, patterns, required),
    /// the same the OpenAPI document shows — closed to other members; route values required, and no upper bound on an
    /// id beyond what a JSON number holds exactly.
    /// </summary>
    private static JsonElement InputSchema(Type request, IEnumerable<string> routeValues)
    {
        var schema = JsonNode.Parse(AIJsonUtilities.CreateJsonSchema(request, serializerOptions: JsonSerializerOptions.Web,
            inferenceOptions: new AIJsonSchemaCreateOptions { TransformOptions = new AIJsonSchemaTransformOptions { DisallowAdditionalProperties = true } }).GetRawText())!.AsObject();
        var required = schema["required"]?.AsArray() ?? [];
        foreach (var name in routeValues)
        {
            if (!required.Any(r => r?.GetValue<string>() == name))
                required.Add(name);
            if (schema["properties"]?[name] is JsonObject property && property["maximum"]?.GetValue<double>() > MaxExactJsonInteger)
                property.Remove("maximum");
        }
        schema["required"] = required;
        return JsonSerializer.SerializeToElement(schema);
    }

    /// <summary>2^53: past it a JSON number no longer holds every integer exactly.</summary>
    private const double MaxExactJsonInteger = 9_007_199_254_740_992;

    [System.Text.RegularExpressions.GeneratedRegex(@":[a-z]+\}")]
    private static partial System.Text.RegularExpressions.Regex RouteConstraint();
}
