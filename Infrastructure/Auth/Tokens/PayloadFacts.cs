namespace MySecureApi.Infrastructure.Auth.Tokens;

/// <summary>
/// What full validation learnt from the raw payload that the parsed token's claims do not say: whether it is bound to a
/// DPoP key, the client certificate it is bound to (<c>x5t#S256</c>), which claims were arrays, and who acts for the
/// subject (<c>act</c>, the current actor first).
/// </summary>
internal readonly record struct PayloadFacts(bool DPoPBound, string? CertificateThumbprint, IReadOnlyList<string>? ArrayClaims, IReadOnlyList<string>? Actors);
