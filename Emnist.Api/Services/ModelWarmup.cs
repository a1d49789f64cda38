using Emnist.Pipelines.Model;
using Emnist.Pipelines.Prediction;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Emnist.Api.Services;

/// <summary>Loads the model in the background at start-up; readiness reports when it is in.</summary>
public sealed class ModelWarmup(IServiceProvider services, ILogger<ModelWarmup> logger) : BackgroundService, IHealthCheck
{
    private volatile string? _error;
    private volatile bool _ready;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        try
        {
            var pool = services.GetRequiredService<PredictionEnginePool<EmnistInput, EmnistOutput>>();
            foreach (var name in pool.ModelNames)
                logger.LogInformation("Model {Model} loaded, version {Version}", name, pool.GetModelVersion(name).Version);
            _ready = true;
        }
        catch (Exception e)
        {
            _error = e.Message;
            logger.LogError(e, "The model could not be loaded");
        }
    }, stoppingToken);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_ready ? HealthCheckResult.Healthy("model loaded")
            : _error is { } e ? HealthCheckResult.Unhealthy("model failed to load: " + e)
            : HealthCheckResult.Unhealthy("model loading"));
}
