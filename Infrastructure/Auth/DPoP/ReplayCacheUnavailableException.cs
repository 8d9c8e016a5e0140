namespace MySecureApi.Infrastructure.Auth.DPoP;

/// <summary>The replay cache cannot answer (full, or its store is unreachable): DPoP requests fail closed with 503.</summary>
public sealed class ReplayCacheUnavailableException(string message) : Exception(message);
