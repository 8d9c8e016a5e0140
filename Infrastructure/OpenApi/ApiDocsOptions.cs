namespace MySecureApi.Infrastructure.OpenApi;

/// <summary>Swagger UI (<c>Swagger:Enabled</c>; default: Development only).</summary>
public sealed class ApiDocsOptions
{
    public const string Section = "Swagger";

    public bool? Enabled { get; set; }
}
