#!/usr/bin/env python3
"""Scripted mutation testing: small deliberate breaks of the production code, one at a time (patch, build, run the
tests of that concern, revert), in a throwaway copy of the working tree, so the tree itself is never mutated.

A mutant is *killed* when at least one test fails, *survives* when all pass. Writes artifacts/mutation/report.md.
Usage: python3 scripts/mutation.py [--only ID[,ID…]] [--full]   (--full runs the whole suite for every mutant)
"""
import argparse, os, re, shutil, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
A = "Infrastructure/Auth/"

# Test classes per concern (a mutant runs these; --full runs everything).
TOKENS = ["Auth.TokenValidationTests", "Auth.TokenProfileTests", "Auth.HostileInputCorpusTests", "Auth.TokenBindingTests"]
CACHE = ["Auth.VerifiedTokenCacheTests", "Auth.SigningKeySetTests"]
CREDENTIALS = ["Auth.AuthorizationHeaderTests", "Auth.RawAuthorizationHeaderTests", "Auth.CredentialsReaderTests"]
KEYS = ["Auth.SigningKeySetTests", "Features.Health.GetReadyTests", "Hosting.ConfigurationTests"]
DPOP = ["Auth.DPoPTests", "Auth.VerifiedTokenCacheTests"]
MTLS = ["Auth.CertificateBoundTokenTests", "Auth.HostileInputCorpusTests", "Auth.TokenBindingTests"]
DELEGATION = ["Auth.ActorChainTests", "Features.Messages.DelegatedWriteTestsOnSqlite", "Features.Mcp.McpToolTests"]
MCP = ["Features.Mcp.McpToolTests", "Features.Mcp.McpAuthorizationTests"]
MESSAGES = ["Features.Messages.PutMessageTestsOnSqlite", "Features.Messages.DeleteMessageTestsOnSqlite",
            "Features.Messages.GetMessageTestsOnSqlite", "Features.Messages.GetMessagesPagingTestsOnSqlite", "Features.Messages.GetMessagesTests", "Features.Messages.ConcurrencyTestsOnSqlite"]
IDEMPOTENCY = ["Features.Messages.PostMessageTestsOnSqlite", "Features.Messages.IdempotencyKeyJanitorTestsOnSqlite"]
M = "Features/Messages/"
RULES = ["Features.Admin.GetAdminTests", "Features.Messages.GetMessagesTests", "Features.Org.GetOrgTests",
         "Features.Premium.GetPremiumTests", "Features.Roles.GetRolesTests", "Auth.TokenBindingTests"]

# id, file, the exact text to find (once), its replacement, the test classes, what the break means.
MUTANTS = [
    ("crit-accepted", A + "Tokens/TokenRules.cs", "throw new TokenRuleException(TokenFailure.UnsupportedCritical);", "{ }", TOKENS, "an unknown crit header is accepted"),
    ("alg-any", A + "Tokens/TokenRules.cs", "if (!options.Algorithms.Contains(jwt.Alg, StringComparer.Ordinal))", "if (false)", TOKENS, "the algorithm allow-list is not checked"),
    ("kid-optional", A + "Tokens/TokenRules.cs", "throw new TokenRuleException(TokenFailure.UnknownKey);", "{ }", TOKENS, "a token without kid is not refused as such"),
    ("typ-any", A + "Tokens/TokenRules.cs", "if (!IsAllowedType(", "if (false && !IsAllowedType(", TOKENS, "typ is not checked"),
    ("duplicates-allowed", A + "Tokens/TokenRules.cs", "if (!seen.Add(name))", "if (!seen.Add(name) && false)", TOKENS, "duplicate JSON members are accepted"),
    ("numericdate-any", A + "Tokens/TokenRules.cs", 'if (name is "exp" or "nbf" or "iat" && reader.TokenType != JsonTokenType.Number)', "if (false)", TOKENS, "exp/nbf/iat need not be JSON numbers"),
    ("sub-optional", A + "Tokens/TokenRules.cs", "if (isPayload && !hasSubject)", "if (false)", TOKENS, "sub is not required"),
    ("future-iat", A + "Tokens/TokenRules.cs", "if (hasIat && jwt.IssuedAt > DateTime.UtcNow + options.ClockTolerance)", "if (false)", TOKENS, "a future iat is accepted"),
    ("strict-profile-off", A + "Tokens/TokenRules.cs", "if (options.StrictAccessTokenProfile && (present & Members.Profile) != Members.Profile)", "if (false)", TOKENS, "RFC 9068 strict mode does not require its claims"),
    ("cnf-any", A + "Tokens/TokenRules.cs", "if (method == Binding.None || (binding & method) != 0)", "if (method != Binding.None && (binding & method) != 0)", TOKENS, "a confirmation method the API cannot check (x5t#S256 with mTLS off, kid…) beside jkt is ignored"),
    ("mtls-any-certificate", A + "Mtls/CertificateBinding.cs", "return ClientCertificateThumbprint.SameThumbprint(bound, thumbprint) ? null : MtlsFailure.WrongCertificate;", "return null;", MTLS, "a certificate-bound token works with any certificate"),
    ("mtls-none-ok", A + "Mtls/ClientCertificateThumbprint.cs", "return new Result(null, MtlsFailure.NoCertificate);", "return new Result(null, null);", MTLS, "a certificate-bound token works without a certificate"),
    ("mtls-unchecked", A + "Tokens/Auth0JwtEvents.cs", "if (mtls.AcceptsBound && CertificateBinding.BoundThumbprint(token) is { } certificate", "if (false && CertificateBinding.BoundThumbprint(token) is { } certificate", MTLS, "the certificate binding is never checked"),
    ("mtls-cache-skips", A + "Tokens/VerifiedTokens.cs", "if (hit.CertificateThumbprint is { } bound && CertificateBinding.Check(context, bound, mtls) is not null)", "if (false)", MTLS, "a cached certificate-bound token skips its binding"),
    ("mtls-proxy-anyone", A + "Mtls/ForwardedClientCertificate.cs", " && trusted(context.Connection.RemoteIpAddress)", "", MTLS, "the certificate header is believed from anyone"),
    ("mtls-header-unbounded", A + "Mtls/ClientCertificateThumbprint.cs", "if (header.Length > MtlsOptions.MaxHeaderLength)", "if (false)", MTLS, "the certificate header has no size bound"),
    ("mtls-der-any", A + "Mtls/ClientCertificateThumbprint.cs", " || !IsOneDerSequence(buffer.AsSpan(0, length))", "", MTLS, "any base64 is taken for a certificate"),
    ("act-depth-unbounded", A + "Tokens/TokenRules.cs", "if (chain.Count == ActorChain.MaxDepth)", "if (false)", DELEGATION, "an actor chain of any depth is accepted"),
    ("delegation-allowed", A + "Access/NotDelegatedRequirement.cs", "=> !ActorChain.IsDelegated(user);", "=> true;", DELEGATION, "a route that refuses delegated calls takes them"),
    ("actor-not-recorded", M + "PostMessage/Endpoint.cs", "ActorChain.Current(User), MessageText", "null, MessageText", DELEGATION, "a delegated create does not record the actor"),
    ("mcp-audience-any", "Features/Mcp/McpGate.cs", "if (!context.User.HasClaim(ClaimNames.Audience, resource.Value))", "if (false)", MCP, "/mcp takes tokens for any audience"),
    ("mcp-scope-unchecked", "Features/Mcp/McpGate.cs", "if (tools.Find(name) is { } tool && EndpointAccess.MissingPermissions(context.User, tool.Endpoint) is { } missing)", "if (false && tools.Find(name) is { } tool && EndpointAccess.MissingPermissions(context.User, tool.Endpoint) is { } missing)", MCP, "a tool beyond the token is not a 403 insufficient_scope"),
    ("mcp-list-unfiltered", "Features/Mcp/MessageTools.cs", "calling || tool.Permits(http.User)", "true", MCP, "tools/list shows every tool to everyone"),
    ("mcp-size-unbounded", "Features/Mcp/McpOptions.cs", "public const int MaxRequestBytes = 64 * 1024;", "public const int MaxRequestBytes = 64 * 1024 * 1024;", MCP, "/mcp reads messages of any size"),
    ("mcp-write-limit-off", "Features/Mcp/McpSetup.cs", "first.UseErrorResponder().UseWriteRateLimit()", "first.UseErrorResponder()", MCP, "a tool's write escapes the write limit"),
    ("mtls-required-off", A + "Tokens/TokenRules.cs", "if (facts.Thumbprint is null && mtls.Value.RequiresBound)", "if (false)", MTLS, "Required mode takes unbound tokens"),
    ("arrays-unmarked", A + "Tokens/Auth0TokenHandler.cs", "ClaimValues.MarkArrayElements(identity, facts.ArrayClaims);", "", RULES, "one-element arrays pass equals rules"),
    ("scope-not-permission", A + "Tokens/Auth0TokenHandler.cs", "ScopePermissions.Add(identity);", "", RULES, "the scope string no longer grants"),
    ("scope-case-insensitive", A + "Tokens/ScopePermissions.cs", "scope.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)", "scope.Value.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)", RULES, "scopes match case-insensitively"),
    ("cache-max-age", A + "Tokens/VerifiedTokens.cs", "return rules.IsTooOld(entry.IssuedAt) ? new TokenRuleException(TokenFailure.TooOld) : null;", "return null;", CACHE, "maxTokenAge is not re-checked on cache hits"),
    ("cache-exp", A + "Tokens/VerifiedTokens.cs", "if (entry.ValidTo + auth0.ClockTolerance < DateTime.UtcNow)", "if (false)", CACHE, "a cached token does not expire"),
    ("cache-generation", A + "Tokens/VerifiedTokens.cs", "hit!.Generation == hit.Source.Generation ? hit : null", "hit!.Generation >= 0 ? hit : null", CACHE, "a key-set change does not flush the cache"),
    ("two-headers", A + "Tokens/CredentialsReader.cs", "throw new MalformedCredentialsException(TokenFailure.MultipleHeaders);", "{ }", CREDENTIALS, "two Authorization headers are not a 400"),
    ("tab-accepted", A + "Tokens/CredentialsReader.cs", "return rest.Span[0] == '\\t' ? throw new MalformedCredentialsException(TokenFailure.MalformedHeader) : null;", "return null;", CREDENTIALS, "Bearer<TAB>token is not a 400"),
    ("bound-as-bearer", A + "Tokens/Auth0JwtEvents.cs", 'throw new DPoPException("invalid_token", DPoPFailure.BoundTokenAsBearer);', "{ }", DPOP, "a DPoP-bound token works as a bearer token"),
    ("clock-skew-default", A + "Tokens/JwtBearerOptionsSetup.cs", "ClockSkew = tenant.ClockTolerance,", "ClockSkew = TimeSpan.FromMinutes(5),", TOKENS + ["Hosting.ConfigurationTests"], "the 5-minute default clock skew"),
    ("audience-slash", A + "Tokens/JwtBearerOptionsSetup.cs", "IgnoreTrailingSlashWhenValidatingAudience = false,", "IgnoreTrailingSlashWhenValidatingAudience = true,", TOKENS, "aud trailing-slash leniency"),
    ("issuer-mismatch", A + "Keys/KeySetFetcher.cs", "if (configuration.Issuer != issuer)", "if (false)", KEYS, "a discovery document naming another issuer is used"),
    ("metadata-anywhere", A + "Keys/KeySetFetcher.cs", "if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps\n                || !string.Equals(uri.Authority, host, StringComparison.OrdinalIgnoreCase))", "if (!Uri.TryCreate(address, UriKind.Absolute, out var uri))", KEYS, "the HTTPS / same-host rule for jwks_uri is off"),
    ("document-unbounded", A + "Keys/KeySetFetcher.cs", "if (document.Length + read > MaxDocumentBytes)", "if (false)", KEYS + ["Auth.HostileInputCorpusTests"], "a JWKS over 1 MB is read"),
    ("backoff-uncapped", A + "Keys/SigningKeySource.cs", "Math.Min(backoff, settings.MaxRetrySeconds)", "backoff", KEYS, "MaxRetrySeconds no longer caps the backoff"),
    ("backoff-flat", A + "Keys/SigningKeySource.cs", "Math.Pow(2, Math.Min(failures - 1, 20))", "1", KEYS, "failures do not back off"),
    ("kid-cooldown-off", A + "Keys/SigningKeySource.cs", "if (now - lastAttemptAt >= TimeSpan.FromSeconds(settings.UnknownKeyCooldownSeconds) && (failures == 0 || now >= nextAttemptAt))", "if (failures == 0 || now >= nextAttemptAt)", KEYS, "unknown kids refresh without cooldown"),
    ("generation-stuck", A + "Keys/SigningKeySource.cs", "(current?.Generation ?? 0) + 1", "current?.Generation ?? 1", KEYS + CACHE, "a new key set keeps the old generation"),
    ("replay-full-open", A + "DPoP/MemoryDPoPReplayCache.cs", 'throw new ReplayCacheUnavailableException("the DPoP replay cache is full");', "return true;", DPOP, "a full replay cache answers 'not seen' instead of 503"),
    ("replay-no-quota", A + "DPoP/MemoryDPoPReplayCache.cs", "if (bucket.Proofs.Count >= perKey && Prune(bucket, now) is { } wait)", "if (false && Prune(bucket, now) is { } wait)", DPOP, "one key may fill the replay cache"),
    ("replay-ignored", A + "DPoP/DPoPProofValidator.cs", "throw Proof(DPoPFailure.Replayed);", "{ }", DPOP + ["RateLimiting.RedisSharedStateTests"], "a replayed proof is accepted"),
    ("ath-skipped", A + "DPoP/DPoPProofValidator.cs", "throw Proof(DPoPFailure.WrongAth);", "{ }", DPOP, "ath is not checked"),
    ("htm-skipped", A + "DPoP/DPoPProofValidator.cs", "throw Proof(DPoPFailure.WrongMethod);", "{ }", DPOP, "htm is not checked"),
    ("htu-skipped", A + "DPoP/DPoPProofValidator.cs", "throw Proof(DPoPFailure.WrongUri);", "{ }", DPOP, "htu is not checked"),
    ("jti-unbounded", A + "DPoP/DPoPProofValidator.cs", "throw Proof(DPoPFailure.JtiTooLong);", "{ }", DPOP + ["Auth.HostileInputCorpusTests"], "a jti of any length is stored"),
    ("rsa-any-size", A + "DPoP/DPoPProofValidator.cs", "throw Proof(DPoPFailure.KeySize);", "{ }", DPOP + ["Auth.HostileInputCorpusTests"], "RSA proof keys of any size"),
    ("scope-403-as-forbidden", A + "Access/AuthorizationResultHandler.cs", "? AuthErrors.InsufficientScope(permissions)", "? AuthErrors.Forbidden", RULES, "a missing scope is answered as forbidden, no challenge"),
    ("org-constant", A + "Access/ClaimMatchesRouteRequirement.cs", "http?.GetRouteValue(routeParameter) is string expected", '"org_abc123" is string expected', RULES, "the org rule compares a constant, not the path"),
    ("verified-string", A + "Access/ClaimIsTrueRequirement.cs", "Single(user, type) is { ValueType: ClaimValueTypes.Boolean } claim", "Single(user, type) is { } claim", RULES, "the string \"true\" counts as verified"),
    ("equals-ignore-case", A + "Access/ClaimRequirement.cs", "string.Equals(claim.Value, expected, StringComparison.Ordinal)", "string.Equals(claim.Value, expected, StringComparison.OrdinalIgnoreCase)", RULES, "claim values compared case-insensitively"),
    ("no-scope-attribute", A + "Challenges/AuthChallenge.cs", 'text += $", scope=\\"{c.Scope}\\"";', "{ }", RULES, "no scope= in the insufficient_scope challenge"),
    ("hs256-allowed", A + "Settings/SigningAlgorithms.cs", 'Asymmetric = ["RS256",', 'Asymmetric = ["HS256", "RS256",', ["Hosting.ConfigurationTests"], "HS256 may be configured"),
    ("no-retry-after", "Infrastructure/Errors/ErrorResponder.cs", "response.Headers.RetryAfter = RetryAfterSeconds(retryAfter);", "{ }", DPOP + ["RateLimiting.RateLimitTests", "Auth.SigningKeySetTests"], "429/503 without Retry-After"),
    ("cors-expose", "Infrastructure/Cors/CorsSetup.cs", '.WithExposedHeaders("WWW-Authenticate", "Retry-After", "DPoP-Nonce");', '.WithExposedHeaders("WWW-Authenticate", "DPoP-Nonce");', ["Cors.CorsTests"], "Retry-After not exposed to browser code"),
    ("cors-nonce-hidden", "Infrastructure/Cors/CorsSetup.cs", '.WithExposedHeaders("WWW-Authenticate", "Retry-After", "DPoP-Nonce");', '.WithExposedHeaders("WWW-Authenticate", "Retry-After");', ["Cors.CorsTests"], "DPoP-Nonce not exposed to browser code"),
    ("cors-vary", "Infrastructure/Cors/CorsSetup.cs", "context.Response.OnStarting(static state => VaryByOrigin((HttpResponse)state), context.Response);", "{ }", ["Cors.CorsTests"], "no Vary: Origin with one configured origin"),
    # Issues 14 and 15: several issuers, resource metadata, DPoP nonces, token kinds, telemetry, shutdown.
    ("keys-of-every-issuer", A + "Tokens/Auth0TokenHandler.cs", "validationParameters.IssuerSigningKeys = signingKeys;", "validationParameters.IssuerSigningKeys = issuers.All.SelectMany(i => i.GetConfigurationAsync(CancellationToken.None).Result?.SigningKeys ?? []).ToList();", ["Auth.MultipleIssuersTests"], "any trusted issuer's keys validate a token of another"),
    ("id-token-unnamed", A + "Tokens/Auth0TokenHandler.cs", "if (TokenKind.IsIdToken(jwt))", "if (false)", ["Auth.TokenKindTests"], "an ID token gets the generic answer"),
    ("opaque-unnamed", A + "Tokens/TokenKind.cs", "0 when !token.AsSpan().ContainsAnyExcept(OpaqueChars) => TokenFailure.EncryptedOrOpaque,", "", ["Auth.TokenKindTests"], "an opaque token is called malformed"),
    ("no-resource-metadata", A + "Challenges/AuthChallenge.cs", 'var metadata = ResourceMetadata.UrlFor(context.Request) is { } url ? $", resource_metadata=\\"{url}\\"" : "";', 'var metadata = "";', ["Features.WellKnown.GetProtectedResourceTests"], "challenges do not name the RFC 9728 document"),
    ("nonce-never-expires", A + "DPoP/DPoPNonces.cs", "if (window != now && window != now - 1)", "if (window > now)", ["Auth.DPoPNonceTests"], "a nonce stays valid for ever"),
    ("nonce-unsigned", A + "DPoP/DPoPNonces.cs", "return CryptographicOperations.FixedTimeEquals(mac[..MacBytes], bytes[sizeof(long)..]);", "return true;", ["Auth.DPoPNonceTests"], "any well-formed nonce is accepted"),
    ("span-no-reason", "Infrastructure/Telemetry/ApiMetrics.cs", 'Activity.Current?.SetTag(OutcomeTag, "refused").SetTag(ErrorTag, error).SetTag(ReasonTag, reason ?? error);', "{ }", ["Telemetry.TracingTests"], "the request span does not say why it was refused"),
    ("metrics-by-host-header", "Infrastructure/Telemetry/TelemetrySetup.cs", "context.Connection.LocalPort == options.Port && context.Request.Path == PrometheusOptions.Path);", "context.Request.Host.Port == options.Port && context.Request.Path == PrometheusOptions.Path);", ["Telemetry.PrometheusScrapeTests"], "/metrics chosen by the client's Host header"),
    ("ready-while-stopping", "Features/Health/GetReady/Endpoint.cs", "if (shutdown.Stopping)", "if (false)", ["Hosting.GracefulShutdownTests"], "readiness stays 200 while the app stops"),
    ("no-readiness-delay", "Infrastructure/Hosting/GracefulShutdown.cs", "await Task.Delay(TimeSpan.FromSeconds(delay), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);", "{ }", ["Hosting.GracefulShutdownTests"], "the listener closes at once on SIGTERM"),
    ("fetch-not-cancelled", A + "Keys/TrustedIssuers.cs", "        stopping.Cancel();\n", "", ["Hosting.GracefulShutdownTests"], "a fetch in flight runs into its timeout after the app stopped"),
    # Issue 22: the messages' rules (owner, admin, ETags, paging, text) and idempotent creates, on SQLite.
    ("if-match-weak", M + "MessageETag.cs", "AnyMatches(header, etag, weak: false)", "AnyMatches(header, etag, weak: true)", MESSAGES, "If-Match accepts a weak tag (RFC 9110 wants the strong comparison)"),
    ("if-match-ignored", M + "MessageChange.cs", "if (ifMatch is not null && !MessageETag.IfMatch(ifMatch, MessageETag.Of(record)))", "if (false)", MESSAGES, "a stale If-Match overwrites the newer version"),
    ("if-none-match-strong", M + "MessageETag.cs", "AnyMatches(header, etag, weak: true)", "AnyMatches(header, etag, weak: false)", MESSAGES, "If-None-Match with W/ never gives 304"),
    ("author-ignore-case", M + "AuthorOrAdminRequirement.cs", "string.Equals(user.Identity?.Name, resource.Author, StringComparison.Ordinal)", "string.Equals(user.Identity?.Name, resource.Author, StringComparison.OrdinalIgnoreCase)", MESSAGES, "auth0|Alice may change auth0|alice's message"),
    ("anyone-may-change", M + "AuthorOrAdminRequirement.cs", "if (isAuthor || isAdmin)", "if (true)", MESSAGES, "anyone with write:messages changes anyone's message"),
    ("admin-without-role", M + "AuthorOrAdminRequirement.cs", "\n                      && ClaimRules.Requirements[ClaimRules.AdminRole].IsSatisfiedBy(user, null);", ";", MESSAGES, "admin:access alone (without role admin) is an admin"),
    ("text-control-chars", M + "MessageText.cs", "if (Rune.IsControl(rune) && rune.Value is not ('\\n' or '\\t'))", "if (false)", IDEMPOTENCY, "control characters are stored"),
    ("text-unbounded", M + "MessageText.cs", ".Must(text => Normalize(text!).EnumerateRunes().Count() <= MaxLength)", ".Must(text => true)", IDEMPOTENCY, "a text of any length is stored"),
    ("page-limit-unbounded", M + "GetMessages/Request.cs", "RuleFor(r => r.Limit).InclusiveBetween(1, MaxLimit)", "RuleFor(r => r.Limit).InclusiveBetween(1, int.MaxValue)", MESSAGES, "?limit= asks for any number of rows"),
    ("page-repeats", M + "GetMessages/Endpoint.cs", "Where(m => m.Id > after)", "Where(m => m.Id >= after)", MESSAGES, "the next page repeats the last message of the one before"),
    ("key-any-body", M + "Data/MessageWriter.cs", "return stored.RequestHash == requestHash", "return true", IDEMPOTENCY, "a key reused with another body replays the first answer instead of 422"),
    ("key-shared-by-all", M + "Data/MessageWriter.cs", "k => k.SubjectHash == subjectHash && k.Key == key", "k => k.Key == key", IDEMPOTENCY, "one caller's key answers another caller's request"),
    ("key-never-expires", M + "Data/MessageWriter.cs", "if (stored is not null && stored.CreatedAt > time.GetUtcNow().UtcDateTime - KeyLifetime)", "if (stored is not null)", IDEMPOTENCY, "a key is honoured after its 24 h"),
    ("janitor-two-days", M + "Data/IdempotencyKeyJanitor.cs", "var cutoff = time.GetUtcNow().UtcDateTime - MessageWriter.KeyLifetime;", "var cutoff = time.GetUtcNow().UtcDateTime - 2 * MessageWriter.KeyLifetime;", IDEMPOTENCY, "keys are kept two days: the table outgrows its bound"),
    ("janitor-everything", M + "Data/IdempotencyKeyJanitor.cs", "var cutoff = time.GetUtcNow().UtcDateTime - MessageWriter.KeyLifetime;", "var cutoff = time.GetUtcNow().UtcDateTime;", IDEMPOTENCY, "the janitor deletes keys still in their 24 h"),
    ("write-limit-off", "Infrastructure/RateLimiting/RateLimitingSetup.cs", "if (!IsWrite(context.Request.Method) || context.GetEndpoint()", "if (!IsWrite(\"GET\") || context.GetEndpoint()", ["RateLimiting.RateLimitTests"] + IDEMPOTENCY, "writes are not limited on their own"),
    # Issue 23: only the exact permissions and scope claims grant.
    ("permission-lookalikes", A + "Tokens/Auth0TokenHandler.cs", "ScopePermissions.RemoveLookalikes(identity);", "", ["Auth.ExactPermissionClaimsTests"], "a claim spelt Permissions grants a permission"),
    ("dev-issuer-remote", "Features/DevIssuer/DevIssuerSetup.cs", "IsActive(context.HttpContext.RequestServices) && IsLocal(context.HttpContext.Connection)", "IsActive(context.HttpContext.RequestServices)", ["Features.DevIssuer.DevIssuerTests"], "the development issuer answers remote clients"),
]


def run(cmd, cwd, log):
    with open(log, "a") as f:
        f.write(f"$ {' '.join(cmd)}\n")
        f.flush()
        return subprocess.run(cmd, cwd=cwd, stdout=f, stderr=subprocess.STDOUT).returncode


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", help="comma-separated mutant ids")
    parser.add_argument("--full", action="store_true", help="run the whole suite for every mutant")
    args = parser.parse_args()
    chosen = [m for m in MUTANTS if not args.only or m[0] in args.only.split(",")]

    work = tempfile.mkdtemp(prefix="mysecureapi-mutation-")
    copy = os.path.join(work, "repo")
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns("bin", "obj", "artifacts", ".git", "node_modules"))
    node_modules = os.path.join(ROOT, "Tests", "browser", "node_modules")
    if os.path.isdir(node_modules):
        os.symlink(node_modules, os.path.join(copy, "Tests", "browser", "node_modules"))
    out_dir = os.path.join(ROOT, "artifacts", "mutation")
    os.makedirs(out_dir, exist_ok=True)
    log = os.path.join(out_dir, "mutation.log")
    open(log, "w").close()
    if run(["dotnet", "build", "Tests/MySecureApi.Tests.csproj", "-v", "q", "-nologo"], copy, log) != 0:
        sys.exit(f"the unmutated copy does not build (see {log})")

    results = []
    for ident, path, find, replace, tests, meaning in chosen:
        file = os.path.join(copy, path)
        original = open(file).read()
        if original.count(find) != 1:
            sys.exit(f"{ident}: the text to mutate occurs {original.count(find)} times in {path} (the code moved: update the mutant)")
        open(file, "w").write(original.replace(find, replace))
        started = time.monotonic()
        try:
            # A mutant may well leave unreachable code or an unused using: warnings are not errors here.
            if run(["dotnet", "build", "Tests/MySecureApi.Tests.csproj", "-v", "q", "-nologo", "-p:TreatWarningsAsErrors=false",
                    "-p:EnforceCodeStyleInBuild=false"], copy, log) != 0:
                status, failed = "compile error", ""
            else:
                filters = [] if args.full else [a for t in tests for a in ("--filter-class", f"MySecureApi.Tests.{t}")]
                result = subprocess.run(["dotnet", "test", "--no-build", "--project", "Tests", *filters], cwd=copy,
                                        capture_output=True, text=True)
                with open(log, "a") as f:
                    f.write(result.stdout[-4000:])
                names = sorted({n.split("MySecureApi.Tests.", 1)[-1] for n in re.findall(r"^failed (\S+?)[( ]", result.stdout, re.M)})
                status = "killed" if result.returncode != 0 else "survived"
                failed = ", ".join(names[:3]) + (f" (+{len(names) - 3})" if len(names) > 3 else "")
        finally:
            open(file, "w").write(original)
        seconds = time.monotonic() - started
        results.append((ident, path, meaning, status, failed, seconds))
        print(f"{ident:24} {status:9} {seconds:5.0f} s  {failed}", flush=True)

    killed = sum(1 for r in results if r[3] == "killed")
    tested = sum(1 for r in results if r[3] != "compile error")
    score = 100.0 * killed / tested if tested else 0.0
    lines = ["# Scripted mutation testing", "", f"Command: `python3 scripts/mutation.py{' --full' if args.full else ''}` — "
             f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}", "",
             f"**Score: {killed} of {tested} mutants killed ({score:.0f} %).**", "",
             "| mutant | file | the break | result | first tests that failed |", "|---|---|---|---|---|"]
    lines += [f"| {i} | `{p}` | {m} | {s} | {f} |" for i, p, m, s, f, _ in results]
    with open(os.path.join(out_dir, "report.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"\n{killed} of {tested} mutants killed ({score:.0f} %); report: artifacts/mutation/report.md")
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if killed == tested else 1)


if __name__ == "__main__":
    main()
