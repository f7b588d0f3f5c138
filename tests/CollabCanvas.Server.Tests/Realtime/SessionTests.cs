using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Realtime;
using CollabCanvas.Server.Tests.Infrastructure;

namespace CollabCanvas.Server.Tests.Realtime;

/// <summary>
/// <see cref="Session"/>'s sending side on an in-memory socket: who writes, what is joined into one frame, the order,
/// the slow-consumer limit and the closing frame.
/// </summary>
public class SessionTests
{
    [Fact]
    public void A_message_to_an_idle_session_is_written_at_once_on_the_senders_thread_as_it_is()
    {
        var socket = new RecordingSocket();
        var session = new Session("s", socket, maxQueuedBytes: 64 * 1024);
        var message = Message(1);

        session.Send(message);

        Assert.Same(message, Assert.Single(socket.Frames)); // no copy, no array around it
        Assert.Equal(Environment.CurrentManagedThreadId, Assert.Single(socket.SendThreads)); // no hop to another thread
    }

    [Fact]
    public async Task Messages_queued_while_a_write_waits_go_out_after_it_as_one_frame_in_order()
    {
        var socket = new RecordingSocket();
        socket.StopCompletingSends();
        var session = new Session("s", socket, maxQueuedBytes: 64 * 1024);

        session.Send(Message(0)); // the socket does not take it yet
        for (var i = 1; i < 10; i++) session.Send(Message(i));
        Assert.Single(socket.SendThreads); // the others wait for the one write in flight, no second writer
        socket.CompleteSends();

        await Eventually.Until(() => socket.Frames.Count == 2, "two frames");
        Assert.Equal([0], Numbers(socket.Frames[0]));
        Assert.Equal(Enumerable.Range(1, 9), Numbers(socket.Frames[1]));
    }

    [Fact]
    public async Task Many_senders_at_once_each_see_every_message_written_once_in_their_order()
    {
        var socket = new RecordingSocket { SometimesAsync = true };
        var session = new Session("s", socket, maxQueuedBytes: 64 * 1024 * 1024);
        const int senders = 4, each = 2000;

        await Task.WhenAll(Enumerable.Range(0, senders).Select(s => Task.Run(() =>
        {
            for (var i = 0; i < each; i++) session.Send(Message(s * each + i));
        })));

        await Eventually.Until(() => socket.Frames.Sum(f => Numbers(f).Count) == senders * each, "every message");
        var written = socket.Frames.SelectMany(Numbers).ToList();
        Assert.Equal(senders * each, written.Distinct().Count());
        for (var s = 0; s < senders; s++)
        {
            var mine = written.Where(n => n / each == s).ToList();
            Assert.Equal(mine.Order(), mine);
        }
        Assert.False(session.IsClosing);
    }

    [Fact]
    public async Task A_session_whose_peer_stops_reading_is_closed_as_a_slow_consumer_once_its_queue_overflows()
    {
        var socket = new RecordingSocket();
        socket.StopCompletingSends();
        var session = new Session("s", socket, maxQueuedBytes: Enumerable.Range(1, 10).Sum(i => Message(i).Length));

        session.Send(Message(0)); // in flight, never taken
        for (var i = 1; i <= 10; i++) session.Send(Message(i)); // exactly fills the queue
        Assert.False(session.IsClosing);
        session.Send(Message(11));

        Assert.True(session.IsClosing);
        Assert.False(session.ClosedAsync().IsCompleted); // the closing frame waits for the write in flight
        socket.CompleteSends();
        await session.ClosedAsync().WaitAsync(Eventually.Ceiling);
        Assert.Equal((WebSocketCloseStatus)CloseCodes.SlowConsumer, socket.SentCloseStatus);
        Assert.Equal([0], Numbers(Assert.Single(socket.Frames))); // what was queued behind it was dropped
    }

    [Fact]
    public async Task Closing_writes_what_is_queued_then_the_closing_frame_and_nothing_after()
    {
        var socket = new RecordingSocket();
        socket.StopCompletingSends();
        var session = new Session("s", socket, maxQueuedBytes: 64 * 1024);
        session.Send(Message(0));
        session.Send(Message(1));

        session.Close((int)WebSocketCloseStatus.NormalClosure, "bye");
        session.Send(Message(2));
        Assert.False(session.ClosedAsync().IsCompleted);
        socket.CompleteSends();

        await session.ClosedAsync().WaitAsync(Eventually.Ceiling);
        Assert.Equal([0, 1], socket.Frames.SelectMany(Numbers));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.SentCloseStatus);
    }

    private static byte[] Message(int n) => Encoding.UTF8.GetBytes($$"""{"type":"test","n":{{n}}}""");

    /// <summary>The <c>n</c> of every message in a frame: one message, or an array of several.</summary>
    private static List<int> Numbers(byte[] frame)
    {
        var root = JsonDocument.Parse(frame).RootElement;
        var messages = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
        return messages.Select(m => m.GetProperty("n").GetInt32()).ToList();
    }
}
