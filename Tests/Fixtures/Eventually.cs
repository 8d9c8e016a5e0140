namespace MySecureApi.Tests.Fixtures;

/// <summary>Waits (real time, bounded) for something the app does in the background.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out waiting for: {what}");
            await Task.Delay(20, Ct);
        }
    }

    public static Task TrueAsync(Func<bool> condition, string what, double seconds = 10) =>
        TrueAsync(() => Task.FromResult(condition()), what, seconds);
}
