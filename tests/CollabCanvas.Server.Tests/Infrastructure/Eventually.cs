namespace CollabCanvas.Server.Tests.Infrastructure;

/// <summary>
/// How tests wait: on a condition, with a generous ceiling. A loaded machine (two cores, several test runs at once)
/// makes everything slower, and that must make the suite slower, not red; a wait ends as soon as its condition holds,
/// so a long ceiling costs nothing when things work. Times themselves are measured in bench/, never asserted here.
/// </summary>
public static class Eventually
{
    /// <summary>
    /// For a process to start (the .NET runtime, JIT, migrations) and say it is listening: a few seconds on an idle
    /// machine, over a minute seen on two cores shared by several test runs.
    /// </summary>
    public static readonly TimeSpan ProcessStart = TimeSpan.FromSeconds(120);

    /// <summary>For anything else a test waits for: a message, a close, a state that another instance will reach.</summary>
    public static readonly TimeSpan Ceiling = TimeSpan.FromMilliseconds(CeilingMilliseconds);

    /// <summary><see cref="Ceiling"/> as a constant, for default parameter values.</summary>
    public const int CeilingMilliseconds = 60_000;

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> after the ceiling.</summary>
    public static Task Until(Func<bool> condition, string what, TimeSpan? ceiling = null) =>
        Until(() => Task.FromResult(condition()), what, ceiling);

    /// <inheritdoc cref="Until(Func{bool}, string, TimeSpan?)"/>
    public static async Task Until(Func<Task<bool>> condition, string what, TimeSpan? ceiling = null)
    {
        var deadline = Environment.TickCount64 + (long)(ceiling ?? Ceiling).TotalMilliseconds;
        while (!await condition())
        {
            if (Environment.TickCount64 > deadline) throw new TimeoutException($"{what}: not within {(ceiling ?? Ceiling).TotalSeconds:0} s");
            await Task.Delay(20);
        }
    }
}
