namespace Emnist.Api.Services;

/// <summary>Configuration section <c>Emnist</c>.</summary>
public sealed class EmnistApiOptions
{
    public const string Section = "Emnist";

    /// <summary>Name the model is registered under (reported in responses).</summary>
    public string ModelName { get; set; } = "emnist-byclass";

    /// <summary>Model zip; relative paths are resolved against the content root, then the app folder.</summary>
    public string ModelPath { get; set; } = "../models/emnist-byclass.zip";

    /// <summary>ONNX Runtime threads per prediction (0 = all cores). 1 serves concurrent requests best.</summary>
    public int OnnxIntraOpThreads { get; set; } = 1;

    /// <summary>Reload the model when the file changes.</summary>
    public bool WatchModelFile { get; set; } = true;

    /// <summary>Largest accepted request body.</summary>
    public long MaxRequestBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Largest accepted decoded image (width × height), checked before decoding.</summary>
    public long MaxImagePixels { get; set; } = 16_000_000;

    /// <summary>Most images in one batch request.</summary>
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>Candidates returned when <c>?top</c> is not given.</summary>
    public int DefaultTop { get; set; } = 5;

    /// <summary>The model path made absolute.</summary>
    public string ResolveModelPath(string contentRoot)
    {
        if (Path.IsPathRooted(ModelPath)) return ModelPath;
        var fromContentRoot = Path.GetFullPath(Path.Combine(contentRoot, ModelPath));
        if (File.Exists(fromContentRoot)) return fromContentRoot;
        var fromApp = Path.Combine(AppContext.BaseDirectory, "models", Path.GetFileName(ModelPath));
        return File.Exists(fromApp) ? fromApp : fromContentRoot;
    }
}
