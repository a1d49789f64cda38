using System.Security.Cryptography;
using Emnist.Pipelines.Model;
using Microsoft.Extensions.Logging;
using Microsoft.ML;

namespace Emnist.Pipelines.Prediction;

/// <summary>Where a named model comes from.</summary>
/// <param name="Path">Model zip.</param>
/// <param name="WatchForChanges">Reload when the file changes.</param>
public sealed record ModelFileSource(string Path, bool WatchForChanges);

/// <summary>One named model: the current generation, the file watcher and the swap.</summary>
internal sealed class ModelSlot<TData, TPrediction> : IDisposable
    where TData : class
    where TPrediction : class, new()
{
    private readonly string _name;
    private readonly ModelFileSource _source;
    private readonly MLContext _ml;
    private readonly ILogger _logger;
    private readonly FileSystemWatcher? _watcher;
    private readonly Timer? _debounce;
    private readonly Lock _reloadLock = new();
    private LoadedModel<TData, TPrediction> _current;

    public ModelSlot(string name, ModelFileSource source, MLContext ml, ILogger logger)
    {
        _name = name;
        _source = source;
        _ml = ml;
        _logger = logger;
        _current = Load();
        if (source.WatchForChanges)
        {
            var full = System.IO.Path.GetFullPath(source.Path);
            _debounce = new Timer(_ => Reload(), null, Timeout.Infinite, Timeout.Infinite);
            _watcher = new FileSystemWatcher(System.IO.Path.GetDirectoryName(full)!, System.IO.Path.GetFileName(full))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            FileSystemEventHandler changed = (_, _) => _debounce.Change(250, Timeout.Infinite);
            _watcher.Changed += changed;
            _watcher.Created += changed;
            _watcher.Renamed += (_, _) => _debounce.Change(250, Timeout.Infinite);
            _watcher.EnableRaisingEvents = true;
        }
    }

    public event Action<ModelVersion>? Reloaded;

    public LoadedModel<TData, TPrediction> Current => Volatile.Read(ref _current);

    /// <summary>Leases the current generation, retrying if a swap retired it in between.</summary>
    public LoadedModel<TData, TPrediction> Acquire()
    {
        while (true)
        {
            var generation = Current;
            if (generation.TryAcquire()) return generation;
        }
    }

    public bool Reload()
    {
        lock (_reloadLock)
        {
            LoadedModel<TData, TPrediction> next;
            try
            {
                next = Load();
            }
            catch (Exception e) when (e is EmnistModelException or IOException or InvalidDataException or UnauthorizedAccessException)
            {
                _logger.LogWarning(e, "Reloading model {Model} from {Path} failed; the previous version keeps serving", _name, _source.Path);
                return false;
            }
            if (next.Version.Version == Current.Version.Version)
            {
                next.Dispose(); // same bytes: keep the warm generation
                return true;
            }
            var old = Interlocked.Exchange(ref _current, next);
            old.Retire();
            _logger.LogInformation("Model {Model} reloaded: {Old} → {New}", _name, old.Version.Version, next.Version.Version);
            Reloaded?.Invoke(next.Version);
            return true;
        }
    }

    private LoadedModel<TData, TPrediction> Load()
    {
        var path = _source.Path;
        if (!File.Exists(path)) throw new EmnistModelException(path, "model file not found");
        // A writer may still hold the file for a moment after the change event: retry briefly.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                byte[] bytes = File.ReadAllBytes(path);
                var version = Convert.ToHexStringLower(SHA256.HashData(bytes))[..12];
                var model = EmnistModel.FromBytes(_ml, bytes, path);
                return new LoadedModel<TData, TPrediction>(_ml, model.Transformer, new ModelVersion(_name, version, path, DateTimeOffset.UtcNow, model.Info));
            }
            catch (IOException) when (attempt < 5)
            {
                Thread.Sleep(100);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                throw new EmnistModelException(path, "model file not found", e);
            }
        }
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _debounce?.Dispose();
        Current.Retire();
    }
}
