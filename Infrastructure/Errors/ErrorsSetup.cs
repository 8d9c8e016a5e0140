using FastEndpoints;
using Microsoft.AspNetCore.Diagnostics;

namespace MySecureApi.Infrastructure.Errors;

/// <summary>Routes the framework's error sources — routing, FastEndpoints, exceptions — through <see cref="ErrorResponder"/>.</summary>
public static class ErrorsSetup
{
    /// <summary>Unhandled exceptions (500) and bodiless framework errors (404, 405, …); goes first in the pipeline.</summary>
    public static IApplicationBuilder UseErrorResponder(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("MySecureApi.Errors");
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            SuppressDiagnosticsCallback = _ => true,
            ExceptionHandler = context =>
            {
                var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                logger.LogError(exception, "Unhandled exception on {Method} {Path}, traceId {TraceId}",
                    context.Request.Method, context.Request.Path, RequestTrace.Id(context));
                return ErrorResponder.WriteAsync(context, ApiErrors.ServerError);
            },
        });
        return app.UseStatusCodePages(context => ErrorResponder.WriteAsync(context.HttpContext, ApiErrors.ForStatus(context.HttpContext.Response.StatusCode)));
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
}
