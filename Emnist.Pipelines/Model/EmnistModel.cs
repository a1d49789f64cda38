using System.IO.Compression;
using System.Text.Json;
using Emnist.Pipelines.Data;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Emnist.Pipelines.Model;

/// <summary>Input row of a model: raw pixel intensities 0..255 of an upright 28×28 image, row-major.</summary>
public sealed class EmnistInput
{
    /// <summary>784 raw intensities (0 = background, 255 = ink).</summary>
    [VectorType(EmnistImage.PixelCount)]
    [ColumnName(EmnistModel.PixelsColumn)]
    public float[] Pixels { get; set; } = new float[EmnistImage.PixelCount];
}

/// <summary>Output row of a model: one probability per class, in <see cref="EmnistModelInfo.Labels"/> order.</summary>
public sealed class EmnistOutput
{
    /// <summary>Class probabilities (they sum to 1).</summary>
    [ColumnName(EmnistModel.ProbabilitiesColumn)]
    public float[] Probabilities { get; set; } = [];
}

/// <summary>
/// An EMNIST model zip: an ML.NET model (the ONNX network applied by <c>ApplyOnnxModel</c>) plus
/// <see cref="EmnistModelInfo"/>. Loading needs only this library and ONNX Runtime, never TorchSharp.
/// </summary>
public sealed class EmnistModel
{
    /// <summary>Input column: 784 raw pixel intensities.</summary>
    public const string PixelsColumn = "Pixels";

    /// <summary>Output column: class probabilities.</summary>
    public const string ProbabilitiesColumn = "Probabilities";

    internal const string InfoEntry = "Emnist/model-info.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private EmnistModel(ITransformer transformer, EmnistModelInfo info)
    {
        Transformer = transformer;
        Info = info;
    }

    /// <summary>The ML.NET transformer chain (input <see cref="PixelsColumn"/>, output <see cref="ProbabilitiesColumn"/>).</summary>
    public ITransformer Transformer { get; }

    /// <summary>What the model says about itself.</summary>
    public EmnistModelInfo Info { get; }

    /// <summary>Builds a model from an ONNX network with input <c>Pixels</c> [N,784] and output <c>Probabilities</c> [N,classes].</summary>
    public static EmnistModel FromOnnx(MLContext mlContext, byte[] onnxModel, EmnistModelInfo info)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(onnxModel);
        ArgumentNullException.ThrowIfNull(info);
        if (info.Labels.Count == 0) throw new ArgumentException("The model info must list the class labels.", nameof(info));
        var empty = mlContext.Data.LoadFromEnumerable(Array.Empty<EmnistInput>());
        var pipeline = mlContext.Transforms.ApplyOnnxModel(
            outputColumnNames: [ProbabilitiesColumn], inputColumnNames: [PixelsColumn],
            modelBytes: new MemoryStream(onnxModel), shapeDictionary: new Dictionary<string, int[]> { [PixelsColumn] = [1, EmnistImage.PixelCount] },
            gpuDeviceId: null, fallbackToCpu: false, recursionLimit: 100);
        return new EmnistModel(pipeline.Fit(empty), info);
    }

    /// <summary>Saves the model as one zip (ML.NET model + info).</summary>
    public void Save(MLContext mlContext, string path)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + ".tmp";
        var schema = mlContext.Data.LoadFromEnumerable(Array.Empty<EmnistInput>()).Schema;
        mlContext.Model.Save(Transformer, schema, tmp);
        using (var zip = ZipFile.Open(tmp, ZipArchiveMode.Update))
        {
            var entry = zip.CreateEntry(InfoEntry, CompressionLevel.Optimal);
            using var stream = entry.Open();
            JsonSerializer.Serialize(stream, Info, Json);
        }
        File.Move(tmp, full, overwrite: true); // never a half-written model under the final name
    }

    /// <summary>Loads a model zip.</summary>
    /// <exception cref="EmnistModelException">The file is missing, not a zip, not an ML.NET model or not an EMNIST model.</exception>
    public static EmnistModel Load(MLContext mlContext, string path)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        if (!File.Exists(path)) throw new EmnistModelException(path, "model file not found");
        return FromBytes(mlContext, File.ReadAllBytes(path), path);
    }

    /// <summary>
    /// Loads a model from bytes already read, so a caller that also hashes them (the pool's version stamp) describes
    /// exactly the model it loaded, even if the file changes in between.
    /// </summary>
    internal static EmnistModel FromBytes(MLContext mlContext, byte[] bytes, string path)
    {
        EmnistModelInfo info;
        using (var infoStream = new MemoryStream(bytes, writable: false))
            info = ReadInfo(infoStream, path);
        ITransformer transformer;
        try
        {
            using var modelStream = new MemoryStream(bytes, writable: false);
            transformer = mlContext.Model.Load(modelStream, out _);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new EmnistModelException(path, "not a loadable ML.NET model: " + e.Message, e);
        }
        return new EmnistModel(transformer, info);
    }

    /// <summary>Reads only the info of a model zip (cheap).</summary>
    public static EmnistModelInfo ReadInfo(string path)
    {
        if (!File.Exists(path)) throw new EmnistModelException(path, "model file not found");
        using var file = File.OpenRead(path);
        return ReadInfo(file, path);
    }

    private static EmnistModelInfo ReadInfo(Stream zipStream, string path)
    {
        try
        {
            using var zip = new ZipArchive(zipStream, ZipArchiveMode.Read, leaveOpen: true);
            var entry = zip.GetEntry(InfoEntry) ?? throw new EmnistModelException(path, $"not an EMNIST model zip (no {InfoEntry})");
            using var stream = entry.Open();
            var info = JsonSerializer.Deserialize<EmnistModelInfo>(stream, Json) ?? throw new EmnistModelException(path, "empty model info");
            if (info.Labels.Count == 0) throw new EmnistModelException(path, "model info lists no labels");
            return info;
        }
        catch (InvalidDataException e)
        {
            throw new EmnistModelException(path, "not a zip file: " + e.Message, e);
        }
        catch (JsonException e)
        {
            throw new EmnistModelException(path, "corrupt model info: " + e.Message, e);
        }
    }
}
