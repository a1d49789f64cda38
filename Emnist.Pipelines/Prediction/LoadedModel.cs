using System.Collections.Concurrent;
using Emnist.Pipelines.Model;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;

namespace Emnist.Pipelines.Prediction;

/// <summary>What a pool says about the model generation it currently serves.</summary>
/// <param name="Name">Model name in the pool.</param>
/// <param name="Version">Short SHA-256 of the model file's bytes: changes exactly when the content changes.</param>
/// <param name="Path">The file loaded.</param>
/// <param name="LoadedAt">When this generation was loaded.</param>
/// <param name="Info">EMNIST model info when the zip carries it.</param>
public sealed record ModelVersion(string Name, string Version, string Path, DateTimeOffset LoadedAt, EmnistModelInfo? Info);

/// <summary>
/// One generation of a model: its transformer and a pool of engines created from it. Leases are counted so that a
/// generation replaced by a reload is disposed only after the last in-flight prediction on it has returned its engine.
/// </summary>
internal sealed class LoadedModel<TData, TPrediction> : IDisposable
    where TData : class
    where TPrediction : class, new()
{
    private readonly ConcurrentBag<PredictionEngine<TData, TPrediction>> _created = [];
    private readonly ObjectPool<PredictionEngine<TData, TPrediction>> _pool;
    private int _leases;
    private int _retired;
    private int _disposed;

    public LoadedModel(MLContext mlContext, ITransformer transformer, ModelVersion version)
    {
        Transformer = transformer;
        Version = version;
        var policy = new EnginePolicy(() =>
        {
            var engine = mlContext.Model.CreatePredictionEngine<TData, TPrediction>(transformer);
            _created.Add(engine);
            return engine;
        });
        _pool = new DefaultObjectPool<PredictionEngine<TData, TPrediction>>(policy, Environment.ProcessorCount * 2);
    }

    public ITransformer Transformer { get; }
    public ModelVersion Version { get; }

    /// <summary>Takes a lease; false once the generation is retired (the caller retries on the current one).</summary>
    /// <remarks>
    /// Checking "retired" after the increment (a full fence) closes the race with <see cref="Retire"/>: either Retire
    /// sees this lease and leaves disposal to the last <see cref="Release"/>, or this call sees the retirement and backs
    /// off before touching an engine.
    /// </remarks>
    public bool TryAcquire()
    {
        Interlocked.Increment(ref _leases);
        if (Volatile.Read(ref _retired) == 0) return true;
        Release();
        return false;
    }

    public PredictionEngine<TData, TPrediction> Rent() => _pool.Get();

    public void Return(PredictionEngine<TData, TPrediction> engine) => _pool.Return(engine);

    public void Release()
    {
        if (Interlocked.Decrement(ref _leases) == 0 && Volatile.Read(ref _retired) == 1) Dispose();
    }

    /// <summary>Marks the generation as replaced; it is disposed when its last lease is released.</summary>
    public void Retire()
    {
        Volatile.Write(ref _retired, 1);
        if (Volatile.Read(ref _leases) == 0) Dispose();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        foreach (var engine in _created) engine.Dispose();
        (Transformer as IDisposable)?.Dispose();
    }

    private sealed class EnginePolicy(Func<PredictionEngine<TData, TPrediction>> create) : IPooledObjectPolicy<PredictionEngine<TData, TPrediction>>
    {
        public PredictionEngine<TData, TPrediction> Create() => create();
        public bool Return(PredictionEngine<TData, TPrediction> obj) => true;
    }
}
