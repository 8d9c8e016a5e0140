namespace MySecureApi.Infrastructure.Auth.Tokens;

/// <summary>What full validation learnt from the raw payload that the parsed token's claims do not say.</summary>
internal readonly record struct PayloadFacts(bool DPoPBound, bool CertificateBound, IReadOnlyList<string>? ArrayClaims);
