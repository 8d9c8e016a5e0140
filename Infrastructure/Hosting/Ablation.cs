using FastEndpoints;

namespace MySecureApi.Infrastructure.Hosting;

/// <summary>A piece of the request pipeline that the benchmark's ablation build can remove alone, to price it.</summary>
public enum Piece
{
    Hygiene,
    ErrorResponder,
    Cors,
    ForwardedHeaders,
    ClientRateLimit,
    SubjectRateLimit,
    RequestActivities,
    IssuerSelection,
    CacheBookkeeping,
    FastEndpoints,
    Authorization,
}

/// <summary>
/// Which pieces a benchmark build leaves out (<c>bench/run.py --ablation</c> builds with <c>-c Ablation</c> and
/// names them in <c>MYSECUREAPI_ABLATE</c>). In every other build <see cref="Removes"/> is the constant false, which
/// the JIT folds away: nothing here can switch off a check of a shipped build.
/// </summary>
public static partial class Ablation
{
#if ABLATION
    private static readonly bool[] Removed = Enum.GetValues<Piece>()
        .Select(piece => (Environment.GetEnvironmentVariable("MYSECUREAPI_ABLATE") ?? "").Split(',').Contains(piece.ToString()))
        .ToArray();

    public static bool Removes(Piece piece) => Removed[(int)piece];
#else
    public static bool Removes(Piece piece) => false;
#endif

    /// <summary>FastEndpoints' discovery, without the benchmarked routes when FastEndpoints is removed.</summary>
    public static void Discovery(EndpointDiscoveryOptions options) => ExcludeBenchmarkedEndpoints(options);

    /// <summary>With FastEndpoints removed, the benchmarked routes as minimal API endpoints (bench/ablation).</summary>
    public static void MapRoutesWithoutFastEndpoints(WebApplication app) => MapMinimalRoutes(app);

    static partial void ExcludeBenchmarkedEndpoints(EndpointDiscoveryOptions options);

    static partial void MapMinimalRoutes(WebApplication app);
}
