namespace MySecureApi.Features.DevIssuer;

/// <summary>Where the development issuer keeps its key (<c>DevIssuer:KeyPath</c>).</summary>
public sealed class DevIssuerOptions
{
    public const string Section = "DevIssuer";

    public string KeyPath { get; set; } = System.IO.Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.Create),
        "MySecureApi", "dev-signing-key.pem");
}
