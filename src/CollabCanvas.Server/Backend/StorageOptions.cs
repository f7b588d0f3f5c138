using System.ComponentModel.DataAnnotations;

namespace CollabCanvas.Server.Backend;

/// <summary>Section <c>CollabCanvas</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "CollabCanvas";

    /// <summary>Where the SQLite database lives. Default <c>./data</c>; env <c>CollabCanvas__DataDirectory</c>.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>
    /// SQLite <c>synchronous</c> in WAL mode. <c>FULL</c> (default) fsyncs every commit, so an acknowledged batch
    /// survives power loss; <c>NORMAL</c> survives a process crash only, and is faster.
    /// </summary>
    [AllowedValues("FULL", "NORMAL")]
    public string Synchronous { get; set; } = "FULL";

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, "collabcanvas.db"));
}
