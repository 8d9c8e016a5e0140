using FastEndpoints;
using FluentValidation;

namespace MySecureApi.Tests.Fixtures;

/// <summary>Test-only routes (discovered by FastEndpoints in the test host only) for failures no real route has.</summary>
internal sealed class ThrowingEndpoint : EndpointWithoutRequest
{
    public const string Route = "/test/throw";
    public const string Secret = "secret-connection-string=Server=db;Password=hunter2";

    public override void Configure()
    {
        Get(Route);
        AllowAnonymous();
    }

    public override Task HandleAsync(CancellationToken ct) => throw new InvalidOperationException(Secret);
}

/// <summary>A protected POST route with a validated JSON body: the 400 validation shape.</summary>
internal sealed class EchoEndpoint : Endpoint<EchoRequest, EchoResponse>
{
    public const string Route = "/test/echo";

    public override void Configure() => Post(Route);

    public override Task HandleAsync(EchoRequest req, CancellationToken ct) => Send.OkAsync(new EchoResponse(req.Name, User.Identity!.Name!), ct);
}

/// <summary>The same over a form-encoded body: RFC 6750 §2.2 form-body tokens.</summary>
internal sealed class FormEchoEndpoint : Endpoint<EchoRequest, EchoResponse>
{
    public const string Route = "/test/form-echo";

    public override void Configure()
    {
        Post(Route);
        AllowFormData(urlEncoded: true);
    }

    public override Task HandleAsync(EchoRequest req, CancellationToken ct) => Send.OkAsync(new EchoResponse(req.Name, User.Identity!.Name!), ct);
}

internal sealed class EchoRequest
{
    public string Name { get; set; } = "";

    public sealed class Validator : Validator<EchoRequest>
    {
        public Validator() => RuleFor(r => r.Name).NotEmpty().MaximumLength(20);
    }
}

internal sealed record EchoResponse(string Name, string User);

/// <summary>A route that stays in its handler until the test lets it go: a request in flight during shutdown.</summary>
internal sealed class SlowEndpoint : EndpointWithoutRequest
{
    public const string Route = "/test/slow";

    public static TaskCompletionSource Entered { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static TaskCompletionSource Release { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Configure()
    {
        Get(Route);
        AllowAnonymous();
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        Entered.TrySetResult();
        await Release.Task;
        await Send.OkAsync(ct);
    }
}
