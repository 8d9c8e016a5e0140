using Microsoft.AspNetCore.Http;
using MySecureApi.Infrastructure.Auth.DPoP;
using MySecureApi.Infrastructure.Auth.Settings;
using MySecureApi.Infrastructure.Auth.Tokens;

namespace MySecureApi.Tests.Auth;

/// <summary>RFC 6750 §2.2: a form-body token counts only in a form-encoded body of a method with a body.</summary>
public sealed class CredentialsReaderTests
{
    private static readonly Auth0Settings FormEnabled = new() { AllowFormBodyToken = true };
    private static readonly DPoPOptions DPoP = new();

    private static HttpRequest Request(string method, string contentType, string body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body));
        return context.Request;
    }

    [Fact]
    public async Task Form_encoded_post_body_token_is_read()
    {
        var credentials = await CredentialsReader.ReadAsync(Request("POST", "application/x-www-form-urlencoded; charset=utf-8", "access_token=abc"), FormEnabled, DPoP);

        Assert.Equal(("Bearer", "abc", null), (credentials?.Scheme, credentials?.Token.ToString(), credentials?.Proof));
    }

    [Theory]
    [InlineData("GET", "application/x-www-form-urlencoded")]
    [InlineData("POST", "multipart/form-data; boundary=x")]
    [InlineData("POST", "application/json")]
    [InlineData("POST", "text/plain")]
    public async Task Other_bodies_are_not_read(string method, string contentType) =>
        Assert.Null(await CredentialsReader.ReadAsync(Request(method, contentType, "access_token=abc"), FormEnabled, DPoP));

    [Fact]
    public async Task Form_body_is_not_read_when_disabled() =>
        Assert.Null(await CredentialsReader.ReadAsync(Request("POST", "application/x-www-form-urlencoded", "access_token=abc"), new Auth0Settings(), DPoP));
}
