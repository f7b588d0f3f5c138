using CollabCanvas.Server.Observability;
using Microsoft.Extensions.Options;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;

namespace CollabCanvas.Server.Features;

/// <summary>Section <c>CollabCanvas:Features</c>: where the flags file is, and the groups that targeting names.</summary>
public sealed class FeatureOptions
{
    public const string Section = "CollabCanvas:Features";

    /// <summary>
    /// The JSON file of flags, watched and read again when it changes. Default <c>features.json</c> in the data
    /// directory. Read once at start (the path itself does not reload).
    /// </summary>
    public string? File { get; set; }

    /// <summary>Targeting groups: a name (e.g. <c>staff</c>) and the account ids (<c>GET /api/me</c>'s <c>id</c>) in it.</summary>
    public Dictionary<string, string[]> Groups { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The one place that answers "is this feature on for this caller?". Flags live in the configuration's
/// <c>FeatureManagement</c> section (Microsoft.FeatureManagement), read again whenever the configuration reloads; a flag
/// the configuration does not mention is on, so an installation that sets none behaves as before flags existed.
/// Every caller is targeted explicitly by account id (and the groups that list it), never through an ambient context,
/// so that a WebSocket message is judged like a request.
/// </summary>
public sealed class FeatureFlags(IVariantFeatureManager manager, IConfiguration configuration, IOptionsMonitor<FeatureOptions> options)
{
    public const string ManagementSection = "FeatureManagement";

    /// <param name="userId">The account (null: a share-link guest or an anonymous caller, whom only on/off and the instance target).</param>
    public async ValueTask<bool> IsOnAsync(string feature, string? userId, CancellationToken cancellationToken = default) =>
        !configuration.GetSection($"{ManagementSection}:{feature}").Exists()
        || await manager.IsEnabledAsync(feature, Targeting(userId), cancellationToken);

    /// <summary>Every flag as it applies to this caller.</summary>
    public async Task<IReadOnlyDictionary<string, bool>> AllAsync(string? userId, CancellationToken cancellationToken = default)
    {
        var flags = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var feature in Feature.All) flags[feature] = await IsOnAsync(feature, userId, cancellationToken);
        return flags;
    }

    /// <summary>Counts a request or message refused because <paramref name="feature"/> is off (<c>entry</c>: rest or websocket).</summary>
    public static void CountRefusal(string feature, string entry) =>
        CanvasMetrics.FeatureRefusals.Add(1, new("feature", feature), new("entry", entry));

    /// <summary>
    /// The REST answer to a request that <paramref name="feature"/> governs while it is off for the caller: 404, as if the
    /// endpoint were not there for them (what Microsoft.FeatureManagement's own gate answers), with a problem that names
    /// the feature so that a client can tell it from a missing canvas.
    /// </summary>
    public static IResult Refusal(string feature)
    {
        CountRefusal(feature, "rest");
        return TypedResults.Problem($"The feature {feature} is switched off for you on this server.", statusCode: StatusCodes.Status404NotFound,
            title: "Feature switched off", extensions: new Dictionary<string, object?> { ["feature"] = feature });
    }

    private TargetingContext Targeting(string? userId) => new()
    {
        UserId = userId,
        Groups = userId is null ? [] : options.CurrentValue.Groups.Where(g => g.Value.Contains(userId, StringComparer.Ordinal)).Select(g => g.Key).ToArray(),
    };
}
