using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using MySecureApi.Infrastructure.Auth.DPoP;
using MySecureApi.Infrastructure.Auth.Mtls;
using MySecureApi.Infrastructure.Auth.Settings;

namespace MySecureApi.Infrastructure.Auth.Tokens;

/// <summary>
/// The token rules of docs/http-api.md that Microsoft.IdentityModel does not check on its own: <c>typ</c> (case-insensitive),
/// <c>crit</c>, <c>kid</c>, NumericDate types, a future <c>iat</c>, <c>sub</c>, the RFC 9068 profile and <c>maxTokenAge</c>.
/// Its clock is the system clock, the one Microsoft.IdentityModel judges <c>exp</c> and <c>nbf</c> by.
/// </summary>
internal sealed class TokenRules(Auth0Settings options, IOptions<DPoPOptions> dpop, IOptions<MtlsOptions> mtls)
{
    private static readonly string[] ProfileTypes = ["at+jwt", "application/at+jwt"];

    /// <summary>
    /// Header rules; plugged in as <see cref="TokenValidationParameters.TypeValidator"/>, which runs before the
    /// signature (<see cref="TokenValidationParameters.ValidateSignatureLast"/>) so a disallowed algorithm is named as such.
    /// </summary>
    public string ValidateHeader(string? type, SecurityToken token, TokenValidationParameters parameters)
    {
        var jwt = (JsonWebToken)token;
        if (!options.Algorithms.Contains(jwt.Alg, StringComparer.Ordinal))
            throw new TokenRuleException(TokenFailure.AlgorithmNotAllowed);
        if (jwt.TryGetHeaderValue<object>("crit", out _))
            throw new TokenRuleException(TokenFailure.UnsupportedCritical);
        if (jwt.TryGetHeaderValue<object>("zip", out _))
            throw new TokenRuleException(TokenFailure.Malformed);
        ScanMembers(jwt.EncodedHeader, isPayload: false);
        if (string.IsNullOrEmpty(jwt.Kid))
            throw new TokenRuleException(TokenFailure.UnknownKey);
        if (!IsAllowedType(jwt.TryGetHeaderValue<string>(JwtHeaderParameterNames.Typ, out var typ) ? typ : null))
            throw new TokenRuleException(TokenFailure.TypeNotAllowed);
        return type ?? "";
    }

    private bool IsAllowedType(string? type)
    {
        if (type is null)
            return !options.StrictAccessTokenProfile;
        if (ProfileTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
            return true;
        return !options.StrictAccessTokenProfile && type.Equals("JWT", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Payload rules, run after the signature, issuer, audience and lifetime have been validated. Returns what the
    /// identity needs from the raw JSON: how the token is bound and which claims were arrays.
    /// </summary>
    public PayloadFacts ValidatePayload(JsonWebToken jwt)
    {
        var facts = ScanMembers(jwt.EncodedPayload, isPayload: true);
        var present = facts.Present;

        if (options.StrictAccessTokenProfile && (present & Members.Profile) != Members.Profile)
            throw new TokenRuleException(TokenFailure.MissingClaim);

        var hasIat = (present & Members.IssuedAt) != 0;
        if (hasIat && jwt.IssuedAt > DateTime.UtcNow + options.ClockTolerance)
            throw new TokenRuleException(TokenFailure.IssuedInFuture);
        if (options.MaxTokenAge is not null && !hasIat)
            throw new TokenRuleException(TokenFailure.MissingClaim);
        if (IsTooOld(jwt.IssuedAt))
            throw new TokenRuleException(TokenFailure.TooOld);
        var dpopBound = (facts.Binding & Binding.Key) != 0;
        if (dpopBound && !dpop.Value.AcceptsDPoP)
            throw new TokenRuleException(DPoPFailure.BoundTokenNotAccepted);
        if (facts.Thumbprint is null && mtls.Value.RequiresBound)
            throw new TokenRuleException(MtlsFailure.TokenNotBound);
        return new PayloadFacts(dpopBound, facts.Thumbprint, facts.Arrays, facts.Actors);
    }

    /// <summary><c>maxTokenAge</c>: a rule time can break, so it also runs on every verified-token cache hit.</summary>
    public bool IsTooOld(DateTime issuedAt) =>
        options.MaxTokenAge is { } maxAge && issuedAt + maxAge + options.ClockTolerance < DateTime.UtcNow;

    /// <summary>Payload members the rules ask about, as <see cref="ScanMembers"/> finds them.</summary>
    [Flags]
    private enum Members
    {
        None = 0,
        IssuedAt = 1,
        ClientId = 2,
        TokenId = 4,
        Profile = IssuedAt | ClientId | TokenId,
    }

    /// <summary>What <c>cnf</c> binds the token to: a DPoP key (<c>jkt</c>), a client certificate (<c>x5t#S256</c>), or both.</summary>
    [Flags]
    private enum Binding
    {
        None = 0,
        Key = 1,
        Certificate = 2,
    }

    private readonly record struct Scan(Members Present, Binding Binding, string? Thumbprint, List<string>? Arrays, List<string>? Actors = null);

    /// <summary>
    /// Checks the JSON itself, which Microsoft.IdentityModel does not expose: no member may appear twice (RFC 7515 §4,
    /// RFC 7519 §4), and in the payload NumericDates must be numbers and <c>sub</c> a non-empty string — the parser
    /// converts <c>"exp":"123"</c> to a number and <c>"sub":42</c> to a string. Also reports which of
    /// <see cref="Members"/> the payload has (asking the parsed token builds all its claims), how <c>cnf</c> binds
    /// it, and which claims are JSON arrays (the parsed token makes one claim per element, so a one-element array
    /// would look like a single value).
    /// </summary>
    private Scan ScanMembers(string encoded, bool isPayload)
    {
        var reader = new Utf8JsonReader(Base64UrlEncoder.DecodeBytes(encoded));
        var seen = new HashSet<string>(16, StringComparer.Ordinal);
        var hasSubject = false;
        var present = Members.None;
        var bound = Binding.None;
        string? thumbprint = null;
        List<string>? arrays = null;
        List<string>? actors = null;
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (!seen.Add(name))
                throw new TokenRuleException(TokenFailure.Malformed);
            reader.Read();
            if (!isPayload)
            {
                reader.Skip();
                continue;
            }
            if (name is "exp" or "nbf" or "iat" && reader.TokenType != JsonTokenType.Number)
                throw new TokenRuleException(TokenFailure.Malformed);
            present |= name switch
            {
                "iat" => Members.IssuedAt,
                "client_id" => Members.ClientId,
                "jti" => Members.TokenId,
                _ => Members.None,
            };
            if (name == "sub")
                hasSubject = reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0;
            if (name == "cnf")
                (bound, thumbprint) = ReadBinding(ref reader);
            else if (name == "act")
                ReadActor(ref reader, actors = []);
            else if (reader.TokenType == JsonTokenType.StartArray)
                (arrays ??= []).Add(name);
            reader.Skip();
        }
        if (isPayload && !hasSubject)
            throw new TokenRuleException(TokenFailure.MissingClaim);
        return new Scan(present, bound, thumbprint, arrays, actors);
    }

    /// <summary>
    /// Reads <c>cnf</c> (RFC 7800), leaving the reader on its last token: what it binds the token to — a DPoP key
    /// (<c>jkt</c>, RFC 9449), and, while certificate-bound tokens are accepted, a client certificate (<c>x5t#S256</c>,
    /// RFC 8705 §3.1, which must then be a well-formed thumbprint). Any other confirmation method (<c>jwk</c>,
    /// <c>kid</c>…), <c>x5t#S256</c> with mTLS off, or a <c>cnf</c> that names none, binds the token to something this
    /// API cannot check: the token is refused.
    /// </summary>
    private (Binding Binding, string? Thumbprint) ReadBinding(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new TokenRuleException(TokenFailure.UnsupportedBinding);
        var binding = Binding.None;
        string? thumbprint = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var method = reader.ValueTextEquals("jkt"u8) ? Binding.Key
                : reader.ValueTextEquals("x5t#S256"u8) && mtls.Value.AcceptsBound ? Binding.Certificate
                : Binding.None;
            if (method == Binding.None || (binding & method) != 0)
                throw new TokenRuleException(TokenFailure.UnsupportedBinding);
            reader.Read();
            if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length == 0)
                throw new TokenRuleException(method == Binding.Certificate ? MtlsFailure.MalformedThumbprint : TokenFailure.UnsupportedBinding);
            if (method == Binding.Certificate)
            {
                thumbprint = reader.GetString()!;
                if (!CertificateBinding.IsWellFormed(thumbprint))
                    throw new TokenRuleException(MtlsFailure.MalformedThumbprint);
            }
            binding |= method;
        }
        return binding != Binding.None ? (binding, thumbprint) : throw new TokenRuleException(TokenFailure.UnsupportedBinding);
    }

    /// <summary>
    /// Reads an <c>act</c> claim (RFC 8693 §4.1), leaving the reader on its last token: an object whose <c>sub</c> is the
    /// actor, and whose own <c>act</c>, if any, the actor before it. <paramref name="chain"/> gets the actors, the current
    /// one first. At most <see cref="ActorChain.MaxDepth"/> of them, each a <c>sub</c> of 1–256 characters; other members
    /// are ignored.
    /// </summary>
    private static void ReadActor(ref Utf8JsonReader reader, List<string> chain)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new TokenRuleException(TokenFailure.MalformedActor);
        if (chain.Count == ActorChain.MaxDepth)
            throw new TokenRuleException(TokenFailure.ActorChainTooDeep);
        var at = chain.Count;
        chain.Add("");
        var subject = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("sub"u8))
            {
                reader.Read();
                if (subject || reader.TokenType != JsonTokenType.String || reader.GetString() is not { Length: > 0 and <= ActorChain.MaxSubjectLength } sub)
                    throw new TokenRuleException(TokenFailure.MalformedActor);
                chain[at] = sub;
                subject = true;
            }
            else if (reader.ValueTextEquals("act"u8))
            {
                reader.Read();
                if (chain.Count > at + 1)
                    throw new TokenRuleException(TokenFailure.MalformedActor);
                ReadActor(ref reader, chain);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (!subject)
            throw new TokenRuleException(TokenFailure.MalformedActor);
    }
}
