using Emnist.Pipelines.Data;
using Emnist.Pipelines.Model;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Emnist.Training;

/// <summary>
/// The CNN trainer as an ML.NET estimator: fits on an EMNIST <see cref="IDataView"/> (columns <c>Pixels</c>, key-typed
/// <c>Label</c> and, optionally, <c>IsCaseAmbiguous</c>, as <c>mlContext.Data.LoadEmnist</c> gives them) and returns
/// the ONNX-backed transformer that adds <c>Probabilities</c>. TorchSharp does the training behind this seam.
/// </summary>
public sealed class EmnistCnnEstimator : IEstimator<EmnistCnnTransformer>
{
    private readonly MLContext _ml;
    private readonly EmnistCnnTrainerOptions _options;
    private readonly IProgress<TrainingProgress>? _progress;
    private readonly CancellationToken _cancellationToken;

    internal EmnistCnnEstimator(MLContext ml, EmnistCnnTrainerOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        options.Validate();
        _ml = ml;
        _options = options;
        _progress = progress;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Trains on the data view.</summary>
    /// <exception cref="ArgumentException">A required column is missing or has the wrong type.</exception>
    public EmnistCnnTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var labels = CheckInput(input.Schema);
        var pixels = new List<byte>();
        var classes = new List<int>();
        var ambiguousPixels = new List<byte>();
        var ambiguousClasses = new List<int>();
        var hasAmbiguous = input.Schema.GetColumnOrNull(EmnistDataCatalog.Columns.IsCaseAmbiguous) is not null;
        var columns = input.Schema.Where(c => c.Name is EmnistDataCatalog.Columns.Pixels or EmnistDataCatalog.Columns.Label or EmnistDataCatalog.Columns.IsCaseAmbiguous);
        using (var cursor = input.GetRowCursor(columns))
        {
            var getPixels = cursor.GetGetter<VBuffer<float>>(input.Schema[EmnistDataCatalog.Columns.Pixels]);
            var getLabel = cursor.GetGetter<uint>(input.Schema[EmnistDataCatalog.Columns.Label]);
            var getAmbiguous = hasAmbiguous ? cursor.GetGetter<bool>(input.Schema[EmnistDataCatalog.Columns.IsCaseAmbiguous]) : null;
            VBuffer<float> px = default;
            uint key = 0;
            var ambiguous = false;
            while (cursor.MoveNext())
            {
                _cancellationToken.ThrowIfCancellationRequested();
                getPixels(ref px);
                getLabel(ref key);
                if (key == 0) continue; // missing label
                getAmbiguous?.Invoke(ref ambiguous);
                var (p, c) = ambiguous ? (ambiguousPixels, ambiguousClasses) : (pixels, classes);
                foreach (var v in px.DenseValues()) p.Add((byte)Math.Clamp(v, 0, 255));
                c.Add((int)key - 1);
            }
        }
        var data = new EmnistTrainingData(labels, new EmnistArrays([.. pixels], [.. classes], false),
            ambiguousClasses.Count > 0 ? new EmnistArrays([.. ambiguousPixels], [.. ambiguousClasses], true) : null);
        using var trained = EmnistCnnTrainer.Train(data, _options, _progress, _cancellationToken);
        var info = new EmnistModelInfo
        {
            Labels = labels,
            Architecture = trained.Architecture,
            Parameters = trained.ParameterCount,
            MacsPerImage = trained.MacsPerImage,
            Epochs = trained.History.Count,
            Seed = _options.Seed,
            TrainingImages = classes.Count + ambiguousClasses.Count,
            ValidationAccuracy = trained.History[^1].ValidationAccuracy,
            CreatedUtc = DateTimeOffset.UtcNow,
            History = [.. trained.History.Select(h => new EpochRecord(h.Epoch, h.Loss, h.TrainAccuracy, h.ValidationAccuracy))],
        };
        return new EmnistCnnTransformer(EmnistModel.FromOnnx(_ml, EmnistModelExport.ToOnnx(trained), info));
    }

    /// <summary>The input schema plus a <c>Probabilities</c> vector.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var pixels = inputSchema.FirstOrDefault(c => c.Name == EmnistDataCatalog.Columns.Pixels);
        if (pixels.Name is null || pixels.ItemType != NumberDataViewType.Single || pixels.Kind != SchemaShape.Column.VectorKind.Vector)
            throw new ArgumentException($"Input needs a '{EmnistDataCatalog.Columns.Pixels}' column: a vector of {EmnistImage.PixelCount} Single.", nameof(inputSchema));
        var label = inputSchema.FirstOrDefault(c => c.Name == EmnistDataCatalog.Columns.Label);
        if (label.Name is null || !label.IsKey)
            throw new ArgumentException($"Input needs a key-typed '{EmnistDataCatalog.Columns.Label}' column.", nameof(inputSchema));
        // The output adds a Single vector named Probabilities; let a stock estimator describe that shape.
        return _ml.Transforms.Concatenate(EmnistModel.ProbabilitiesColumn, EmnistDataCatalog.Columns.Pixels).GetOutputSchema(inputSchema);
    }

    private static IReadOnlyList<string> CheckInput(DataViewSchema schema)
    {
        if (schema.GetColumnOrNull(EmnistDataCatalog.Columns.Pixels) is not { } pixels)
            throw new ArgumentException($"Input has no '{EmnistDataCatalog.Columns.Pixels}' column.");
        if (pixels.Type is not VectorDataViewType { ItemType: NumberDataViewType { RawType: var t }, Size: EmnistImage.PixelCount } || t != typeof(float))
            throw new ArgumentException($"'{EmnistDataCatalog.Columns.Pixels}' must be a vector of {EmnistImage.PixelCount} Single; it is {pixels.Type}.");
        if (schema.GetColumnOrNull(EmnistDataCatalog.Columns.Label) is not { } label)
            throw new ArgumentException($"Input has no '{EmnistDataCatalog.Columns.Label}' column.");
        if (label.Type is not KeyDataViewType)
            throw new ArgumentException($"'{EmnistDataCatalog.Columns.Label}' must be key-typed (as LoadEmnist gives it); it is {label.Type}.");
        VBuffer<ReadOnlyMemory<char>> keyValues = default;
        label.GetKeyValues(ref keyValues);
        return [.. keyValues.DenseValues().Select(v => v.ToString())];
    }
}

/// <summary>The fitted CNN: an ONNX-backed ML.NET transformer plus the model's info, savable as an EMNIST model zip.</summary>
public sealed class EmnistCnnTransformer : ITransformer
{
    internal EmnistCnnTransformer(EmnistModel model) => Model = model;

    /// <summary>The model (transformer + info); <see cref="EmnistModel.Save"/> writes the zip.</summary>
    public EmnistModel Model { get; }

    /// <inheritdoc />
    public bool IsRowToRowMapper => Model.Transformer.IsRowToRowMapper;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Model.Transformer.GetOutputSchema(inputSchema);

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => Model.Transformer.GetRowToRowMapper(inputSchema);

    /// <inheritdoc />
    public IDataView Transform(IDataView input) => Model.Transformer.Transform(input);

    /// <inheritdoc />
    void ICanSaveModel.Save(ModelSaveContext ctx) => Model.Transformer.Save(ctx);
}

/// <summary><see cref="MLContext"/> catalog entry for the CNN trainer.</summary>
public static class EmnistTrainingCatalog
{
    /// <summary>
    /// <c>mlContext.MulticlassClassification.Trainers.EmnistCnn(options)</c>: the TorchSharp CNN trainer as an estimator.
    /// </summary>
    public static EmnistCnnEstimator EmnistCnn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        EmnistCnnTrainerOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var o = options ?? new EmnistCnnTrainerOptions();
        return new EmnistCnnEstimator(new MLContext(o.Seed), o, progress, cancellationToken);
    }
}
