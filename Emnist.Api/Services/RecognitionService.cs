using System.Diagnostics;
using Emnist.Pipelines;
using Emnist.Pipelines.Canvas;
using Emnist.Pipelines.Model;
using Emnist.Pipelines.Prediction;
using Microsoft.Extensions.Options;

namespace Emnist.Api.Services;

/// <summary>Image bytes → recognition, through the canvas preprocessing and the engine pool.</summary>
public sealed class RecognitionService(
    PredictionEnginePool<EmnistInput, EmnistOutput> pool,
    CanvasPreprocessor preprocessor,
    IOptions<EmnistApiOptions> options,
    ILogger<RecognitionService> logger)
{
    private readonly string _modelName = options.Value.ModelName;

    public ModelVersion Model => pool.GetModelVersion(_modelName);

    /// <exception cref="CanvasPreprocessingException">Not a usable image.</exception>
    public (Recognition Result, ModelVersion Model) Recognize(ReadOnlySpan<byte> image, int top)
    {
        var watch = Stopwatch.StartNew();
        var canvas = preprocessor.Process(image);
        if (!canvas.HasInk)
        {
            logger.LogInformation("No ink in a {Width}x{Height} image ({ElapsedMs:F2} ms)", canvas.SourceWidth, canvas.SourceHeight, watch.Elapsed.TotalMilliseconds);
            return (Recognition.NoInk, Model);
        }
        var input = new EmnistInput { Pixels = canvas.ToModelInput() };
        var (result, version) = pool.WithEngine(_modelName, (engine, version) =>
        {
            var output = engine.Predict(input);
            var labels = version.Info?.Labels ?? throw new InvalidOperationException("The model lists no labels.");
            return (Recognition.FromProbabilities(output.Probabilities, labels, top, canvas.Pixels), version);
        });
        logger.LogInformation("Predicted {Prediction} p={Confidence:F3} with {Model}@{Version} in {ElapsedMs:F2} ms",
            result.Prediction, result.Confidence, version.Name, version.Version, watch.Elapsed.TotalMilliseconds);
        return (result, version);
    }
}
