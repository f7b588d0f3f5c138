using CollabCanvas.Server.Log;
using Microsoft.Extensions.Options;
using Microsoft.FeatureManagement;

namespace CollabCanvas.Server.Features;

/// <summary>
/// The filter <c>Instance</c>: on for the instances listed in its <c>Instances</c> parameter (their
/// <c>CollabCanvas:Log:InstanceId</c>), so that one instance of N can try a feature before the others.
/// </summary>
[FilterAlias("Instance")]
public sealed class InstanceFilter(IOptions<LogOptions> log) : IFeatureFilter
{
    private readonly string _instanceId = log.Value.InstanceId;

    public Task<bool> EvaluateAsync(FeatureFilterEvaluationContext context) =>
        Task.FromResult(context.Parameters.GetSection("Instances").Get<string[]>()?.Contains(_instanceId, StringComparer.Ordinal) ?? false);
}
