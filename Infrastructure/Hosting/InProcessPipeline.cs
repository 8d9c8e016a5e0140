using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace MySecureApi.Infrastructure.Hosting;

/// <summary>
/// The app's own pipeline from a chosen point on, for requests made in-process on behalf of a caller that was already
/// authenticated and rate-limited (an MCP tool call runs the HTTP route it stands for): every rule the route declares,
/// its validation, processors, handler and error answers are those of the route itself, not a copy of them.
/// </summary>
public sealed class InProcessPipeline(IServiceScopeFactory scopes)
{
    private RequestDelegate? pipeline;

    /// <summary>Where <c>UseRouting()</c> looks for the app's endpoints (ASP.NET Core's EndpointRoutingApplicationBuilderExtensions).</summary>
    private const string GlobalRoutesKey = "__GlobalEndpointRouteBuilder";

    /// <summary>
    /// Remembers the rest of the main pipeline from this point, behind a branch that first matches the route and adds
    /// what the in-process request still needs (<paramref name="first"/>: error answers, the write limit). No middleware
    /// is added to the main pipeline: its requests do not pass through anything new.
    /// </summary>
    public static IApplicationBuilder Capture(IApplicationBuilder app, Action<IApplicationBuilder> first)
    {
        var holder = app.ApplicationServices.GetRequiredService<InProcessPipeline>();
        return app.Use(next =>
        {
            var branch = app.New();
            // A branch of WebApplication gets a routing world of its own; this one must match the app's routes.
            if (app.Properties.TryGetValue(GlobalRoutesKey, out var routes))
                branch.Properties[GlobalRoutesKey] = routes;
            branch.UseRouting();
            first(branch);
            branch.Run(next);
            holder.pipeline = branch.Build();
            return next;
        });
    }

    /// <summary>One request as the caller's user, from the caller's address and with its cancellation; the answer in memory.</summary>
    public async Task<InProcessResponse> SendAsync(HttpContext caller, string method, string path, QueryString query,
        IReadOnlyList<KeyValuePair<string, string>> headers, byte[]? jsonBody)
    {
        var run = pipeline ?? throw new InvalidOperationException("The in-process pipeline was not captured (InProcessPipeline.Capture)");
        var request = new HttpRequestFeature
        {
            Method = method, Scheme = caller.Request.Scheme, PathBase = caller.Request.PathBase, Path = path, QueryString = query.Value ?? "",
            Protocol = "HTTP/1.1", Body = jsonBody is null ? Stream.Null : new MemoryStream(jsonBody, writable: false),
        };
        request.Headers.Host = caller.Request.Host.Value ?? "localhost";
        foreach (var (name, value) in headers)
            request.Headers.Append(name, value);
        if (jsonBody is not null)
        {
            request.Headers.ContentType = "application/json";
            request.Headers.ContentLength = jsonBody.Length;
        }
        var response = new InMemoryResponse();
        await using var scope = scopes.CreateAsyncScope();
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(request);
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(response);
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = caller.RequestAborted });
        features.Set<IHttpRequestIdentifierFeature>(new HttpRequestIdentifierFeature { TraceIdentifier = caller.TraceIdentifier });
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            ConnectionId = caller.Connection.Id, RemoteIpAddress = caller.Connection.RemoteIpAddress, RemotePort = caller.Connection.RemotePort,
            LocalIpAddress = caller.Connection.LocalIpAddress, LocalPort = caller.Connection.LocalPort,
        });
        features.Set<IHttpAuthenticationFeature>(new HttpAuthenticationFeature { User = caller.User });
        features.Set<IServiceProvidersFeature>(new RequestServicesFeature(scope.ServiceProvider));
        await run(new DefaultHttpContext(features));
        await response.CompleteAsync();
        return new InProcessResponse(response.StatusCode, response.Headers, response.Content);
    }

    private sealed class RequestServicesFeature(IServiceProvider services) : IServiceProvidersFeature
    {
        public IServiceProvider RequestServices { get; set; } = services;
    }
}

/// <summary>The answer to an in-process request: status, headers and body.</summary>
public sealed record InProcessResponse(int Status, IHeaderDictionary Headers, byte[] Body);
