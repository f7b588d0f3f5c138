using CollabCanvas.Server.Auth;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Observability;
using Microsoft.FeatureManagement;

namespace CollabCanvas.Server.Features;

/// <summary>Feature flags: registered from the configuration and a watched flags file; what the editor and operators read.</summary>
public static class FeatureEndpoints
{
    /// <summary>
    /// Adds the flags file (<see cref="FeatureOptions.File"/>, default <c>features.json</c> in the data directory) as the
    /// last configuration source, looked at once a second (<see cref="PolledFile"/>: not an inotify watch of the data
    /// directory, which every write to the database would wake), so that editing it switches features within a second
    /// and without a restart; it wins over appsettings.json and the environment for whatever it sets.
    /// </summary>
    public static IServiceCollection AddFeatureFlags(this IServiceCollection services, ConfigurationManager configuration)
    {
        var file = Path.GetFullPath(configuration[$"{FeatureOptions.Section}:File"]
            ?? Path.Combine(configuration[$"{StorageOptions.Section}:DataDirectory"] ?? new StorageOptions().DataDirectory, "features.json"));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        configuration.AddJsonFile(new PolledFile(file, TimeSpan.FromSeconds(1)), Path.GetFileName(file), optional: true, reloadOnChange: true);

        services.AddOptions<FeatureOptions>().Bind(configuration.GetSection(FeatureOptions.Section));
        services.AddFeatureManagement(configuration.GetSection(FeatureFlags.ManagementSection)).AddFeatureFilter<InstanceFilter>();
        services.AddSingleton<FeatureFlags>();
        SwitchedPresenceBus.Decorate(services);
        return services;
    }

    public static IEndpointRouteBuilder MapFeatures(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/features", Mine).WithTags("Features");
        app.MapGet("/api/features/users/{userId}", OfUser).WithTags("Features").ProducesProblem(StatusCodes.Status403Forbidden);
        return app;
    }

    /// <summary>
    /// Refuses the endpoint with <see cref="FeatureFlags.Refusal"/> while <paramref name="feature"/> is off for the caller,
    /// before anything else is looked at (so the answer says nothing about the canvas).
    /// </summary>
    public static TBuilder RequireFeature<TBuilder>(this TBuilder builder, string feature) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiresFeature(feature)).AddEndpointFilter<TBuilder, FeatureGate>();

    private sealed record RequiresFeature(string Feature);

    private sealed class FeatureGate(FeatureFlags flags) : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var http = context.HttpContext;
            var feature = http.GetEndpoint()!.Metadata.GetRequiredMetadata<RequiresFeature>().Feature;
            return await flags.IsOnAsync(feature, http.User.FindUserId(), http.RequestAborted) ? await next(context) : FeatureFlags.Refusal(feature);
        }
    }

    /// <summary>
    /// The flags as they apply to the caller (signed in or not), <c>{ "AiCommands": true, ... }</c>: the editor hides
    /// what is off. Every flag is listed.
    /// </summary>
    private static async Task<IResult> Mine(HttpContext context, FeatureFlags flags) =>
        TypedResults.Ok(await flags.AllAsync(context.User.FindUserId(), context.RequestAborted));

    /// <summary>
    /// For the operator (from the networks, or with the token, that may read <c>/metrics</c>): the flags as they apply to
    /// any account, to check who a rollout reaches before or after changing it. 403 to anyone else.
    /// </summary>
    private static async Task<IResult> OfUser(string userId, HttpContext context, FeatureFlags flags) =>
        MetricsAccess.Allows(context)
            ? TypedResults.Ok(await flags.AllAsync(userId, context.RequestAborted))
            : TypedResults.Problem("This is for the operator: see docs/configuration.md.", statusCode: StatusCodes.Status403Forbidden);
}
