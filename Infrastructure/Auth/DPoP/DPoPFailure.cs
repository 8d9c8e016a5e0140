namespace MySecureApi.Infrastructure.Auth.DPoP;

/// <summary>The fixed <c>error_description</c> texts of DPoP failures; none contains a value from the request.</summary>
public static class DPoPFailure
{
    public const string InvalidProof = "invalid_dpop_proof";
    public const string UseNonce = "use_dpop_nonce";

    public const string ProofMissing = "The DPoP proof is missing";
    public const string MultipleProofs = "More than one DPoP proof was sent";
    public const string ProofWithBearer = "A DPoP proof was sent with the Bearer scheme";
    public const string Malformed = "The DPoP proof is malformed";
    public const string WrongType = "The DPoP proof type is not dpop+jwt";
    public const string AlgorithmNotAllowed = "The DPoP proof algorithm is not allowed";
    public const string BadKey = "The DPoP proof key is missing or not a public key";
    public const string KeySize = "The DPoP proof key size is not allowed";
    public const string JtiTooLong = "The DPoP proof jti is too long";
    public const string BadSignature = "The DPoP proof signature is invalid";
    public const string MissingClaim = "The DPoP proof is missing a required claim";
    public const string WrongMethod = "The DPoP proof htm does not match the request method";
    public const string WrongUri = "The DPoP proof htu does not match the request URI";
    public const string TooOld = "The DPoP proof is too old";
    public const string IssuedInFuture = "The DPoP proof was issued in the future";
    public const string WrongAth = "The DPoP proof ath does not match the access token";
    public const string Replayed = "The DPoP proof has been used before";
    public const string NonceMissing = "The DPoP proof must carry the nonce from the DPoP-Nonce header";
    public const string NonceStale = "The DPoP proof nonce is stale or was not issued by this API";
    public const string TokenNotBound = "The token is not bound to a DPoP key";
    public const string WrongKey = "The token is bound to another DPoP key";
    public const string BoundTokenAsBearer = "The token is bound to a DPoP key and must be sent with the DPoP scheme";
    public const string BoundTokenNotAccepted = "The token is bound to a DPoP key, which this API does not accept";
}
