using Microsoft.Extensions.Primitives;

namespace MySecureApi.Infrastructure.Errors;

/// <summary>What an error answers in <c>WWW-Authenticate</c>; the authentication layer knows which schemes to name.</summary>
public interface IChallenge
{
    StringValues Render(HttpContext context);
}
