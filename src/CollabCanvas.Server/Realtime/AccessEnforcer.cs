using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Access;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Features;

namespace CollabCanvas.Server.Realtime;

/// <summary>
/// Makes open sockets follow changes of access made on any instance (<see cref="IAccessEventBus"/>): for each session
/// a change concerns, works its role out again: closed with 4403 when nothing is left (4401 after sign-out or account
/// deletion), told its new role otherwise; told a canvas's new name. It also ends sessions whose sign-in or token
/// expired: one sweep over the open sessions every <see cref="ExpirySweepInterval"/>, not a timer per socket; with
/// no session open the sweep sleeps until one opens (an idle server should not wake every second for nothing). The
/// same sweep takes from sessions that came in through a share link what the link gave them once the flag
/// <see cref="Feature.ShareLinks"/> is off for them, so that switching share links off shuts the door on guests already in.
/// </summary>
public sealed class AccessEnforcer(IAccessEventBus events, SessionGate gate, SessionRegistry sessions, FeatureFlags flags,
    ILogger<AccessEnforcer> logger)
    : BackgroundService
{
    public static readonly TimeSpan ExpirySweepInterval = TimeSpan.FromSeconds(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(FollowChangesAsync(events.Subscribe(stoppingToken), stoppingToken), CloseExpiredAsync(stoppingToken));

    private async Task FollowChangesAsync(IAsyncEnumerable<AccessChange> changes, CancellationToken stoppingToken)
    {
        await foreach (var change in changes)
        {
            try
            {
                await ApplyAsync(change, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "following an access change failed: {Change}", change);
            }
        }
    }

    private async Task CloseExpiredAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            await sessions.WaitUntilAnyOpenAsync(stoppingToken);
            // Not a PeriodicTimer: its timer would keep firing while the sweep sleeps.
            await Task.Delay(ExpirySweepInterval, stoppingToken);
            var now = DateTimeOffset.UtcNow;
            foreach (var session in sessions.Open)
                if (session.Access.Until <= now) session.Close(CloseCodes.Unauthorized, "the sign-in or token expired; sign in again");
                else if (session.Access is { LinkId: not null } access && !await flags.IsOnAsync(Feature.ShareLinks, access.UserId, stoppingToken))
                    await DropLinkAsync(session, access, stoppingToken);
        }
    }

    private async Task DropLinkAsync(Session session, SessionAccess access, CancellationToken cancellationToken)
    {
        session.Access = access with { LinkId = null };
        FeatureFlags.CountRefusal(Feature.ShareLinks, "websocket");
        session.Send(ServerMessages.Error(ErrorCodes.ShareLinksOff,
            $"the feature {Feature.ShareLinks} is switched off for you on this server; the link no longer counts"));
        Follow(session, await gate.ReconsiderAsync(session.Access, cancellationToken));
    }

    /// <summary>Ends a session whose role is gone, or tells it its new one.</summary>
    private static void Follow(Session session, Role role)
    {
        if (role == Role.None) session.Close(CloseCodes.Forbidden, "your access to this canvas ended");
        else if (role != session.Role)
        {
            session.Role = role;
            session.Send(ServerMessages.Role(role.ToWire()));
        }
    }

    private async Task ApplyAsync(AccessChange change, CancellationToken cancellationToken)
    {
        byte[]? renamed = null;
        foreach (var session in sessions.Open)
        {
            var access = session.Access;
            if (change.SessionId is not null)
            {
                if (access.AuthSessionId == change.SessionId) session.Close(CloseCodes.Unauthorized, "signed out");
                continue;
            }
            if (change.CanvasName is not null)
            {
                if (access.CanvasId == change.CanvasId) session.Send(renamed ??= ServerMessages.Canvas(change.CanvasName));
                continue;
            }
            if (change.CanvasId is null)
            {
                if (change.UserId is not null && access.UserId == change.UserId) session.Close(CloseCodes.Unauthorized, "the account was deleted");
                continue;
            }
            var concerned = access.CanvasId == change.CanvasId &&
                ((change.UserId is not null && access.UserId == change.UserId) || (change.LinkId is not null && access.LinkId == change.LinkId));
            if (!concerned) continue;
            // An older change read after the account's deletion (the poll is not instant) must not pass for a lost membership.
            if (await gate.AccountDeletedAsync(access, cancellationToken))
            {
                session.Close(CloseCodes.Unauthorized, "the account was deleted");
                continue;
            }
            Follow(session, await gate.ReconsiderAsync(access, cancellationToken));
        }
    }
}
