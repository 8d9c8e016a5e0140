namespace MySecureApi.Infrastructure.Auth.Challenges;

/// <summary>
/// Endpoint metadata: the route is a protected resource of its own (the MCP endpoint), described by the RFC 9728
/// document at <paramref name="Path"/>, which its challenges name in <c>resource_metadata</c>.
/// </summary>
public sealed record ResourceMetadataLocation(string Path);
