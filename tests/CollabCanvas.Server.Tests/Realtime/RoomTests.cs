using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Access;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Log;
using CollabCanvas.Server.Realtime;
using CollabCanvas.Server.Tests.Backend;
using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CollabCanvas.Server.Tests.Realtime;

/// <summary>
/// <see cref="Room"/> and <see cref="RoomManager"/> in this process, on a real log (<see cref="BackendUnderTest"/>),
/// with sessions on in-memory sockets (<see cref="RecordingSocket"/>) that record every frame written to them.
/// </summary>
public class RoomTests
{
    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task Every_session_gets_every_batch_once_in_seq_order_with_its_own_acks_in_place(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        using var rooms = await StartRoomsAsync(backend);
        var room = await rooms.GetAsync("c1");
        var sessions = new List<(Session Session, RecordingSocket Socket)>();
        for (var i = 0; i < 4; i++) sessions.Add(await JoinAsync(room, $"s{i}"));

        await Task.WhenAll(sessions.Select(s => Task.Run(async () =>
        {
            for (var b = 0; b < 25; b++) await room.SubmitAsync(s.Session, Ops($"r{b}", $"{s.Session.Id}-{b % 3}", b));
        })));

        await Eventually.Until(() => sessions.All(s => s.Socket.Seqs().Count >= 100), "every session has 100 batches");
        var all = sessions[0].Socket.Seqs();
        Assert.Equal(100, all.Distinct().Count());
        Assert.Equal(all.Order(), all); // seq order, whether as ack or as ops
        foreach (var (session, socket) in sessions)
        {
            Assert.Equal(all, socket.Seqs());
            Assert.Equal(25, socket.Messages().Count(m => m.GetProperty("type").GetString() == "ack"));
        }
        Assert.Equal(all[^1], (await room.DocumentAsync()).Seq);
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_batch_is_serialized_once_and_the_same_bytes_reach_every_other_session(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        using var rooms = await StartRoomsAsync(backend);
        var room = await rooms.GetAsync("c1");
        var (sender, senderSocket) = await JoinAsync(room, "sender");
        var others = new List<RecordingSocket>();
        for (var i = 0; i < 3; i++) others.Add((await JoinAsync(room, $"s{i}")).Socket);
        var before = others.Select(o => o.Frames.Count).ToArray();

        await room.SubmitAsync(sender, Ops("r1", "a", 1));

        await Eventually.Until(() => others.Select((o, i) => o.Frames.Count > before[i]).All(x => x), "the batch reached every other session");
        var frames = others.Select((o, i) => o.Frames[before[i]]).ToList();
        Assert.All(frames, f => Assert.Contains("\"type\":\"ops\"", Encoding.UTF8.GetString(f)));
        Assert.All(frames, f => Assert.Same(frames[0], f));
        await Eventually.Until(() => senderSocket.Seqs().Count == 1, "the sender got its ack");
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_session_that_stops_reading_does_not_delay_the_others(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        using var rooms = await StartRoomsAsync(backend);
        var room = await rooms.GetAsync("c1");
        var (stuck, stuckSocket) = await JoinAsync(room, "stuck");
        stuckSocket.StopCompletingSends();
        var (sender, senderSocket) = await JoinAsync(room, "sender");
        var (_, readerSocket) = await JoinAsync(room, "reader");

        for (var b = 0; b < 50; b++) await room.SubmitAsync(sender, Ops($"r{b}", "a", b));

        await Eventually.Until(() => readerSocket.Seqs().Count == 50 && senderSocket.Seqs().Count == 50, "the others got all 50 batches");
        Assert.Empty(stuckSocket.Seqs());
        Assert.False(stuck.IsClosing); // 50 small batches are well within its queue: it is waited for, not dropped
        stuckSocket.CompleteSends();
        await Eventually.Until(() => stuckSocket.Seqs().Count == 50, "the stuck session catches up once it reads again");
        Assert.Equal(readerSocket.Seqs(), stuckSocket.Seqs());
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task An_empty_room_is_snapshotted_and_released_and_the_next_one_loads_the_same_document(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        using var rooms = await StartRoomsAsync(backend, idleRoomSeconds: 0);
        var room = await rooms.GetAsync("c1");
        var (session, socket) = await JoinAsync(room, "s");
        for (var b = 0; b < 3; b++) await room.SubmitAsync(session, Ops($"r{b}", $"o{b}", b));
        await Eventually.Until(() => socket.Seqs().Count == 3, "three acks");
        var document = (await room.DocumentAsync());

        room.Leave(session);
        await rooms.ReleaseAsync(room);

        Assert.True(room.IsClosed);
        Assert.Null(rooms.Find("c1"));
        var stored = await backend.Get<ICanvasLog>().LoadAsync("c1");
        Assert.Equal(document.Seq, stored.Snapshot?.Seq);
        Assert.Empty(stored.Batches);
        var next = await rooms.GetAsync("c1");
        Assert.NotSame(room, next);
        Assert.Equal(document.Seq, (await next.DocumentAsync()).Seq);
        Assert.Equal(Encoding.UTF8.GetString(document.ObjectsJson), Encoding.UTF8.GetString((await next.DocumentAsync()).ObjectsJson));
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_room_loaded_from_its_snapshot_alone_welcomes_with_its_bytes_and_counts_its_objects_for_the_first_submit(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        using var rooms = await StartRoomsAsync(backend, idleRoomSeconds: 0);
        var room = await rooms.GetAsync("c1");
        var (seeder, seederSocket) = await JoinAsync(room, "seeder");
        var limit = new RealtimeOptions().MaxObjectsPerCanvas;
        for (var first = 0; first < limit; first += 1000) await room.SubmitAsync(seeder, Creates($"r{first}", first, 1000));
        await Eventually.Until(() => seederSocket.Seqs().Count == limit / 1000, "every ack");
        room.Leave(seeder);
        await rooms.ReleaseAsync(room);
        var snapshot = (await backend.Get<ICanvasLog>().LoadAsync("c1")).Snapshot!;

        // The submit follows the join at once: the room is still building its state from the snapshot, and must wait
        // for it, or it would count no objects and accept one too many.
        var next = await rooms.GetAsync("c1");
        var socket = new RecordingSocket();
        var joiner = new Session("joiner", socket, new RealtimeOptions().MaxQueuedBytes)
        {
            User = new UserInfo("u-joiner", "joiner", "#123456"),
            Role = Role.Editor,
            ClientId = "client-joiner",
        };
        Assert.True(await next.JoinAsync(joiner, new HelloMessage(null, joiner.ClientId)));
        await next.SubmitAsync(joiner, Ops("one-too-many", "extra", 1));

        await Eventually.Until(() => socket.Messages().Any(m => m.GetProperty("type").GetString() == "error"), "the answer to the submit");
        var welcome = socket.Messages().Single(m => m.GetProperty("type").GetString() == "welcome");
        Assert.Equal(snapshot.Seq, welcome.GetProperty("seq").GetInt64());
        Assert.Equal(Encoding.UTF8.GetString(snapshot.ObjectsJson), welcome.GetProperty("objects").GetRawText());
        Assert.Equal(ErrorCodes.TooManyObjects, socket.Messages().Single(m => m.GetProperty("type").GetString() == "error").GetProperty("code").GetString());
        Assert.Equal(snapshot.Seq, (await next.DocumentAsync()).Seq);
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_resent_batch_is_answered_with_its_original_ack_and_applied_once(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider);
        using var rooms = await StartRoomsAsync(backend);
        var room = await rooms.GetAsync("c1");
        var (session, socket) = await JoinAsync(room, "s");
        var (_, otherSocket) = await JoinAsync(room, "other");

        await room.SubmitAsync(session, Ops("r1", "a", 1));
        await Eventually.Until(() => socket.Seqs().Count == 1, "the ack");
        await room.SubmitAsync(session, Ops("r1", "a", 1));

        await Eventually.Until(() => socket.Seqs().Count == 2, "the second ack");
        Assert.Equal(socket.Seqs()[0], socket.Seqs()[1]);
        Assert.Single(otherSocket.Seqs());
    }

    [Theory, MemberData(nameof(BackendUnderTest.Providers), MemberType = typeof(BackendUnderTest))]
    public async Task A_large_canvas_waits_half_as_many_batches_as_it_has_objects_between_snapshots(string provider)
    {
        await using var backend = await BackendUnderTest.StartAsync(provider, ("Log:SnapshotEveryBatches", "5"));
        using var rooms = await StartRoomsAsync(backend);
        var room = await rooms.GetAsync("c1");
        var (session, socket) = await JoinAsync(room, "s");
        var hundred = string.Join(",", Enumerable.Range(0, 100).Select(i => $$$"""{"op":"put","id":"o{{{i}}}","props":{"type":"rect"}}"""));
        await room.SubmitAsync(session, (OpsMessage)ClientMessages.Parse(Encoding.UTF8.GetBytes($$"""{"type":"ops","ref":"all","ops":[{{hundred}}]}"""),
            new RealtimeOptions().ToLimits()).Single());
        for (var b = 1; b <= 60; b++) await room.SubmitAsync(session, Ops($"r{b}", "o0", b));
        await Eventually.Until(() => socket.Seqs().Count == 61, "61 acks");
        await backend.Get<ICanvasLog>().FlushAsync();

        // 100 objects: a snapshot after 50 batches (not every 5), and none in the 11 since.
        var stored = await backend.Get<ICanvasLog>().LoadAsync("c1");
        Assert.Equal(socket.Seqs()[49], stored.Snapshot?.Seq);
        Assert.Equal(11, stored.Batches.Count);
    }

    /// <summary>A room manager reading the log's stream; disposing it stops that.</summary>
    private static async Task<RoomManager> StartRoomsAsync(BackendUnderTest backend, int idleRoomSeconds = 30)
    {
        var rooms = new RoomManager(backend.Get<ICanvasLog>(), Options.Create(new RealtimeOptions { IdleRoomSeconds = idleRoomSeconds }),
            backend.Get<IOptions<LogOptions>>(), NullLogger<Room>.Instance);
        await rooms.StartAsync(CancellationToken.None);
        return rooms;
    }

    private static async Task<(Session Session, RecordingSocket Socket)> JoinAsync(Room room, string name)
    {
        var socket = new RecordingSocket();
        var session = new Session(name, socket, new RealtimeOptions().MaxQueuedBytes)
        {
            User = new UserInfo("u-" + name, name, "#123456"),
            Role = Role.Editor,
            ClientId = "client-" + name,
        };
        Assert.True(await room.JoinAsync(session, new HelloMessage(null, session.ClientId)));
        await Eventually.Until(() => socket.Messages().Any(m => m.GetProperty("type").GetString() == "welcome"), "the welcome");
        return (session, socket);
    }

    private static OpsMessage Creates(string reference, int first, int count) =>
        (OpsMessage)ClientMessages.Parse(Encoding.UTF8.GetBytes($$"""{"type":"ops","ref":"{{reference}}","ops":[{{string.Join(",",
            Enumerable.Range(first, count).Select(i => $$$"""{"op":"put","id":"o{{{i}}}","props":{"type":"rect","x":{{{i % 1000}}}}}"""))}}]}"""),
            new RealtimeOptions().ToLimits()).Single();

    private static OpsMessage Ops(string reference, string id, int x) =>
        (OpsMessage)ClientMessages.Parse(Encoding.UTF8.GetBytes(
            $$$"""{"type":"ops","ref":"{{{reference}}}","ops":[{"op":"put","id":"{{{id}}}","props":{"type":"rect","x":{{{x}}}}}]}"""),
            new RealtimeOptions().ToLimits()).Single();
}
