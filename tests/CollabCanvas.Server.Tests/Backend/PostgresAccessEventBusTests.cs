using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Tests.Infrastructure;
using Npgsql;

namespace CollabCanvas.Server.Tests.Backend;

/// <summary>Access changes over LISTEN/NOTIFY (Postgres without Redis): what the contract suite cannot show.</summary>
public sealed class PostgresAccessEventBusTests
{
    [Fact]
    public async Task An_instance_whose_listening_connection_is_cut_reads_what_it_missed_when_it_listens_again()
    {
        await using var backend = await BackendUnderTest.StartAsync(nameof(BackendProvider.Postgres));
        var bus = backend.Get<IAccessEventBus>();
        using var stop = new CancellationTokenSource();
        await using var changes = bus.Subscribe(stop.Token).GetAsyncEnumerator();
        await using var admin = NpgsqlDataSource.Create(backend.Postgres!);

        await using (var cut = admin.CreateCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'collabcanvas_access'"))
            Assert.Equal(1L, await cut.ExecuteScalarAsync());

        // Published while it is cut off: read when it listens again.
        await bus.PublishAsync(new AccessChange(SessionId: "s1"));

        Assert.True(await changes.MoveNextAsync().AsTask().WaitAsync(Eventually.Ceiling));
        Assert.Equal(new AccessChange(SessionId: "s1"), changes.Current);
    }
}
