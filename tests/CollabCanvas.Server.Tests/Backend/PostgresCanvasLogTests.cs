using System.Text;
using System.Threading.Channels;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Backend.Postgres;
using CollabCanvas.Server.Log;
using CollabCanvas.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CollabCanvas.Server.Tests.Backend;

/// <summary>
/// Two <see cref="PostgresCanvasLog"/> instances on one real database, between them a commit feed that loses notices on
/// purpose: every committed batch still comes out on every instance's stream, once and in seq order, repaired from
/// the database (after a gap, by the safety check, after the feed reconnects).
/// </summary>
public sealed class PostgresCanvasLogTests
{
    /// <summary>Longer than any wait of a test: what arrives, arrives without the safety check.</summary>
    private const int NoSafetyCheck = 600_000;

    private static NewBatch Batch(string canvas, string client, string reference) =>
        new(canvas, "user-1", client, reference, Encoding.UTF8.GetBytes($$$"""[{"op":"put","id":"{{{reference}}}","props":{"type":"text"}}]"""), []);

    private static async Task<List<long>> ReadSeqsAsync(ICanvasLog log, int count)
    {
        using var ceiling = new CancellationTokenSource(Eventually.Ceiling);
        var seqs = new List<long>();
        while (seqs.Count < count)
        {
            if (await log.Committed.ReadAsync(ceiling.Token) is LogRecord record) seqs.Add(record.Seq);
        }
        return seqs;
    }

    [Fact]
    public async Task Notices_lost_before_a_later_one_are_repaired_when_it_arrives()
    {
        await using var database = await TestDatabase.CreateAsync();
        var hub = new LossyFeedHub();
        // Only the gap after a lost notice can bring the lost batches.
        await using var a = await database.StartLogAsync(hub.Join(), safetyCheckMilliseconds: NoSafetyCheck);
        await using var b = await database.StartLogAsync(hub.Join(), safetyCheckMilliseconds: NoSafetyCheck);
        await a.Log.WatchAsync("c");
        await b.Log.WatchAsync("c");

        hub.Drop = notice => notice.Seq % 4 == 0;
        var appends = new[] { a, b }.SelectMany((instance, i) => Enumerable.Range(0, 2).Select(writer => Task.Run(async () =>
        {
            for (var n = 0; n < 40; n++) await instance.Log.AppendAsync(Batch("c", $"client-{i}-{writer}", $"r{n}"));
        }))).ToList();
        await Task.WhenAll(appends);
        hub.Drop = _ => false;
        var last = await a.Log.AppendAsync(Batch("c", "client-last", "r0"));

        Assert.Equal(161, last.Seq);
        Assert.True(hub.Dropped >= 40, $"only {hub.Dropped} notices were dropped");
        foreach (var instance in new[] { a, b }) Assert.Equal(Enumerable.Range(1, 161).Select(s => (long)s), await ReadSeqsAsync(instance.Log, 161));
        Assert.False(b.Log.Committed.TryRead(out var extra), $"more came out than was appended: {extra}");
    }

    [Fact]
    public async Task A_lost_last_notice_is_found_by_the_safety_check()
    {
        await using var database = await TestDatabase.CreateAsync();
        var hub = new LossyFeedHub { Drop = _ => true };
        await using var a = await database.StartLogAsync(hub.Join(), safetyCheckMilliseconds: NoSafetyCheck);
        await using var b = await database.StartLogAsync(hub.Join(), safetyCheckMilliseconds: 200);
        await b.Log.WatchAsync("c");

        for (var n = 0; n < 3; n++) await a.Log.AppendAsync(Batch("c", "client", $"r{n}"));

        Assert.Equal([1, 2, 3], await ReadSeqsAsync(b.Log, 3));
        Assert.Equal(3, hub.Dropped);
    }

    [Fact]
    public async Task A_notify_feed_that_reconnects_has_the_log_read_what_it_missed()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var a = await database.StartLogAsync(feed: null, safetyCheckMilliseconds: NoSafetyCheck);
        await using var b = await database.StartLogAsync(feed: null, safetyCheckMilliseconds: NoSafetyCheck);
        await b.Log.WatchAsync("c");
        await a.Log.AppendAsync(Batch("c", "client", "r0"));
        Assert.Equal([1], await ReadSeqsAsync(b.Log, 1)); // through NOTIFY: the listeners are up

        // The listening connections die; commits now are announced to nobody. The feeds listen again a second later.
        Assert.True(await database.TerminateListenersAsync() >= 2);
        for (var n = 1; n < 4; n++) await a.Log.AppendAsync(Batch("c", "client", $"r{n}"));

        Assert.Equal([2, 3, 4], await ReadSeqsAsync(b.Log, 3));
    }

    /// <summary>
    /// A group commit is one round trip whose COMMIT comes after the rows it returns: a commit that fails there (here a
    /// deferred check) must fail the append, never acknowledge it, and the writer goes on with the next.
    /// </summary>
    [Fact]
    public async Task An_append_whose_commit_fails_is_not_acknowledged()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.ExecuteAsync("""
            CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.ref = 'poison' THEN RAISE EXCEPTION 'refused at commit'; END IF; RETURN NEW; END $$;
            CREATE CONSTRAINT TRIGGER refuse_poison AFTER INSERT ON canvas_log DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW EXECUTE FUNCTION refuse_poison();
            """);
        await using var a = await database.StartLogAsync(new LossyFeedHub().Join(), safetyCheckMilliseconds: NoSafetyCheck);
        await a.Log.WatchAsync("c");

        var refused = await Assert.ThrowsAsync<PostgresException>(() => a.Log.AppendAsync(Batch("c", "client", "poison")));
        Assert.Contains("refused at commit", refused.MessageText);
        var next = await a.Log.AppendAsync(Batch("c", "client", "r1"));

        Assert.Equal(new AppendResult(AppendOutcome.Appended, 1), next);
        Assert.Equal([1], await ReadSeqsAsync(a.Log, 1));
        Assert.False(a.Log.Committed.TryRead(out var extra), $"more came out than was committed: {extra}");
    }

    /// <summary>
    /// The writers keep one generic plan per statement, made at their first commit while the tables are empty (and
    /// known to be: vacuumed, so PostgreSQL does not guess a size): it must still read the log and the heads by key,
    /// never by scanning a table (which costs a commit the whole table once the log is large). Counted by PostgreSQL's
    /// own statistics, which each writer reports when idle.
    /// </summary>
    [Fact]
    public async Task Group_commits_planned_on_empty_tables_read_the_log_and_the_heads_by_key_only()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.ExecuteAsync("VACUUM ANALYZE canvas_log");
        await database.ExecuteAsync("VACUUM ANALYZE canvas_heads");
        await using var a = await database.StartLogAsync(new LossyFeedHub().Join(), safetyCheckMilliseconds: NoSafetyCheck);
        var before = await database.ScansAsync();

        var appends = Enumerable.Range(0, 8).Select(canvas => Task.Run(async () =>
        {
            for (var n = 0; n < 10; n++) await a.Log.AppendAsync(Batch($"c{canvas}", "client", $"r{n}"));
        }));
        await Task.WhenAll(appends);
        // A resend goes through the same statements and is found by its key.
        Assert.Equal(new AppendResult(AppendOutcome.Duplicate, 3), await a.Log.AppendAsync(Batch("c0", "client", "r2")));

        // Once the writers reported their 80 rows, they reported their scans too.
        await Eventually.Until(async () => (await database.ScansAsync()).LogInserted - before.LogInserted >= 80, "the writers' statistics reported");
        var after = await database.ScansAsync();
        Assert.Equal((0L, 0L), (after.LogSequential - before.LogSequential, after.HeadsSequential - before.HeadsSequential));
        // Each of the 81 appends looked its (client, ref) up in the log's index.
        Assert.True(after.LogIndex - before.LogIndex >= 81, $"{after.LogIndex - before.LogIndex} index scans of the log");
    }

    /// <summary>A database of the run's PostgreSQL server with the schema, and log instances on it.</summary>
    private sealed class TestDatabase(string connectionString, PostgresDatabase database) : IAsyncDisposable
    {
        public static async Task<TestDatabase> CreateAsync()
        {
            var connectionString = await (await PostgresServer.Instance).CreateDatabaseAsync();
            var database = new PostgresDatabase(Options.Create(new PostgresOptions { ConnectionString = connectionString }), NullLoggerFactory.Instance);
            database.Migrate();
            return new TestDatabase(connectionString, database);
        }

        /// <summary>A log instance over <paramref name="feed"/>, or over its own LISTEN/NOTIFY feed when null.</summary>
        public async Task<LogInstance> StartLogAsync(ICommitFeed? feed, int safetyCheckMilliseconds)
        {
            var notify = feed is null ? new PostgresNotifyCommitFeed(database, NullLogger<PostgresNotifyCommitFeed>.Instance) : null;
            if (notify is not null) await notify.StartAsync(CancellationToken.None);
            var log = new PostgresCanvasLog(database, feed ?? notify!, Options.Create(new LogOptions { FeedSafetyCheckMilliseconds = safetyCheckMilliseconds }), Options.Create(new HistoryOptions()),
                NullLogger<PostgresCanvasLog>.Instance);
            await log.StartAsync(CancellationToken.None);
            return new LogInstance(log, notify);
        }

        public async Task ExecuteAsync(string sql)
        {
            await using var connection = await database.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        /// <summary>Sequential scans of <c>canvas_log</c> and <c>canvas_heads</c>, index scans of and rows inserted into <c>canvas_log</c>, as reported so far.</summary>
        public async Task<(long LogSequential, long HeadsSequential, long LogIndex, long LogInserted)> ScansAsync()
        {
            await using var connection = await database.OpenAsync();
            await using var command = new NpgsqlCommand("""
                SELECT (SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'canvas_log'),
                       (SELECT seq_scan FROM pg_stat_user_tables WHERE relname = 'canvas_heads'),
                       (SELECT coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE relname = 'canvas_log'),
                       (SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'canvas_log')
                """, connection);
            await using var rows = await command.ExecuteReaderAsync();
            await rows.ReadAsync();
            return (rows.GetInt64(0), rows.GetInt64(1), rows.GetInt64(2), rows.GetInt64(3));
        }

        /// <summary>Ends every session that is listening for notices; returns how many.</summary>
        public async Task<int> TerminateListenersAsync()
        {
            await using var connection = await database.OpenAsync();
            await using var terminate = new NpgsqlCommand("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pg_terminate_backend(pid)
                """, connection);
            return (int)(long)(await terminate.ExecuteScalarAsync())!;
        }

        public async ValueTask DisposeAsync()
        {
            database.Dispose();
            await (await PostgresServer.Instance).DropDatabaseAsync(connectionString);
        }
    }

    private sealed class LogInstance(PostgresCanvasLog log, PostgresNotifyCommitFeed? notify) : IAsyncDisposable
    {
        public ICanvasLog Log => log;

        public async ValueTask DisposeAsync()
        {
            await log.DisposeAsync();
            if (notify is not null) await notify.DisposeAsync();
        }
    }

    /// <summary>
    /// An in-process stand-in for the Redis feed: each member's published records reach every member that subscribes
    /// to the canvas, unless <see cref="Drop"/> says to lose the notice.
    /// </summary>
    private sealed class LossyFeedHub
    {
        private readonly List<Member> _members = [];
        private int _dropped;

        public Func<CommitNotice, bool> Drop { get; set; } = _ => false;
        public int Dropped => Volatile.Read(ref _dropped);

        public ICommitFeed Join()
        {
            var member = new Member(this);
            lock (_members) _members.Add(member);
            return member;
        }

        private void Publish(LogRecord record)
        {
            var notice = new CommitNotice(record.CanvasId, record.Seq, record, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            if (Drop(notice))
            {
                Interlocked.Increment(ref _dropped);
                return;
            }
            lock (_members)
            {
                foreach (var member in _members) member.Receive(notice);
            }
        }

        private sealed class Member(LossyFeedHub hub) : ICommitFeed
        {
            private readonly Channel<CommitNotice> _notices = Channel.CreateUnbounded<CommitNotice>();
            private readonly Dictionary<string, int> _subscribed = [];

            public ChannelReader<CommitNotice> Notices => _notices.Reader;

            public void Publish(LogRecord record) => hub.Publish(record);

            public void Subscribe(string canvasId)
            {
                lock (_subscribed) _subscribed[canvasId] = _subscribed.GetValueOrDefault(canvasId) + 1;
            }

            public void Unsubscribe(string canvasId)
            {
                lock (_subscribed)
                {
                    if (--_subscribed[canvasId] == 0) _subscribed.Remove(canvasId);
                }
            }

            public void Receive(CommitNotice notice)
            {
                lock (_subscribed)
                {
                    if (_subscribed.ContainsKey(notice.CanvasId)) _notices.Writer.TryWrite(notice);
                }
            }
        }
    }
}
