using System.Runtime.InteropServices;

namespace CollabCanvas.Server.Backend.Sqlite;

/// <summary>
/// A blocking lock shared by every process writing one SQLite file (flock(2) on a lock file beside it). SQLite's own
/// busy handler waits by sleeping 1, 2, 5, 10, 15, 20, 25... ms between tries, so under contention a writer can
/// sleep tens of milliseconds after the lock is free; the kernel wakes a flock waiter the moment it is released.
/// Writers take this lock around each write transaction, so SQLite's lock is always free when they ask for it.
/// </summary>
public sealed class WriterLock : IDisposable
{
    private const int LockExclusive = 2, Unlock = 8, ReadWriteCreate = 2 | 64; // O_RDWR | O_CREAT
    // Opened with open(2), not FileStream: .NET takes an advisory lock of its own on files it opens (to emulate
    // FileShare), and a shared lock held by every process would block the exclusive one forever.
    private readonly int _fd;

    public WriterLock(string databasePath)
    {
        _fd = open(databasePath + ".write.lock", ReadWriteCreate, 0b110_100_100);
        if (_fd < 0) throw new IOException($"cannot open the writer lock file: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Blocks until this process holds the lock; dispose the result to release it.</summary>
    public Held Acquire()
    {
        while (flock(_fd, LockExclusive) != 0)
        {
            if (Marshal.GetLastPInvokeError() != 4) throw new IOException($"flock failed: errno {Marshal.GetLastPInvokeError()}"); // 4: EINTR, retry
        }
        return new Held(_fd);
    }

    public readonly struct Held(int fd) : IDisposable
    {
        public void Dispose() => flock(fd, Unlock);
    }

    public void Dispose() => close(_fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int flock(int fd, int operation);

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
