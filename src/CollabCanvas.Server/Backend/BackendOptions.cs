namespace CollabCanvas.Server.Backend;

/// <summary>Where the data lives: the one choice that decides every implementation behind the backend port.</summary>
public enum BackendProvider
{
    /// <summary>One process owns a SQLite file (the default).</summary>
    Sqlite,
    /// <summary>Several processes on one host share one SQLite file.</summary>
    SharedSqlite,
    /// <summary>Everything in this process's memory: for tests and demos; lost when the process stops.</summary>
    Memory,
    /// <summary>Every instance, on any host, shares one PostgreSQL database (<c>CollabCanvas:Backend:Postgres</c>).</summary>
    Postgres,
}

/// <summary>Section <c>CollabCanvas:Backend</c>.</summary>
public sealed class BackendOptions
{
    public const string Section = "CollabCanvas:Backend";

    /// <summary><c>Sqlite</c> (default), <c>SharedSqlite</c> (N processes on one host), <c>Memory</c> or <c>Postgres</c> (many hosts).</summary>
    public BackendProvider Provider { get; set; } = BackendProvider.Sqlite;
}
