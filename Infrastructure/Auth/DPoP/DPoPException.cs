namespace MySecureApi.Infrastructure.Auth.DPoP;

/// <summary>A DPoP failure with its OAuth <c>error</c> (<c>invalid_dpop_proof</c>, <c>invalid_token</c> or <c>invalid_request</c>).</summary>
public sealed class DPoPException(string error, string description) : Exception(description)
{
    public string Error { get; } = error;

    public string Description { get; } = description;
}
