using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace CollabCanvas.Server.Features;

/// <summary>
/// The directory of one watched file (the flags file), for a configuration source: reads through
/// <see cref="PhysicalFileProvider"/>, but notices changes by looking at the file's size and time once a second
/// instead of an inotify watch of the directory. The flags file lives in the data directory, beside the SQLite
/// database: an inotify watch there (what <see cref="PhysicalFileProvider"/> sets up) is woken by every write to the
/// database's WAL, which cost 7 % of the server's CPU in the durable benchmark on a thread of its own, plus the
/// kernel's notifications inside each write (docs/benchmarks.md). One look a second costs next to nothing and
/// keeps the promise that a saved flags file applies within a second. It lives as long as the configuration, the
/// process's life.
/// </summary>
internal sealed class PolledFile : IFileProvider
{
    private readonly PhysicalFileProvider _files;
    private readonly string _path;
    private (bool Exists, long Length, DateTime WrittenAt) _seen;
    private CancellationTokenSource _changed = new();
    /// <summary>Held: a timer nothing references is collected, and stops.</summary>
    private readonly Timer _timer;

    public PolledFile(string path, TimeSpan every)
    {
        _path = path;
        _files = new PhysicalFileProvider(Path.GetDirectoryName(path)!);
        _seen = Look();
        _timer = new Timer(static state => ((PolledFile)state!).Check(), this, every, every);
    }

    public IFileInfo GetFileInfo(string subpath) => _files.GetFileInfo(subpath);

    public IDirectoryContents GetDirectoryContents(string subpath) => _files.GetDirectoryContents(subpath);

    /// <summary>A token that fires at the next change of the file (whatever <paramref name="filter"/> names: there is one file).</summary>
    public IChangeToken Watch(string filter) => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    private (bool, long, DateTime) Look()
    {
        var file = new FileInfo(_path);
        return file.Exists ? (true, file.Length, file.LastWriteTimeUtc) : (false, 0, default);
    }

    private void Check()
    {
        var now = Look();
        if (now == _seen) return;
        _seen = now;
        // Not disposed: a reader may still be registering on the old token, which then fires at once.
        Interlocked.Exchange(ref _changed, new CancellationTokenSource()).Cancel();
    }
}
