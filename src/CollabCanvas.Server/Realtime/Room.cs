using System.Text.Json;
using CollabCanvas.Core.Model;
using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Access;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Log;

namespace CollabCanvas.Server.Realtime;

/// <summary>
/// One canvas in memory: its replica, its sessions and its recent batches. The log announces committed batches
/// in seq order and the room only queues them: on its own serial lane (<see cref="SerialExecutor"/>), off the log's
/// thread, it applies each once, serializes it once and hands it to every session, as an <c>ack</c> to its sender
/// and as <c>ops</c> to the others, so every session sees every batch exactly once, in order. Snapshots are made
/// there too. One lock guards the room; nothing inside it waits on I/O.
/// </summary>
public sealed class Room
{
    private readonly object _gate = new();
    private readonly ICanvasLog _log;
    private readonly RealtimeOptions _options;
    private readonly LogOptions _logOptions;
    private readonly ILogger _logger;
    private readonly List<Session> _sessions = [];
    /// <summary>Sessions of this canvas on other instances (shared log only), by session id.</summary>
    private readonly Dictionary<string, PeerInfo> _remotePeers = new(StringComparer.Ordinal);
    private readonly IPresenceBus? _presence;
    private readonly Queue<LogRecord> _recent = new();
    private readonly SerialExecutor _lane;
    /// <summary>Work waiting for a seq to be applied here (answers to resent batches, server-made batches), in no order.</summary>
    private readonly List<(long Seq, Action Then)> _afterApplied = [];
    private List<LogRecord>? _deliveredWhileLoading = [];
    /// <summary>The room's sessions when its lane ends a turn that queued batches, written to their sockets outside the lock; the lane's own.</summary>
    private Session[] _toFlush = [];
    /// <summary>Batches were queued to sessions in this turn of the lane; the lane's own.</summary>
    private bool _flushDue;
    private CanvasState _state = new();
    private long _seq;
    /// <summary><see cref="_recent"/> holds every batch after this seq.</summary>
    private long _recentBase;
    private byte[]? _objectsJson;
    /// <summary>The bound connectors' drawn points for <see cref="DocumentAsync"/>, made when asked for after a change.</summary>
    private byte[]? _connectorsJson;
    private int _unsnapshotted;
    private long _dirtySince;
    /// <summary>When (<see cref="Environment.TickCount64"/>) the room last applied a batch after loading; 0: none yet.</summary>
    private long _lastBatchAt;
    private bool _closed;
    private readonly Lazy<Task> _ready;
    private readonly TaskCompletionSource _stateBuilt = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Room(string canvasId, ICanvasLog log, RealtimeOptions options, LogOptions logOptions, ILogger logger, IPresenceBus? presence = null)
    {
        _presence = presence;
        CanvasId = canvasId;
        _log = log;
        _options = options;
        _logOptions = logOptions;
        _logger = logger;
        _lane = new SerialExecutor(logger, afterTurn: FlushSessions);
        _ready = new Lazy<Task>(LoadAsync);
    }

    public string CanvasId { get; }

    /// <summary>
    /// Loads the canvas from the log on first use, far enough to answer joins (<see cref="LoadAsync"/>); the room is
    /// registered for deliveries before that.
    /// </summary>
    public Task Ready => _ready.Value;

    public bool IsClosed
    {
        get { lock (_gate) return _closed; }
    }

    public int SessionCount
    {
        get { lock (_gate) return _sessions.Count; }
    }

    /// <summary>
    /// Completes once the room's <see cref="CanvasState"/> is built (<see cref="Ready"/> can come first: see
    /// <see cref="LoadAsync"/>). Faults when the snapshot is damaged.
    /// </summary>
    private Task StateBuilt => _stateBuilt.Task;

    /// <summary>
    /// Loads the canvas. When nothing follows its snapshot (the usual case: a room snapshots when it unloads), the room
    /// is ready as soon as the snapshot's bytes are here: they are the welcome's objects, as they are (the state writes
    /// what it reads), so a join does not wait for 10,000 objects to be parsed; the state is built on the room's lane
    /// (batches delivered before that wait for it in <see cref="_deliveredWhileLoading"/>, later ones come after it on
    /// the lane), so none is applied or sent before the state it applies to, and every join meanwhile gets the same bytes. Submits wait for it too (the object limit counts on
    /// it). With batches after the snapshot, the state is built here, on the join's path, as they apply to it.
    /// </summary>
    private async Task LoadAsync()
    {
        var stored = await _log.LoadAsync(CanvasId).ConfigureAwait(false);
        if (stored is { Snapshot: { } alone, Batches.Count: 0 })
        {
            lock (_gate)
            {
                _seq = _recentBase = alone.Seq;
                _objectsJson = alone.ObjectsJson;
            }
            _lane.Post(() => BuildState(alone));
            return;
        }
        var state = stored.Snapshot is { } snapshot ? CanvasState.Read(snapshot.ObjectsJson) : new CanvasState();
        var seq = stored.Snapshot?.Seq ?? 0;
        var recentBase = seq;
        var recent = new Queue<LogRecord>();
        foreach (var batch in stored.Batches)
        {
            ApplyLogged(state, batch);
            seq = batch.Seq;
            recent.Enqueue(batch with { Ops = null });
            if (recent.Count > _options.ReplayBufferBatches) recentBase = recent.Dequeue().Seq;
        }
        lock (_gate)
        {
            _seq = seq;
            _recentBase = recentBase;
            foreach (var r in recent) _recent.Enqueue(r);
            _unsnapshotted = stored.Batches.Count;
            if (_unsnapshotted > 0) _dirtySince = Environment.TickCount64;
            UseStateLocked(state);
        }
    }

    /// <summary>The room's first item on its lane when it loaded from a snapshot alone; parses outside the lock, which joins take.</summary>
    private void BuildState(Snapshot snapshot)
    {
        CanvasState state;
        try
        {
            state = CanvasState.Read(snapshot.ObjectsJson);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "the snapshot of canvas {Canvas} at seq {Seq} is damaged; closing its room", CanvasId, snapshot.Seq);
            lock (_gate)
            {
                CloseAll(CloseCodes.InternalError, "this canvas could not be loaded");
                _deliveredWhileLoading = null; // a closed room applies nothing
            }
            _stateBuilt.TrySetException(e);
            return;
        }
        lock (_gate)
        {
            UseStateLocked(state);
            _flushDue = true;
        }
    }

    /// <summary>Takes the built state and applies the batches delivered while it was being built.</summary>
    private void UseStateLocked(CanvasState state)
    {
        _state = state;
        var delivered = _deliveredWhileLoading!;
        _deliveredWhileLoading = null;
        foreach (var record in delivered) ApplyLocked(record);
        RunAfterAppliedLocked();
        _stateBuilt.TrySetResult();
    }

    private void ApplyLogged(CanvasState state, LogRecord batch)
    {
        try
        {
            state.Apply(batch.Ops ?? OpJson.ReadLogged(batch.OpsJson));
        }
        catch (InvalidDataException e)
        {
            // Every replica skips the same damaged batch, so they still agree.
            _logger.LogError(e, "skipping damaged batch {Seq} of canvas {Canvas}", batch.Seq, CanvasId);
        }
    }

    /// <summary>
    /// Called in seq order with the committed batches of this canvas, by the reader of the log's stream (never the
    /// log's writer), as many at once as it found waiting: queues them on the room's lane as one item (one lock, one
    /// turn), so that a room that fell behind catches up in few large steps instead of one step per batch; the lane
    /// applies them and writes them to the sockets on a pool thread. The reader does not run them itself even when the
    /// lane is idle: every socket write of the process would then be made by that one thread, which a loaded machine
    /// starves (measured: delivery fell to a fifth, docs/benchmarks.md). The room owns <paramref name="records"/> from
    /// here on.
    /// </summary>
    public void Deliver(IReadOnlyList<LogRecord> records) => _lane.Post(() => Apply(records));

    /// <summary>Completes once every batch delivered so far has been applied and queued to the sessions.</summary>
    public Task DeliveredAsync() => _lane.IdleAsync();

    private void Apply(IReadOnlyList<LogRecord> records)
    {
        lock (_gate)
        {
            if (_deliveredWhileLoading is { } pending) pending.AddRange(records);
            else if (!_closed)
            {
                foreach (var record in records) ApplyLocked(record);
                RunAfterAppliedLocked();
                _flushDue = true;
            }
        }
    }

    /// <summary>
    /// At the end of a lane turn that applied batches: writes what they queued to every session's socket, outside the
    /// lock (a write costs microseconds per session, and joins and submits wait for the lock), all batches of the turn
    /// in one write per session. A session that joined or left meanwhile is written or closed on its own.
    /// </summary>
    private void FlushSessions()
    {
        if (!_flushDue) return;
        _flushDue = false;
        int count;
        lock (_gate)
        {
            count = _sessions.Count;
            if (_toFlush.Length < count) _toFlush = new Session[Math.Max(count, 2 * _toFlush.Length)];
            _sessions.CopyTo(_toFlush);
        }
        for (var i = 0; i < count; i++)
        {
            _toFlush[i].Flush();
            _toFlush[i] = null!;
        }
    }

    /// <summary>
    /// Runs <paramref name="then"/> under the room lock once the batch <paramref name="seq"/> is applied here (at once
    /// if it is), so that what it sends takes its place after that batch on every socket; or when the room closes.
    /// </summary>
    private void AfterAppliedLocked(long seq, Action then)
    {
        if (seq <= _seq || _closed) then();
        else _afterApplied.Add((seq, then));
    }

    private void RunAfterAppliedLocked()
    {
        if (_afterApplied.Count == 0) return;
        foreach (var (seq, then) in _afterApplied)
            if (seq <= _seq || _closed) then();
        _afterApplied.RemoveAll(w => w.Seq <= _seq || _closed);
    }

    private void ApplyLocked(LogRecord record)
    {
        if (record.Seq <= _seq) return;
        ApplyLogged(_state, record);
        _seq = record.Seq;
        _objectsJson = null;
        _connectorsJson = null;
        if (_options.ReplayBufferBatches > 0)
        {
            _recent.Enqueue(record.Ops is null ? record : record with { Ops = null });
            while (_recent.Count > _options.ReplayBufferBatches) _recentBase = _recent.Dequeue().Seq;
        }
        else
        {
            _recentBase = _seq;
        }
        _lastBatchAt = Environment.TickCount64;
        if (_unsnapshotted++ == 0) _dirtySince = _lastBatchAt;

        // Queued only: FlushSessions writes them at the end of the lane's turn.
        byte[]? ops = null, ack = null;
        foreach (var session in _sessions)
        {
            if (session.ClientId == record.ClientId) session.Queue(ack ??= ServerMessages.Ack(record.Ref, record.Seq));
            else session.Queue(ops ??= ServerMessages.Ops(record.Seq, record.Actor, record.OpsJson));
        }
        if (_unsnapshotted >= BatchesBetweenSnapshots) SnapshotLocked();
    }

    /// <summary>
    /// <see cref="LogOptions.SnapshotEveryBatches"/>, or half the canvas's objects when that is more: a snapshot
    /// serializes and stores every object, so on a large canvas a fixed count would make each batch pay for many object
    /// serializations (5,000 objects every 500 batches is 10 per batch, on the room's lane and the log's writer). This
    /// way a snapshot costs at most two object serializations per batch, whatever the canvas's size, and a load
    /// replays at most half as many batches as the snapshot holds objects.
    /// </summary>
    private int BatchesBetweenSnapshots => Math.Max(_logOptions.SnapshotEveryBatches, _state.Count / 2);

    /// <summary>
    /// Adds a session after its <c>hello</c>: it gets a <c>welcome</c> with the missed batches when they are all
    /// still in the log, else the full state. Returns false when the room closed meanwhile (the caller retries).
    /// </summary>
    public async Task<bool> JoinAsync(Session session, HelloMessage hello)
    {
        await Ready.ConfigureAwait(false);
        IReadOnlyList<LogRecord>? fromLog = null;
        if (hello.Since is { } since)
        {
            bool needsLog;
            lock (_gate) needsLog = since < _recentBase && since <= _seq;
            if (needsLog) fromLog = await _log.ReadAfterAsync(CanvasId, since, _options.MaxReplayBatches + 1).ConfigureAwait(false);
        }
        lock (_gate)
        {
            if (_closed) return false;
            var replay = hello.Since is { } after ? ReplayLocked(after, fromLog) : null;
            var peers = _sessions.Select(s => s.Peer).Concat(_remotePeers.Values).ToArray();
            session.Peer = new PeerInfo(session.Id, session.User, null, []);
            byte[] welcome;
            if (replay is not null)
            {
                welcome = ServerMessages.Welcome(session.Id, session.User, session.Role.ToWire(), _seq, null, replay, peers);
            }
            else
            {
                var objects = _objectsJson ??= _state.ObjectsToUtf8();
                welcome = ServerMessages.Welcome(session.Id, session.User, session.Role.ToWire(), _seq, w => w.WriteRawValue(objects, skipInputValidation: true), null, peers);
            }
            session.Send(welcome);
            var join = ServerMessages.Join(session.Peer);
            foreach (var other in _sessions) other.Send(join);
            _sessions.Add(session);
            _presence?.Publish(CanvasId, session.Peer);
            return true;
        }
    }

    /// <summary>The batches after <paramref name="since"/>, or null when they are not all at hand (then the full state is sent).</summary>
    private List<ReplayBatch>? ReplayLocked(long since, IReadOnlyList<LogRecord>? fromLog)
    {
        if (since > _seq) return null; // a client from another history (e.g. a restored backup): start afresh
        IEnumerable<LogRecord> batches;
        if (since >= _recentBase)
        {
            batches = _recent.Where(r => r.Seq > since);
        }
        else
        {
            if (fromLog is null || fromLog.Count > _options.MaxReplayBatches) return null;
            var lastFromLog = fromLog.Count > 0 ? fromLog[^1].Seq : since;
            if (lastFromLog < _recentBase) return null;
            batches = fromLog.Where(r => r.Seq <= _seq).Concat(_recent.Where(r => r.Seq > lastFromLog));
        }
        var replay = batches.Select(r => new ReplayBatch(r.Seq, r.Actor, r.ClientId, r.Ref, r.OpsJson)).ToList();
        return replay.Count <= _options.MaxReplayBatches ? replay : null;
    }

    public void Leave(Session session)
    {
        lock (_gate)
        {
            if (!_sessions.Remove(session)) return;
            var leave = ServerMessages.Leave(session.Id);
            foreach (var other in _sessions) other.Send(leave);
            _presence?.Left(CanvasId, session.Id);
        }
    }

    /// <summary>
    /// Appends a batch, once the state is built (the object limit counts on it; the caller awaits, so a session's
    /// batches are appended in the order it sent them). Its ack reaches the sender through <see cref="Deliver"/>, after
    /// the commit; here only a resend (answered with the original ack, in its place after that batch) and refusals.
    /// </summary>
    public async Task SubmitAsync(Session session, OpsMessage message)
    {
        await StateBuilt.ConfigureAwait(false);
        lock (_gate)
        {
            if (_state.CountAfter(message.Ops) > _options.MaxObjectsPerCanvas)
            {
                session.Send(ServerMessages.Error(ErrorCodes.TooManyObjects,
                    $"a canvas holds at most {_options.MaxObjectsPerCanvas} objects", message.Ref));
                return;
            }
        }
        var append = _log.AppendAsync(new NewBatch(CanvasId, session.User.Id, session.ClientId, message.Ref, message.OpsJson, message.Ops));
        _ = AnswerAsync(session, message.Ref, append);
    }

    /// <summary>
    /// Appends a batch the server made for a user (an AI command): through the log like any other, so it is
    /// durable and reaches every session (the user's own included) as <c>ops</c>. Completes once the room has
    /// applied it, so that <see cref="DocumentAsync"/> shows it. Null when the canvas would hold too many objects.
    /// </summary>
    public async Task<AppendResult?> SubmitFromServerAsync(string actor, string clientId, Op[] ops, byte[] opsJson)
    {
        await StateBuilt.ConfigureAwait(false);
        lock (_gate)
            if (_state.CountAfter(ops) > _options.MaxObjectsPerCanvas) return null;
        var result = await _log.AppendAsync(new NewBatch(CanvasId, actor, clientId, Ids.New(16), opsJson, ops)).ConfigureAwait(false);
        await AppliedAsync(result.Seq).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Completes once the room has applied <paramref name="seq"/> (or closed): the room applies batches on its own lane
    /// after the log completes the append, and whoever made a batch on the server reads the canvas next (a template,
    /// an AI command).
    /// </summary>
    private Task AppliedAsync(long seq)
    {
        var applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate) AfterAppliedLocked(seq, applied.SetResult);
        return applied.Task;
    }

    private async Task AnswerAsync(Session session, string reference, Task<AppendResult> append)
    {
        try
        {
            var result = await append.ConfigureAwait(false);
            switch (result.Outcome)
            {
                case AppendOutcome.Duplicate:
                    // The original may still be on its way to this room: the ack must not overtake it, nor what precedes it.
                    var ack = ServerMessages.Ack(reference, result.Seq);
                    lock (_gate) AfterAppliedLocked(result.Seq, () => session.Send(ack));
                    break;
                case AppendOutcome.RefConflict:
                    session.Send(ServerMessages.Error(ErrorCodes.RefConflict,
                        $"ref \"{reference}\" was already used for another batch (seq {result.Seq}); use a new ref", reference));
                    break;
            }
        }
        catch (CanvasLogBusyException)
        {
            session.Send(ServerMessages.Error(ErrorCodes.RateLimited, "the server is busy storing batches; this one was not applied, send it again later", reference));
        }
        catch (Exception e)
        {
            _logger.LogError(e, "append to canvas {Canvas} failed", CanvasId);
            session.Send(ServerMessages.Error(ErrorCodes.Internal, "the batch could not be stored; it was not applied, send it again", reference));
        }
    }

    public void UpdatePresence(Session session, PresenceMessage presence)
    {
        lock (_gate)
        {
            session.Peer = session.Peer with { Cursor = presence.Cursor, Selection = presence.Selection, Viewport = presence.Viewport };
            var message = ServerMessages.Presence(session.Peer);
            foreach (var other in _sessions)
                if (other != session) other.Send(message);
            _presence?.Publish(CanvasId, session.Peer);
        }
    }

    /// <summary>A session on another instance appeared or moved (shared log only).</summary>
    public void RemotePresence(PeerInfo peer)
    {
        lock (_gate)
        {
            var known = _remotePeers.ContainsKey(peer.Session);
            _remotePeers[peer.Session] = peer;
            var message = known ? ServerMessages.Presence(peer) : ServerMessages.Join(peer);
            foreach (var session in _sessions) session.Send(message);
        }
    }

    /// <summary>A session on another instance left, or its instance stopped reporting it.</summary>
    public void RemoteLeave(string sessionId)
    {
        lock (_gate)
        {
            if (!_remotePeers.Remove(sessionId)) return;
            var leave = ServerMessages.Leave(sessionId);
            foreach (var session in _sessions) session.Send(leave);
        }
    }

    /// <summary>
    /// The room's last seq and when (<see cref="Environment.TickCount64"/>) it last applied a batch since it loaded (0:
    /// none): a burst of edits followed by quiet makes an automatic version.
    /// </summary>
    public (long Seq, long LastBatchAt) Activity
    {
        get { lock (_gate) return (_seq, _lastBatchAt); }
    }

    /// <summary>
    /// The whole document, as <c>GET /api/canvases/{id}/document</c> returns it: the objects, and the points of the bound
    /// connectors as drawn from them (<see cref="Connectors"/>), once the state is built (the connectors are drawn from it).
    /// </summary>
    public async Task<(long Seq, byte[] ObjectsJson, byte[] ConnectorsJson)> DocumentAsync()
    {
        await StateBuilt.ConfigureAwait(false);
        lock (_gate) return (_seq, _objectsJson ??= _state.ObjectsToUtf8(), _connectorsJson ??= Connectors.DrawnToUtf8(_state));
    }

    /// <summary>
    /// A copy of the canvas as the room holds it now, for a server-side reader that works on the state itself (a
    /// restore diffs it against a version): no JSON written and read back.
    /// </summary>
    public async Task<(long Seq, CanvasState State)> StateCopyAsync()
    {
        await StateBuilt.ConfigureAwait(false);
        lock (_gate) return (_seq, _state.Clone());
    }

    /// <summary>Writes a snapshot when batches arrived since the last one and <paramref name="force"/> or the time is up.</summary>
    public Task SnapshotIfDueAsync(bool force)
    {
        lock (_gate)
        {
            if (_unsnapshotted == 0 || _deliveredWhileLoading is not null) return Task.CompletedTask;
            if (!force && Environment.TickCount64 - _dirtySince < _logOptions.SnapshotEverySeconds * 1000L) return Task.CompletedTask;
            return SnapshotLocked();
        }
    }

    private Task SnapshotLocked()
    {
        _unsnapshotted = 0;
        var objects = _objectsJson ??= _state.ObjectsToUtf8();
        return SaveSnapshotAsync(new Snapshot(_seq, objects));
    }

    private async Task SaveSnapshotAsync(Snapshot snapshot)
    {
        try
        {
            await _log.SaveSnapshotAsync(CanvasId, snapshot).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Nothing is lost: the batches stay in the log until a later snapshot covers them.
            _logger.LogError(e, "snapshot of canvas {Canvas} at seq {Seq} failed", CanvasId, snapshot.Seq);
        }
    }

    /// <summary>Closes the room if it has no sessions; a closed room takes no sessions and no deliveries.</summary>
    public bool TryCloseIfEmpty()
    {
        lock (_gate)
        {
            if (_sessions.Count > 0 || _closed) return false;
            _closed = true;
            RunAfterAppliedLocked();
            return true;
        }
    }

    /// <summary>Closes the room and every session in it with <paramref name="code"/>.</summary>
    public void CloseAll(int code, string reason)
    {
        lock (_gate)
        {
            _closed = true;
            RunAfterAppliedLocked();
            foreach (var session in _sessions) session.Close(code, reason);
            _sessions.Clear();
        }
    }
}
