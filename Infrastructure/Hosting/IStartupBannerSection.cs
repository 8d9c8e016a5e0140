namespace MySecureApi.Infrastructure.Hosting;

/// <summary>Lines a capability adds to the start-up banner, after where the API listens.</summary>
public interface IStartupBannerSection
{
    /// <param name="url">The first listening address as a URL a person can open.</param>
    /// <param name="addresses">Every listening address.</param>
    IEnumerable<string> Lines(string url, IReadOnlyList<string> addresses);
}
