using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.ML;
using Microsoft.ML.Transforms.Onnx;

namespace Emnist.Pipelines.Prediction;

/// <summary>Options of a <see cref="PredictionEnginePool{TData, TPrediction}"/>: the registered models.</summary>
public sealed class PredictionEnginePoolOptions<TData, TPrediction>
    where TData : class
    where TPrediction : class, new()
{
    /// <summary>Model name → source.</summary>
    public Dictionary<string, ModelFileSource> Models { get; } = new(StringComparer.Ordinal);

    /// <summary>The ML.NET context to load models with; null = a new one (with <see cref="OnnxIntraOpThreads"/> applied).</summary>
    public MLContext? MLContext { get; set; }

    /// <summary>
    /// Threads ONNX Runtime may use inside one prediction when the pool creates its own context; 0 = its default
    /// (every core). A server answering many requests at once does better with 1: each prediction runs on its
    /// caller's thread and concurrency comes from the requests, instead of every request fanning out over all cores.
    /// </summary>
    public int OnnxIntraOpThreads { get; set; }

    internal MLContext CreateContext()
    {
        if (MLContext is { } given) return given;
        ArgumentOutOfRangeException.ThrowIfNegative(OnnxIntraOpThreads);
        var ml = new MLContext();
        if (OnnxIntraOpThreads > 0) ml.SetOnnxSessionOption(new OnnxSessionOptions { IntraOpNumThreads = OnnxIntraOpThreads, InterOpNumThreads = 1 });
        return ml;
    }
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
