using NJsonSchema;
using NSwag;

namespace MySecureApi.Infrastructure.OpenApi;

/// <summary>
/// Last touches to the served document so that it lints clean: the server is the path the document was fetched under
/// (NSwag writes the requesting host, e.g. localhost), no component schema nothing refers to, and no <c>nullable</c>
/// on a schema without a <c>type</c> (invalid in OpenAPI 3.0; NSwag writes it for "any JSON value or null").
/// </summary>
internal static class ApiDocumentCleanup
{
    public static void Apply(OpenApiDocument document, HttpRequest request)
    {
        document.Servers.Clear();
        document.Servers.Add(new OpenApiServer { Url = request.PathBase.HasValue ? request.PathBase.Value : "/" });
        RemoveUnusedSchemas(document);
        var seen = new HashSet<JsonSchema>();
        foreach (var schema in document.Components.Schemas.Values)
            DropUntypedNullable(schema, seen);
    }

    private static void RemoveUnusedSchemas(OpenApiDocument document)
    {
        while (document.Components.Schemas.Count > 0)
        {
            var json = document.ToJson();
            var unused = document.Components.Schemas.Keys.Where(name => !json.Contains($"\"#/components/schemas/{name}\"", StringComparison.Ordinal)).ToList();
            if (unused.Count == 0)
                return;
            foreach (var name in unused)
                document.Components.Schemas.Remove(name);
        }
    }

    private static void DropUntypedNullable(JsonSchema? schema, HashSet<JsonSchema> seen)
    {
        if (schema is null || !seen.Add(schema))
            return;
        if (schema.Type == JsonObjectType.None && schema.Reference is null && schema.IsNullableRaw == true)
            schema.IsNullableRaw = null;
        foreach (var property in schema.Properties.Values)
            DropUntypedNullable(property, seen);
        DropUntypedNullable(schema.AdditionalPropertiesSchema, seen);
        DropUntypedNullable(schema.Item, seen);
        foreach (var part in schema.AllOf.Concat(schema.OneOf).Concat(schema.AnyOf))
            DropUntypedNullable(part, seen);
    }
}
