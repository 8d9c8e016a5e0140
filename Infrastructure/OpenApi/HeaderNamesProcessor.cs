using FastEndpoints;
using FastEndpoints.Swagger;
using NSwag;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace MySecureApi.Infrastructure.OpenApi;

/// <summary>
/// A header parameter carries the exact name its <c>[FromHeader]</c> declares (<c>If-Match</c>, <c>Idempotency-Key</c>):
/// FastEndpoints passes header names through the JSON naming policy (<c>if-Match</c>), and a client generated from the
/// document would send that.
/// </summary>
internal sealed class HeaderNamesProcessor : IOperationProcessor
{
    public bool Process(OperationProcessorContext context)
    {
        if (context.GetEndpointDefinition()?.ReqDtoType is not { } requestType)
            return true;
        var declared = requestType.GetProperties()
            .Select(p => p.GetCustomAttributes(typeof(FromHeaderAttribute), true).OfType<FromHeaderAttribute>().FirstOrDefault()?.HeaderName)
            .OfType<string>().ToList();
        foreach (var parameter in context.OperationDescription.Operation.Parameters.Where(p => p.Kind == OpenApiParameterKind.Header))
            if (declared.Find(name => name.Equals(parameter.Name, StringComparison.OrdinalIgnoreCase)) is { } exact)
                parameter.Name = exact;
        return true;
    }
}
