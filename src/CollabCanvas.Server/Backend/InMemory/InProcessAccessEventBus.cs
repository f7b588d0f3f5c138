using System.Threading.Channels;

namespace CollabCanvas.Server.Backend.InMemory;

/// <summary>
/// Access changes when one process is all there is (in memory, or a SQLite file no other process writes): handed to
/// every subscriber of this process as they are published, with nothing stored and nothing polled. (Several processes
/// sharing a SQLite file pass them on through it: <see cref="Sqlite.SharedSqliteAccessEventBus"/>.)
/// </summary>
public sealed class InProcessAccessEventBus : IAccessEventBus
{
    private readonly Lock _gate = new();
    private readonly List<Channel<AccessChange>> _subscribers = [];

    public Task PublishAsync(AccessChange change, CancellationToken cancellationToken = default)
    {
        lock (_gate)
            foreach (var subscriber in _subscribers) subscriber.Writer.TryWrite(change);
        return Task.CompletedTask;
    }

    public IAsyncEnumerable<AccessChange> Subscribe(CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<AccessChange>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate) _subscribers.Add(channel);
        cancellationToken.Register(() =>
        {
            lock (_gate) _subscribers.Remove(channel);
            channel.Writer.TryComplete();
        });
        return channel.Reader.ReadAllAsync(cancellationToken);
    }
}
