namespace CollabCanvas.Server.Features;

/// <summary>
/// The names of the feature flags, as they appear under <c>FeatureManagement</c> in the configuration and in
/// <c>GET /api/features</c>. Each is described, with its entry points, in docs/configuration.md ("Feature flags").
/// </summary>
public static class Feature
{
    /// <summary>AI commands: <c>/api/ai</c> and <c>/api/canvases/{id}/ai/*</c>, and the editor's AI button.</summary>
    public const string AiCommands = "AiCommands";
    /// <summary>Claude answers AI commands (when an API key is configured); off: the built-in parser only.</summary>
    public const string AiClaude = "AiClaude";
    /// <summary>Share links: creating, listing and revoking them, and joining through one (REST header and <c>hello.link</c>).</summary>
    public const string ShareLinks = "ShareLinks";
    /// <summary>Invitations by email: inviting, listing and revoking pending invitations.</summary>
    public const string Invitations = "Invitations";
    /// <summary>Presence (cursors, who is here) between instances; off: presence stays within each instance.</summary>
    public const string CrossInstancePresence = "CrossInstancePresence";
    /// <summary>The editor's PNG export (made in the browser).</summary>
    public const string ExportPng = "ExportPng";
    /// <summary>The editor's SVG export (made in the browser).</summary>
    public const string ExportSvg = "ExportSvg";
    /// <summary>The editor's JSON export and its REST twin, <c>GET /api/canvases/{id}/document</c>.</summary>
    public const string ExportJson = "ExportJson";

    /// <summary>The editor's style panel (colours, strokes, fonts of the selection). Editor only: its changes are ordinary ops.</summary>
    public const string StylePanel = "StylePanel";
    /// <summary>The editor's text tool and in-place text editing. Editor only: its changes are ordinary ops.</summary>
    public const string TextEditing = "TextEditing";

    /// <summary>
    /// Version history: <c>/api/canvases/{id}/history/*</c>, <c>/versions*</c> and <c>/objects/{objectId}/history</c>
    /// (state at a seq, versions, restore, duplicate, per-object history), and the editor's history panel. Off: no
    /// version is saved automatically either; the log is kept as history all the same.
    /// </summary>
    public const string VersionHistory = "VersionHistory";

    public static readonly IReadOnlyList<string> All =
        [AiCommands, AiClaude, ShareLinks, Invitations, CrossInstancePresence, ExportPng, ExportSvg, ExportJson, StylePanel, TextEditing, VersionHistory];
}
