namespace CollabCanvas.Server.Backend.Postgres;

/// <summary>
/// CollabCanvas's advisory locks, in one place so that no two kinds of lock pick the same number. Row-like things use
/// the two-key form (<c>pg_advisory_xact_lock(class, hashtext(name))</c>): one class per kind, so that names of different
/// kinds never share a lock (the one-key and two-key forms never collide either).
/// </summary>
public static class PostgresLocks
{
    /// <summary>One-key: held by the instance that migrates the schema; the others wait.</summary>
    public const long Migrations = 0x436f6c6c6162; // "Collab"

    /// <summary>A user's AI quota: taking a slot.</summary>
    public const int AiQuota = 1;

    /// <summary>A user's AI previews: adding one and trimming the rest.</summary>
    public const int AiPreviews = 2;

    /// <summary>Publishing an access change (one lock for all: ids are handed out in commit order).</summary>
    public const int AccessEvents = 3;
}
