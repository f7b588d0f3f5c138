using System.Buffers;

namespace CollabCanvas.Server.Realtime;

/// <summary>
/// A session's queue of serialized messages and who writes it to the socket: many producers, at most one writer at a
/// time, and no thread or task of its own. A producer that finds nobody writing becomes the writer on its own thread
/// (<see cref="TryStartWriting"/>); the writer takes what is queued (several messages as one frame), and hands the
/// role back only when it finds the queue empty, under the same lock as the producers' adds, so that no message is
/// left behind unwritten. An idle outbox holds an empty queue and a few flags (no buffer, no awaitable), which
/// matters at 10,000 idle sessions.
/// </summary>
internal sealed class Outbox
{
    /// <summary>Largest frame several queued messages are joined into; a message larger than this goes alone.</summary>
    public const int MaxCoalescedBytes = 64 * 1024;

    private readonly Queue<byte[]> _items = new();
    private long _queuedBytes;
    private bool _writing;
    private bool _completed;
    private bool _finished;
    private TaskCompletionSource? _finishedSource;
    private Exception? _error;

    /// <summary>
    /// Adds a message unless the outbox is completed, or the bytes queued would exceed <paramref name="maxQueuedBytes"/>
    /// (a message larger than that is still taken when it is the only one: it cannot be split).
    /// </summary>
    public Added TryAdd(byte[] message, long maxQueuedBytes)
    {
        lock (_items)
        {
            if (_completed) return Added.No;
            if (_queuedBytes + message.Length > maxQueuedBytes && _items.Count > 0) return Added.Overflowed;
            _items.Enqueue(message);
            _queuedBytes += message.Length;
            return Added.Yes;
        }
    }

    /// <summary>
    /// No more messages will be added; the writer writes what is queued (nothing, with <paramref name="dropQueued"/>),
    /// then the closing frame.
    /// </summary>
    public void Complete(bool dropQueued)
    {
        lock (_items)
        {
            _completed = true;
            if (dropQueued) ClearLocked();
        }
    }

    /// <summary>
    /// True when the caller is now the writer: something is to be written (a message, or the closing frame) and no one
    /// else is writing. The writer calls <see cref="TakeNext"/> until it answers <see cref="Step.Idle"/> or
    /// <see cref="Step.Finished"/>.
    /// </summary>
    public bool TryStartWriting()
    {
        lock (_items)
        {
            if (_writing || _finished || (_items.Count == 0 && !_completed)) return false;
            _writing = true;
            return true;
        }
    }

    /// <summary>
    /// The writer's next step. <see cref="Step.Write"/> gives the next frame: the queued message itself when it is
    /// alone (or too large to join), else a JSON array of as many queued messages as fit in
    /// <see cref="MaxCoalescedBytes"/> (a rented buffer: hand it to <see cref="Frame.Dispose"/>). <see cref="Step.Idle"/>
    /// hands the writer's role back; <see cref="Step.Close"/> asks for the closing frame, after which the writer calls
    /// <see cref="Finish"/>.
    /// </summary>
    public Step TakeNext(out Frame frame)
    {
        frame = default;
        lock (_items)
        {
            if (_items.TryDequeue(out var first))
            {
                frame = _items.TryPeek(out var next) && first.Length + next.Length + 3 <= MaxCoalescedBytes
                    ? JoinLocked(first) : new Frame(first, first.Length, rented: false);
                _queuedBytes -= frame.Bytes.Length;
                return Step.Write;
            }
            if (_completed) return Step.Close;
            _writing = false;
            return Step.Idle;
        }
    }

    private Frame JoinLocked(byte[] first)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxCoalescedBytes);
        var length = 0;
        var count = 1;
        buffer[length++] = (byte)'[';
        first.CopyTo(buffer, length);
        length += first.Length;
        while (_items.TryPeek(out var next) && length + next.Length + 2 <= MaxCoalescedBytes)
        {
            _items.Dequeue();
            count++;
            buffer[length++] = (byte)',';
            next.CopyTo(buffer, length);
            length += next.Length;
        }
        buffer[length++] = (byte)']';
        _queuedBytes += count + 1; // the brackets and commas were never queued
        return new Frame(buffer, length, rented: true);
    }

    private void ClearLocked()
    {
        _items.Clear();
        _queuedBytes = 0;
    }

    /// <summary>
    /// Nothing more will be written (the closing frame went out, or the socket failed): completes
    /// <see cref="FinishedAsync"/>, faulted with <paramref name="error"/> when a bug stopped the writer.
    /// </summary>
    public void Finish(Exception? error = null)
    {
        TaskCompletionSource? waiting;
        lock (_items)
        {
            _completed = true;
            _finished = true;
            _error ??= error;
            _writing = false;
            ClearLocked();
            waiting = _finishedSource;
        }
        if (waiting is null) return;
        if (error is null) waiting.TrySetResult();
        else waiting.TrySetException(error);
    }

    /// <summary>Completes once <see cref="Finish"/> was called; allocates only when asked before then.</summary>
    public Task FinishedAsync()
    {
        lock (_items)
            return _finished ? (_error is null ? Task.CompletedTask : Task.FromException(_error))
                : (_finishedSource ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
    }

    public enum Added { Yes, No, Overflowed }

    public enum Step { Write, Close, Idle }

    /// <summary>One frame to write: a queued message as it is, or several joined in a rented buffer.</summary>
    public readonly struct Frame(byte[] array, int length, bool rented)
    {
        public ReadOnlyMemory<byte> Bytes => array.AsMemory(0, length);

        public void Dispose()
        {
            if (rented) ArrayPool<byte>.Shared.Return(array);
        }
    }
}
