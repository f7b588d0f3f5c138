using System.Collections.Concurrent;

namespace CollabCanvas.Server.Realtime;

/// <summary>
/// Runs posted work one item at a time, in the order posted, on the thread pool: a room's own serial lane. Posting
/// never blocks and never runs the work on the poster's thread. While empty it holds no thread and no task, so idle
/// rooms cost nothing. <paramref name="afterTurn"/> runs on the lane at the end of every turn (the items one pool
/// work item ran, at most <see cref="ItemsPerTurn"/>), in order with the items: a room writes there what its items
/// queued, so that several batches applied in one turn reach each socket as one write.
/// </summary>
internal sealed class SerialExecutor(ILogger logger, Action? afterTurn = null) : IThreadPoolWorkItem
{
    /// <summary>Items run per turn before the executor queues itself again, so that one busy room cannot hold a pool thread.</summary>
    private const int ItemsPerTurn = 64;
    private readonly ConcurrentQueue<Action> _items = new();
    /// <summary>1 while a turn is queued or running.</summary>
    private int _scheduled;

    public void Post(Action item)
    {
        _items.Enqueue(item);
        if (Interlocked.Exchange(ref _scheduled, 1) == 0) ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>Completes once everything posted before the call has run.</summary>
    public Task IdleAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(done.SetResult);
        return done.Task;
    }

    void IThreadPoolWorkItem.Execute()
    {
        var ran = 0;
        while (true)
        {
            while (_items.TryDequeue(out var item))
            {
                Run(item);
                if (++ran >= ItemsPerTurn && !_items.IsEmpty)
                {
                    EndTurn();
                    ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                    return;
                }
            }
            EndTurn();
            Volatile.Write(ref _scheduled, 0);
            // An item posted between the last dequeue and the reset saw the flag still set and queued no turn.
            if (_items.IsEmpty || Interlocked.Exchange(ref _scheduled, 1) != 0) return;
        }
    }

    private void EndTurn()
    {
        if (afterTurn is not null) Run(afterTurn);
    }

    private void Run(Action item)
    {
        try
        {
            item();
        }
        catch (Exception e)
        {
            // One item's bug must not stop the ones after it.
            logger.LogError(e, "a room's queued work failed");
        }
    }
}
