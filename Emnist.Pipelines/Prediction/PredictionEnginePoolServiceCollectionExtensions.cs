using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.ML;

namespace Emnist.Pipelines.Prediction;

/// <summary>Options of a <see cref="PredictionEnginePool{TData, TPrediction}"/>: the registered models.</summary>
public sealed class PredictionEnginePoolOptions<TData, TPrediction>
    where TData : class
    where TPrediction : class, new()
{
    /// <summary>Model name → source.</summary>
    public Dictionary<string, ModelFileSource> Models { get; } = new(StringComparer.Ordinal);

    /// <summary>The ML.NET context to load models with; null = a new one.</summary>
    public MLContext? MLContext { get; set; }
}

/// <summary>Adds models to a pool registration.</summary>
public sealed class PredictionEnginePoolBuilder<TData, TPrediction>(IServiceCollection services)
    where TData : class
    where TPrediction : class, new()
{
    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; } = services;

    /// <summary>Registers a model zip under a name; with <paramref name="watchForChanges"/> it is reloaded when the file changes.</summary>
    public PredictionEnginePoolBuilder<TData, TPrediction> FromFile(string modelName, string filePath, bool watchForChanges = false)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        Services.Configure<PredictionEnginePoolOptions<TData, TPrediction>>(o => o.Models[modelName] = new ModelFileSource(filePath, watchForChanges));
        return this;
    }

    /// <summary>Registers the default (unnamed) model.</summary>
    public PredictionEnginePoolBuilder<TData, TPrediction> FromFile(string filePath, bool watchForChanges = false) =>
        FromFile(PredictionEnginePool<TData, TPrediction>.DefaultModelName, filePath, watchForChanges);
}

/// <summary>DI registration of the prediction-engine pool.</summary>
public static class PredictionEnginePoolServiceCollectionExtensions
{
    /// <summary>Registers a singleton <see cref="PredictionEnginePool{TData, TPrediction}"/>; add models with <c>FromFile</c>.</summary>
    public static PredictionEnginePoolBuilder<TData, TPrediction> AddPredictionEnginePool<TData, TPrediction>(this IServiceCollection services)
        where TData : class
        where TPrediction : class, new()
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions();
        services.TryAddSingleton<PredictionEnginePool<TData, TPrediction>>();
        return new PredictionEnginePoolBuilder<TData, TPrediction>(services);
    }
}
