using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.ML;

namespace Emnist.Pipelines.Prediction;

/// <summary>
/// Thread-safe pool of ML.NET prediction engines over named models, with the shape of
/// <c>Microsoft.Extensions.ML</c>'s <c>PredictionEnginePool</c> (that package is not available here). Models loaded
/// from files are reloaded when the file changes: in-flight predictions finish on the old generation, new ones
/// use the new one, and the old generation's engines are disposed once the last of them has returned.
/// </summary>
/// <typeparam name="TData">Input row type.</typeparam>
/// <typeparam name="TPrediction">Output row type.</typeparam>
public sealed class PredictionEnginePool<TData, TPrediction> : IDisposable
    where TData : class
    where TPrediction : class, new()
{
    /// <summary>Name used when a model is registered without one.</summary>
    public const string DefaultModelName = "";

    private readonly ConcurrentDictionary<string, ModelSlot<TData, TPrediction>> _slots = new(StringComparer.Ordinal);

    /// <summary>Creates the pool and loads every registered model.</summary>
    /// <exception cref="Model.EmnistModelException">A model file cannot be loaded.</exception>
    public PredictionEnginePool(IOptions<PredictionEnginePoolOptions<TData, TPrediction>> options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PredictionEnginePool<TData, TPrediction>>();
        foreach (var (name, source) in options.Value.Models)
            _slots[name] = new ModelSlot<TData, TPrediction>(name, source, options.Value.CreateContext(), logger);
    }

    /// <summary>Names of the registered models.</summary>
    public IReadOnlyCollection<string> ModelNames => [.. _slots.Keys];

    /// <summary>Predicts with the default model.</summary>
    public TPrediction Predict(TData example) => Predict(DefaultModelName, example);

    /// <summary>Predicts with a named model; safe from any number of threads.</summary>
    /// <exception cref="KeyNotFoundException">No model has that name.</exception>
    public TPrediction Predict(string modelName, TData example)
    {
        ArgumentNullException.ThrowIfNull(example);
        var generation = Slot(modelName).Acquire();
        try
        {
            var engine = generation.Rent();
            try
            {
                return engine.Predict(example);
            }
            finally
            {
                generation.Return(engine); // back to the pool it came from, even if a reload happened meanwhile
            }
        }
        finally
        {
            generation.Release();
        }
    }

    /// <summary>Runs <paramref name="action"/> with one engine of one model generation (for batches).</summary>
    public TResult WithEngine<TResult>(string modelName, Func<PredictionEngine<TData, TPrediction>, ModelVersion, TResult> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var generation = Slot(modelName).Acquire();
        try
        {
            var engine = generation.Rent();
            try { return action(engine, generation.Version); }
            finally { generation.Return(engine); }
        }
        finally
        {
            generation.Release();
        }
    }

    /// <summary>The transformer of the current generation of a model.</summary>
    public ITransformer GetModel(string modelName = DefaultModelName) => Slot(modelName).Current.Transformer;

    /// <summary>Which generation of a model is loaded.</summary>
    public ModelVersion GetModelVersion(string modelName = DefaultModelName) => Slot(modelName).Current.Version;

    /// <summary>Raised after a model was reloaded (argument: the new version).</summary>
    public event Action<ModelVersion>? ModelReloaded
    {
        add { foreach (var s in _slots.Values) s.Reloaded += value; }
        remove { foreach (var s in _slots.Values) s.Reloaded -= value; }
    }

    /// <summary>Reloads a model from its source now (also what the file watcher does).</summary>
    /// <returns>false when the new file could not be loaded; the old generation keeps serving.</returns>
    public bool Reload(string modelName = DefaultModelName) => Slot(modelName).Reload();

    private ModelSlot<TData, TPrediction> Slot(string name) =>
        _slots.TryGetValue(name, out var slot) ? slot
        : throw new KeyNotFoundException($"No model named '{name}' is registered. Registered: {string.Join(", ", _slots.Keys.Select(k => $"'{k}'"))}.");

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var slot in _slots.Values) slot.Dispose();
    }
}
