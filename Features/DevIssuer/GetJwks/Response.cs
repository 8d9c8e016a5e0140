namespace MySecureApi.Features.DevIssuer.GetJwks;

internal sealed record Response(IReadOnlyList<Key> Keys);

internal sealed record Key(string Kty, string Use, string Alg, string Kid, string N, string E);
