namespace MySecureApi.Infrastructure.Cors;

/// <summary>Origins allowed to call the API from a browser (<c>ALLOWED_ORIGIN</c>, comma-separated); empty means any origin (<c>*</c>).</summary>
public sealed class CorsOriginsOptions
{
    public const string Section = "Cors";

    public string[] AllowedOrigins { get; set; } = [];
}
