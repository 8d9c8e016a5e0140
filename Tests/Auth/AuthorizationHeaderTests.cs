using System.Net;
using MySecureApi.Tests.Fixtures;
using MySecureApi.Infrastructure.Auth.Tokens;

namespace MySecureApi.Tests.Auth;

/// <summary>RFC 6750 §2.1/§3.1: how the credentials are sent, before the token itself is looked at.</summary>
public sealed class AuthorizationHeaderTests(AppFixture app)
{

    private async Task<HttpResponseMessage> SendAsync(params string[] authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/private");
        foreach (var value in authorization)
            request.Headers.TryAddWithoutValidation("Authorization", value);
        return await app.Client().SendAsync(request, Ct);
    }

    [Theory]
    [InlineData("Bearer {0}")]
    [InlineData("bearer {0}")]
    [InlineData("BEARER {0}")]
    [InlineData("BeArEr {0}")]
    [InlineData("Bearer   {0}")]
    public async Task Scheme_is_case_insensitive_and_spaces_may_repeat(string format)
    {
        var response = await SendAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, app.Token().Build()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task No_authorization_header_gets_401_without_error_attribute() =>
        await Problem.AssertUnauthorizedAsync(await SendAsync());

    [Theory]
    [InlineData("Basic dXNlcjpwYXNzd29yZA==")]
    [InlineData("Token abc")]
    [InlineData("Digest username=\"x\"")]
    [InlineData("Bearerabc.def.ghi")]
    [InlineData("MAC id=\"x\"")]
    public async Task Unsupported_scheme_gets_401_without_error_attribute(string authorization) =>
        await Problem.AssertUnauthorizedAsync(await SendAsync(authorization));

    [Theory]
    [InlineData("Bearer")]
    [InlineData("bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer    ")]
    public async Task Bearer_without_a_token_gets_400_invalid_request(string authorization) =>
        await Problem.AssertInvalidRequestAsync(await SendAsync(authorization), TokenFailure.NoToken);

    [Theory]
    [InlineData("Bearer {0} extra")]
    [InlineData("Bearer a {0}")]
    public async Task Extra_parts_get_400_invalid_request(string format) =>
        await Problem.AssertInvalidRequestAsync(
            await SendAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, format, app.Token().Build())), TokenFailure.MalformedHeader);

    [Fact]
    public async Task Blank_header_gets_400_invalid_request() =>
        await Problem.AssertInvalidRequestAsync(await SendAsync("   "), TokenFailure.MalformedHeader);

    [Fact]
    public async Task Two_authorization_headers_get_400_invalid_request()
    {
        var token = app.Token().Build();

        await Problem.AssertInvalidRequestAsync(await SendAsync($"Bearer {token}", $"Bearer {token}"), TokenFailure.MultipleHeaders);
    }

    [Fact]
    public async Task Three_authorization_headers_get_400_invalid_request() =>
        await Problem.AssertInvalidRequestAsync(await SendAsync("Bearer a", "Basic b", "Bearer c"), TokenFailure.MultipleHeaders);

    [Fact]
    public async Task Query_string_token_is_ignored_by_default()
    {
        var response = await app.Client().GetAsync($"/api/private?access_token={app.Token().Build()}", Ct);

        await Problem.AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task Form_body_token_is_ignored_by_default()
    {
        var response = await app.Client().PostAsync(FormEchoEndpoint.Route, FormWith(app.Token().Build()), Ct);

        await Problem.AssertUnauthorizedAsync(response);
    }

    [Fact]
    public async Task Query_string_token_is_accepted_when_enabled()
    {
        await using var host = app.With("Production", ("Auth0:AllowQueryStringToken", "true"));

        var response = await host.CreateClient().GetAsync($"/api/private?access_token={app.Token().Build()}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Token_in_header_and_query_string_gets_400_invalid_request()
    {
        await using var host = app.With("Production", ("Auth0:AllowQueryStringToken", "true"));
        var token = app.Token().Build();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/private?access_token={token}");
        request.Headers.Authorization = new("Bearer", token);

        var response = await host.CreateClient().SendAsync(request, Ct);

        await Problem.AssertInvalidRequestAsync(response, TokenFailure.MultipleLocations);
    }

    [Fact]
    public async Task Two_query_string_tokens_get_400_invalid_request()
    {
        await using var host = app.With("Production", ("Auth0:AllowQueryStringToken", "true"));
        var token = app.Token().Build();

        var response = await host.CreateClient().GetAsync($"/api/private?access_token={token}&access_token={token}", Ct);

        await Problem.AssertInvalidRequestAsync(response, TokenFailure.MultipleLocations);
    }

    [Fact]
    public async Task Form_body_token_is_accepted_when_enabled()
    {
        await using var host = app.With("Production", ("Auth0:AllowFormBodyToken", "true"));

        var response = await host.CreateClient().PostAsync(FormEchoEndpoint.Route, FormWith(app.Token().Build()), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Token_in_header_and_form_body_gets_400_invalid_request()
    {
        await using var host = app.With("Production", ("Auth0:AllowFormBodyToken", "true"));
        var token = app.Token().Build();
        using var request = new HttpRequestMessage(HttpMethod.Post, FormEchoEndpoint.Route) { Content = FormWith(token) };
        request.Headers.Authorization = new("Bearer", token);

        var response = await host.CreateClient().SendAsync(request, Ct);

        await Problem.AssertInvalidRequestAsync(response, TokenFailure.MultipleLocations);
    }

    [Fact]
    public async Task Form_body_past_the_field_limit_gets_400_invalid_request_not_500()
    {
        await using var host = app.With("Production", ("Auth0:AllowFormBodyToken", "true"));
        var fields = Enumerable.Range(0, 1_100).Select(i => new KeyValuePair<string, string>($"f{i}", "x"))
            .Append(new("access_token", app.Token().Build()));

        var response = await host.CreateClient().PostAsync(FormEchoEndpoint.Route, new FormUrlEncodedContent(fields), Ct);

        await Problem.AssertInvalidRequestAsync(response, TokenFailure.UnreadableBody);
    }

    private static FormUrlEncodedContent FormWith(string token) =>
        new([new("access_token", token), new("name", "alice")]);
}
