using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Auth.Settings;

namespace MySecureApi.Infrastructure.Auth.Keys;

/// <summary>
/// The issuers tokens may come from, each with a signing-key set of its own. A token's <c>iss</c> picks its issuer by
/// exact match; an <c>iss</c> that is not configured picks none, so no token can make the API contact a host.
/// </summary>
public sealed class TrustedIssuers : IDisposable
{
    private readonly CancellationTokenSource stopping = new();

    private readonly FrozenDictionary<string, SigningKeySource> byIssuer;

    public TrustedIssuers(Auth0Settings auth0, IOptions<KeySetOptions> keySet, TimeProvider time, ILogger<SigningKeySource> logger)
    {
        All = [.. auth0.Issuers.Select(issuer => new SigningKeySource(issuer, keySet.Value, time, logger))];
        byIssuer = All.ToFrozenDictionary(source => source.Issuer, StringComparer.Ordinal);
    }

    /// <summary>Every issuer, in configuration order.</summary>
    public IReadOnlyList<SigningKeySource> All { get; }

    /// <summary>The key set of <paramref name="issuer"/> (a token's unverified <c>iss</c>), or null when it is not trusted.</summary>
    public SigningKeySource? Find(string? issuer) => issuer is not null && byIssuer.TryGetValue(issuer, out var source) ? source : null;

    /// <summary>True once every issuer has a key set.</summary>
    public bool AllHaveKeys => All.All(source => source.HasKeys);

    /// <summary>Cancelled when the app stops: fetches in flight end at once instead of running into the process exit.</summary>
    public CancellationToken Stopping => stopping.Token;

    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
    }

    /// <summary>Starts every issuer's first fetch in the background.</summary>
    public void WarmUp()
    {
        foreach (var source in All)
            source.WarmUp();
    }
}
