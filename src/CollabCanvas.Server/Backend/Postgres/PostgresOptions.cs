using System.ComponentModel.DataAnnotations;
using Npgsql;

namespace CollabCanvas.Server.Backend.Postgres;

/// <summary>Section <c>CollabCanvas:Backend:Postgres</c>: where the PostgreSQL backend's database is and how it is used.</summary>
public sealed class PostgresOptions : IValidatableObject
{
    public const string Section = "CollabCanvas:Backend:Postgres";

    /// <summary>An Npgsql connection string (<c>Host=...;Database=...;Username=...;Password=...</c>). A secret: from the environment.</summary>
    [Required]
    public string ConnectionString { get; set; } = "";

    /// <summary>Connections this instance may hold open at once; callers beyond it wait for one (up to the connect timeout).</summary>
    [Range(1, 1000)]
    public int MaxPoolSize { get; set; } = 50;

    /// <summary>How long opening a connection (or waiting for a free one in the pool) may take before it fails.</summary>
    [Range(1, 600)]
    public int ConnectTimeoutSeconds { get; set; } = 15;

    /// <summary>How long one statement may run before it is cancelled.</summary>
    [Range(1, 3600)]
    public int CommandTimeoutSeconds { get; set; } = 30;

    /// <summary>The connection string with the pool size and timeouts of these options (they win over the same keywords in it).</summary>
    public NpgsqlConnectionStringBuilder Build() => new(ConnectionString)
    {
        MaxPoolSize = MaxPoolSize,
        Timeout = ConnectTimeoutSeconds,
        CommandTimeout = CommandTimeoutSeconds,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        NpgsqlConnectionStringBuilder? parsed = null;
        string? error = null;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(ConnectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            // The message names the bad keyword, never the value (which may be the password).
            error = e.Message;
        }
        if (error is not null) yield return new ValidationResult($"not a valid connection string: {error}", [nameof(ConnectionString)]);
        else if (string.IsNullOrWhiteSpace(parsed!.Host)) yield return new ValidationResult("names no Host", [nameof(ConnectionString)]);
    }
}
