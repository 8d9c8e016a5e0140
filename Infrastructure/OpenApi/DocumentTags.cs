namespace MySecureApi.Infrastructure.OpenApi;

/// <summary>OpenAPI tags the document treats specially.</summary>
public static class DocumentTags
{
    /// <summary>
    /// Routes that exist only while the development issuer is active: left out of the document otherwise, and
    /// documented with their 404 when it is not active or the client is not on this machine.
    /// </summary>
    public const string DevelopmentIssuer = "Development issuer";
}
