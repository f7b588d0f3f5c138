namespace CollabCanvas.Server.Backend;

/// <summary>DbUp's progress (which migrations ran) into the server's log.</summary>
public sealed class DbUpLog(ILogger logger) : DbUp.Engine.Output.IUpgradeLog
{
    public void LogTrace(string format, params object[] args) => logger.LogTrace(format, args);
    public void LogDebug(string format, params object[] args) => logger.LogDebug(format, args);
    public void LogInformation(string format, params object[] args) => logger.LogInformation(format, args);
    public void LogWarning(string format, params object[] args) => logger.LogWarning(format, args);
    public void LogError(string format, params object[] args) => logger.LogError(format, args);
    public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, format, args);
}
