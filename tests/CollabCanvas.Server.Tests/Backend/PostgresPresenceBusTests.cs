using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Tests.Infrastructure;
using Npgsql;

namespace CollabCanvas.Server.Tests.Backend;

/// <summary>Presence over NOTIFY (Postgres without Redis): what the contract suite cannot show.</summary>
public sealed class PostgresPresenceBusTests
{
    private static PeerInfo Peer(string session, int selected = 0) =>
        new(session, new UserInfo("user-" + session, "Name of " + session, "#123456"), new Cursor(1, 2),
            [.. Enumerable.Range(0, selected).Select(i => $"object-{session}-{i:D8}")]);

    /// <summary>Reads remote presence until every session of <paramref name="sessions"/> has appeared; returns the latest of each.</summary>
    private static async Task<Dictionary<string, PeerInfo>> ArrivedAsync(IPresenceBus bus, IReadOnlyCollection<string> sessions)
    {
        using var ceiling = new CancellationTokenSource(Eventually.Ceiling);
        var arrived = new Dictionary<string, PeerInfo>();
        while (!sessions.All(arrived.ContainsKey))
            if (await bus.Remote.ReadAsync(ceiling.Token) is RemotePeer peer) arrived[peer.Peer.Session] = peer.Peer;
        return arrived;
    }

    [Fact]
    public async Task A_tick_larger_than_a_notification_arrives_whole_in_several()
    {
        await using var first = await BackendUnderTest.StartAsync(nameof(BackendProvider.Postgres));
        await using var second = await first.StartAnotherAsync();
        second.Get<IPresenceBus>().Publish("c", Peer("here")); // someone there to tell
        // 80 sessions selecting 20 objects each: about 60 kB in one tick, where one notification holds less than 8,000 bytes.
        var sessions = Enumerable.Range(0, 80).Select(i => $"s{i}").ToList();
        foreach (var session in sessions) first.Get<IPresenceBus>().Publish("c", Peer(session, selected: 20));

        var arrived = await ArrivedAsync(second.Get<IPresenceBus>(), sessions);
        Assert.All(sessions, s => Assert.Equal(Peer(s, 20).Selection, arrived[s].Selection));
    }

    [Fact]
    public async Task A_selection_too_large_for_a_notification_arrives_cut_to_what_fits()
    {
        await using var first = await BackendUnderTest.StartAsync(nameof(BackendProvider.Postgres));
        await using var second = await first.StartAnotherAsync();
        second.Get<IPresenceBus>().Publish("c", Peer("here"));
        var large = Peer("large", selected: ClientMessages.MaxSelection); // about 25 kB of ids

        first.Get<IPresenceBus>().Publish("c", large);

        var arrived = (await ArrivedAsync(second.Get<IPresenceBus>(), ["large"]))["large"];
        Assert.NotEmpty(arrived.Selection);
        Assert.Equal(large.Selection[..arrived.Selection.Length], arrived.Selection);
        Assert.Equal((large.User, large.Cursor), (arrived.User, arrived.Cursor));
    }

    [Fact]
    public async Task An_instance_whose_listening_connection_is_cut_hears_the_others_again_when_it_listens_again()
    {
        await using var first = await BackendUnderTest.StartAsync(nameof(BackendProvider.Postgres));
        await using var second = await first.StartAnotherAsync();
        second.Get<IPresenceBus>().Publish("c", Peer("here"));
        first.Get<IPresenceBus>().Publish("c", Peer("before"));
        await ArrivedAsync(second.Get<IPresenceBus>(), ["before"]);
        await using var admin = NpgsqlDataSource.Create(second.Postgres!);

        await using (var cut = admin.CreateCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'collabcanvas_presence'"))
            Assert.Equal(2L, await cut.ExecuteScalarAsync()); // both instances' listening connections
        first.Get<IPresenceBus>().Publish("c", Peer("after"));

        await ArrivedAsync(second.Get<IPresenceBus>(), ["after"]);
    }
}
