using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using MySecureApi.Infrastructure.Errors;
using MySecureApi.Infrastructure.Redis;
using OpenTelemetry;
using OpenTelemetry.Instrumentation.StackExchangeRedis;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MySecureApi.Infrastructure.Telemetry;

/// <summary>
/// OpenTelemetry, configured by its standard variables (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>OTEL_SERVICE_NAME</c>,
/// <c>OTEL_TRACES_SAMPLER</c>, … — from the environment or appsettings): with an OTLP endpoint, traces, metrics and logs
/// go there; with <c>Metrics:Prometheus:Enabled</c>, metrics are also served for scraping on the management port.
/// With neither, nothing is registered and the request path pays nothing.
/// </summary>
public static class TelemetrySetup
{
    /// <summary>
    /// The meters exported: the API's own, ASP.NET Core's requests, connections and exceptions, the HTTP client's, the
    /// runtime's and Npgsql's. ASP.NET Core's routing, authentication and authorization meters record on every request
    /// and say little the API's own meter does not; <c>Metrics:AdditionalMeters</c> adds them (or any other) by name.
    /// </summary>
    public static readonly string[] Meters =
    [
        ApiMetrics.MeterName,
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics",
        "System.Net.Http", "System.Runtime", "Npgsql",
    ];

    public const string AdditionalMetersKey = "Metrics:AdditionalMeters";

    public static WebApplicationBuilder AddApiTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.AddOptions<PrometheusOptions>().BindConfiguration(PrometheusOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<PrometheusOptions>, PrometheusOptionsValidator>();
        builder.Services.AddOptions<PrometheusOptions>().ValidateOnStart();
        UseJsonLogsWithTraceIds(builder);

        var otlp = OtlpConfigured(configuration);
        var prometheus = configuration.GetSection(PrometheusOptions.Section).Get<PrometheusOptions>() ?? new PrometheusOptions();
        if (!otlp && !prometheus.Enabled)
            return builder;
        if (prometheus.Enabled && builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey) is { Length: > 0 } urls)
            builder.WebHost.UseUrls([.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries), prometheus.Url]);

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter([.. Meters, .. configuration.GetSection(AdditionalMetersKey).Get<string[]>() ?? []]);
                if (prometheus.Enabled)
                    metrics.AddPrometheusExporter();
            });
        if (!otlp)
            return builder;

        telemetry
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.RecordException = false)
                .AddHttpClientInstrumentation(o => o.RecordException = false)
                .AddRedisInstrumentation()
                .AddSource(ApiMetrics.MeterName, "Npgsql"))
            .WithLogging(_ => { }, o => o.IncludeScopes = true)
            .UseOtlpExporter();
        // The Redis connection is made in the background, after the tracer provider exists.
        builder.Services.AddSingleton<IRedisConnectionObserver, RedisTracing>();
        return builder;
    }

    /// <summary>
    /// The Prometheus scrape endpoint (<c>/metrics</c>), answered only for connections that arrive on the management
    /// port, never on the API's port (the check is on the socket, not on the client-chosen <c>Host</c> header).
    /// </summary>
    public static WebApplication UseMetricsEndpoint(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<PrometheusOptions>>().Value;
        if (!options.Enabled)
            return app;
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Connection.LocalPort == options.Port && context.Request.Path == PrometheusOptions.Path);
        // The management port serves the metrics only.
        app.Use((context, next) => context.Connection.LocalPort == options.Port
            ? ErrorResponder.WriteAsync(context, ApiErrors.NotFound)
            : next(context));
        return app;
    }

    /// <summary>True when any OTLP endpoint is configured (all signals or one) and the SDK is not disabled.</summary>
    internal static bool OtlpConfigured(IConfiguration configuration) =>
        !string.Equals(configuration["OTEL_SDK_DISABLED"], "true", StringComparison.OrdinalIgnoreCase)
        && new[] { "", "TRACES_", "METRICS_", "LOGS_" }.Any(signal => !string.IsNullOrWhiteSpace(configuration[$"OTEL_EXPORTER_OTLP_{signal}ENDPOINT"]));

    /// <summary>
    /// <c>Logging:Console:FormatterName=json</c> writes one JSON object per line; its scopes (on unless configured off)
    /// carry the request's <c>TraceId</c> and <c>SpanId</c>, so the request needs an activity even with tracing off.
    /// </summary>
    private static void UseJsonLogsWithTraceIds(WebApplicationBuilder builder)
    {
        var console = builder.Configuration.GetSection("Logging:Console");
        if (!string.Equals(console["FormatterName"], ConsoleFormatterNames.Json, StringComparison.OrdinalIgnoreCase))
            return;
        if (console["FormatterOptions:IncludeScopes"] is null)
            builder.Services.Configure<JsonConsoleFormatterOptions>(o => o.IncludeScopes = true);
        if (!Hosting.Ablation.Removes(Hosting.Piece.RequestActivities))
            builder.Services.AddHostedService<RequestActivities>();
    }

    private sealed class RedisTracing(IServiceProvider services) : IRedisConnectionObserver
    {
        public void Connected(StackExchange.Redis.IConnectionMultiplexer multiplexer) =>
            services.GetService<StackExchangeRedisInstrumentation>()?.AddConnection(multiplexer);
    }
}
