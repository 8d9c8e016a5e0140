using FastEndpoints;
using FluentValidation.Results;
using Microsoft.AspNetCore.Diagnostics;

namespace MySecureApi.Infrastructure.Errors;

/// <summary>Routes the framework's error sources — routing, FastEndpoints, exceptions — through <see cref="ErrorResponder"/>.</summary>
public static partial class ErrorsSetup
{
    /// <summary>Unhandled exceptions (500) and bodiless framework errors (404, 405, …); goes first in the pipeline.</summary>
    public static IApplicationBuilder UseErrorResponder(this IApplicationBuilder app)
    {
        if (Hosting.Ablation.Removes(Hosting.Piece.ErrorResponder))
            return app;
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("MySecureApi.Errors");
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            SuppressDiagnosticsCallback = _ => true,
            ExceptionHandler = async context =>
            {
                var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                // Concerns that know an exception (the database being down: 503) answer it first.
                if (exception is not null)
                    foreach (var handler in context.RequestServices.GetServices<IExceptionHandler>())
                        if (await handler.TryHandleAsync(context, exception, context.RequestAborted))
                            return;
                if (exception is BadHttpRequestException bad)
                {
                    await ErrorResponder.WriteAsync(context, ApiErrors.ForStatus(bad.StatusCode));
                    return;
                }
                logger.LogError(exception, "Unhandled exception on {Method} {Path}, traceId {TraceId}",
                    context.Request.Method, context.Request.Path, RequestTrace.Id(context));
                await ErrorResponder.WriteAsync(context, ApiErrors.ServerError);
            },
        });
        return app.Use(static next => context =>
        {
            var handled = next(context);
            return handled.IsCompletedSuccessfully ? AnswerBodilessError(context) : AnswerBodilessErrorAfter(handled, context);
        });
    }

    /// <summary>
    /// What ASP.NET's status-code pages do — a 4xx/5xx that nothing wrote a body for (routing's 404 and 405, a bare
    /// <c>Send.NotFoundAsync()</c>) gets the error body — without the feature object they set on every request.
    /// </summary>
    private static Task AnswerBodilessError(HttpContext context)
    {
        var response = context.Response;
        if (response.HasStarted || response.StatusCode is < 400 or >= 600 || response.ContentLength.HasValue || !string.IsNullOrEmpty(response.ContentType))
            return Task.CompletedTask;
        return ErrorResponder.WriteAsync(context, ApiErrors.ForStatus(response.StatusCode));
    }

    private static async Task AnswerBodilessErrorAfter(Task handled, HttpContext context)
    {
        await handled;
        await AnswerBodilessError(context);
    }

    /// <summary>FastEndpoints' own 4xx (validation, <c>ThrowError</c>) in the same shape.</summary>
    public static void UseApiErrors(this ErrorOptions errors)
    {
        errors.ContentType = ProblemBody.ContentType;
        errors.ResponseBuilder = (failures, context, status) =>
        {
            var fields = failures.GroupBy(f => f.PropertyName)
                .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).ToArray());
            var error = status == StatusCodes.Status400BadRequest
                ? ApiErrors.Validation(fields)
                : ApiErrors.ForStatus(status) with { Fields = fields.Count > 0 ? fields : null };
            return ProblemBody.From(error, context);
        };
    }

    /// <summary>
    /// A body FastEndpoints cannot bind — not JSON, a value of the wrong type, an unknown member — is a 400 whose
    /// <c>errors</c> name the member, with a fixed message (System.Text.Json's own messages name .NET types).
    /// </summary>
    public static void UseApiBindingErrors(this BindingOptions binding) =>
        binding.JsonExceptionTransformer = e => UnknownMember().Match(e.Message) is { Success: true } unknown && unknown.Groups[1].Length <= 100
            ? new ValidationFailure(unknown.Groups[1].Value, "This member is not allowed.")
            : new ValidationFailure(FieldOf(e.Path), "The value is not valid JSON of the expected type.");

    private static string FieldOf(string? path) =>
        path is null || !path.StartsWith("$.", StringComparison.Ordinal) || path.Length > 102 ? "body" : path[2..];

    [System.Text.RegularExpressions.GeneratedRegex("^The JSON property '([^']*)' could not be mapped to any .NET member")]
    private static partial System.Text.RegularExpressions.Regex UnknownMember();
}
