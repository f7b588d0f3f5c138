using System.Diagnostics;

namespace CollabCanvas.Bench;

/// <summary>Latency samples in milliseconds; one recorder per client so that recording takes no lock.</summary>
public sealed class Recorder
{
    public List<float> Samples { get; } = new(1 << 12);
    public volatile bool Recording;

    public void RecordSince(long startTimestamp)
    {
        if (Recording) Samples.Add((float)Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds);
    }
}

public static class Stats
{
    public static string Summary(IEnumerable<Recorder> recorders)
    {
        var all = recorders.SelectMany(r => r.Samples).ToArray();
        if (all.Length == 0) return "no samples";
        Array.Sort(all);
        float P(double q) => all[Math.Min(all.Length - 1, (int)(q * all.Length))];
        return $"n={all.Length} p50={P(0.50):F2}ms p95={P(0.95):F2}ms p99={P(0.99):F2}ms max={all[^1]:F2}ms";
    }

    /// <summary>CPU time (user + system) the process has used, from /proc/pid/stat.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11]) + long.Parse(fields[12]); // utime, stime (fields 14 and 15)
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    public static long RssKb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:")) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        throw new InvalidOperationException("no VmRSS");
    }
}
