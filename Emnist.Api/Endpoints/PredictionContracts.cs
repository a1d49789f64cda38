using Emnist.Pipelines;
using Emnist.Pipelines.Prediction;

namespace Emnist.Api.Endpoints;

/// <summary>Which model answered.</summary>
public sealed record ModelRef(string Name, string Version);

/// <summary>One candidate.</summary>
public sealed record TopEntry(string Label, double Probability);

/// <summary>The answer for one image.</summary>
public sealed record PredictionResult(
    bool HasInk,
    string? Prediction,
    double Confidence,
    IReadOnlyList<TopEntry> Top,
    string? LookAlikes,
    string? Message,
    string? Preview)
{
    public static PredictionResult From(Recognition r, bool preview) => new(
        r.HasInk,
        r.Prediction,
        Math.Round(r.Confidence, 6),
        [.. r.Top.Select(t => new TopEntry(t.Label, Math.Round(t.Probability, 6)))],
        r.LookAlikes,
        r.HasInk ? null : "No ink: draw a character.",
        preview && r.HasInk ? PreviewImage.ToDataUrl(r.ModelInput) : null);
}

/// <summary>Response of <c>POST /api/predict</c>.</summary>
public sealed record PredictResponse(
    bool HasInk, string? Prediction, double Confidence, IReadOnlyList<TopEntry> Top, string? LookAlikes, string? Message, string? Preview,
    ModelRef Model, double ElapsedMs)
{
    public static PredictResponse From(PredictionResult r, ModelVersion model, double elapsedMs) =>
        new(r.HasInk, r.Prediction, r.Confidence, r.Top, r.LookAlikes, r.Message, r.Preview, new ModelRef(model.Name, model.Version), Math.Round(elapsedMs, 3));
}

/// <summary>Response of <c>POST /api/predict/batch</c>.</summary>
public sealed record BatchResponse(IReadOnlyList<PredictionResult> Results, ModelRef Model, double ElapsedMs);

/// <summary>Response of <c>GET /api/model</c>.</summary>
public sealed record ModelResponse(
    string Name, string Version, string Split, IReadOnlyList<string> Classes, string Architecture, long Parameters, long MacsPerImage,
    int Epochs, int Seed, double? ValidationAccuracy, double? TestAccuracy, double? TestTop3Accuracy, double? TestCaseGroupAccuracy, int? TestCount,
    DateTimeOffset LoadedAt);
