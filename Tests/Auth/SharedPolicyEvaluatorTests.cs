using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Auth;

/// <summary>The app's one policy evaluator decides as ASP.NET's would, and leaves the decision to it when another handler is registered.</summary>
public sealed class SharedPolicyEvaluatorTests(AppFixture app)
{
    [Fact]
    public async Task A_registered_authorization_handler_is_consulted_on_every_protected_route()
    {
        await using var host = app.WithWebHostBuilder(builder =>
            builder.ConfigureTestServices(services => services.AddSingleton<IAuthorizationHandler, DenyEverything>()));
        var admin = app.Token().With("scope", "admin:access").With("role", "admin").Build();

        Assert.Equal(HttpStatusCode.OK, (await app.Client(admin).GetAsync("/api/admin", Ct)).StatusCode);
        await Problem.AssertForbiddenAsync(await host.CreateClient().GetWithTokenAsync("/api/admin", admin));
        await Problem.AssertForbiddenAsync(await host.CreateClient().GetWithTokenAsync("/api/private", admin));
        Assert.Equal(HttpStatusCode.OK, (await host.CreateClient().GetAsync("/api/public", Ct)).StatusCode);
    }

    private sealed class DenyEverything : IAuthorizationHandler
    {
        public Task HandleAsync(AuthorizationHandlerContext context)
        {
            context.Fail();
            return Task.CompletedTask;
        }
    }
}
