using System.Diagnostics;

namespace CollabCanvas.Server.Tests.Infrastructure;

/// <summary>
/// Stops a process the tests started when the test host dies before it could (a crash, a hang killed by the runner,
/// <c>kill -9</c>): no server outlives a red run. Disposing the process covers every other ending.
/// </summary>
public static class HostWatchdog
{
    /// <summary>
    /// A shell in its own session (killing the host's process group spares it) that kills <paramref name="process"/>
    /// once the host is gone, and ends by itself once the process is (a stopped server leaves no watchdog behind).
    /// </summary>
    public static void KillWithHost(Process process)
    {
        var watchdog = new ProcessStartInfo("setsid")
        {
            ArgumentList =
            {
                "/bin/sh", "-c", "while kill -0 \"$1\" 2>/dev/null && kill -0 \"$2\" 2>/dev/null; do sleep 1; done; kill -9 \"$2\" 2>/dev/null",
                "test-host-watchdog", Environment.ProcessId.ToString(), process.Id.ToString(),
            },
            RedirectStandardInput = true, // not the host's console
        };
        Process.Start(watchdog)!.Dispose();
    }
}
