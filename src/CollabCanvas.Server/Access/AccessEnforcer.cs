using CollabCanvas.Core.Protocol;
using CollabCanvas.Server.Realtime;

namespace CollabCanvas.Server.Access;

/// <summary>
/// Makes open sockets follow changes of access made on any instance: reads <c>access_events</c> every
/// <see cref="PollInterval"/> and, for each session it concerns, works its role out again: closed with 4403 (or
/// 4401 after sign-out) when nothing is left, told its new role otherwise.
/// </summary>
public sealed class AccessEnforcer(AccessEvents events, SessionGate gate, RealtimeShutdown registry, ILogger<AccessEnforcer> logger)
    : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var last = events.Newest();
        using var timer = new PeriodicTimer(PollInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                foreach (var (id, change) in events.ReadAfter(last))
                {
                    last = id;
                    Apply(change);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "reading access changes failed; trying again");
            }
        }
    }

    private void Apply(AccessChange change)
    {
        foreach (var session in registry.OpenSessions)
        {
            var access = session.Access;
            if (change.SessionId is not null)
            {
                if (access.AuthSessionId == change.SessionId) session.Close(CloseCodes.Unauthorized, "signed out");
                continue;
            }
            var concerned = change.CanvasId is null
                ? change.UserId is not null && access.UserId == change.UserId
                : access.CanvasId == change.CanvasId &&
                  ((change.UserId is not null && access.UserId == change.UserId) || (change.LinkId is not null && access.LinkId == change.LinkId));
            if (!concerned) continue;
            var role = gate.Reconsider(access);
            if (role == Role.None) session.Close(CloseCodes.Forbidden, "your access to this canvas ended");
            else if (role != session.Role)
            {
                session.Role = role;
                session.Send(ServerMessages.Role(role.ToWire()));
            }
        }
    }
}
