using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Tests.Infrastructure;
using Npgsql;

namespace CollabCanvas.Server.Tests.Backend;

/// <summary>Access changes over LISTEN/NOTIFY (Postgres without Redis): what the contract suite cannot show.</summary>
public sealed class PostgresAccessEventBusTests
{
    [Fact]
    public async Task An_instance_whose_listening_connection_is_cut_listens_again()
    {
        await using var backend = await BackendUnderTest.StartAsync(nameof(BackendProvider.Postgres));
        var bus = backend.Get<IAccessEventBus>();
        using var stop = new CancellationTokenSource();
        await using var changes = bus.Subscribe(stop.Token).GetAsyncEnumerator();
        await using var admin = NpgsqlDataSource.Create(backend.Postgres!);

        await using (var cut = admin.CreateCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'collabcanvas_access'"))
            Assert.Equal(1L, await cut.ExecuteScalarAsync());

        // What is published while it is cut off is lost (nothing is stored); once it listens again, changes arrive.
        var next = changes.MoveNextAsync().AsTask();
        var attempt = 0;
        await Eventually.Until(async () =>
        {
            await bus.PublishAsync(new AccessChange(SessionId: "s" + ++attempt));
            return await Task.WhenAny(next, Task.Delay(200)) == next;
        }, "a change published after the cut reaches the subscriber");
        Assert.True(await next);
        Assert.StartsWith("s", changes.Current.SessionId);
    }
}
