using System.Diagnostics;
using Emnist.Api.Services;
using Emnist.Pipelines.Canvas;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Emnist.Api.Endpoints;

/// <summary><c>POST /api/predict</c> and <c>POST /api/predict/batch</c>.</summary>
public static class PredictEndpoints
{
    public static IEndpointRouteBuilder MapPredictEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/predict").WithTags("Prediction");
        group.MapPost("/", PredictAsync)
            .WithSummary("Recognise one drawn character")
            // No Accepts() metadata on purpose: it makes routing answer 415 itself, without saying what is accepted.
            .WithDescription("Body: an image (image/png, image/jpeg, image/webp), multipart/form-data with one file, or JSON {\"image\": \"data:image/png;base64,...\"}.");
        group.MapPost("/batch", PredictBatchAsync)
            .WithSummary("Recognise several characters")
            .WithDescription("Body: multipart/form-data with several files, or JSON {\"images\": [\"data:image/png;base64,...\", ...]}.");
        return app;
    }

    internal static async Task<Results<Ok<PredictResponse>, ProblemHttpResult>> PredictAsync(
        HttpRequest request, ImageRequestReader reader, RecognitionService recognizer, IOptions<EmnistApiOptions> options,
        int? top, bool? preview, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        return await Guard(async () =>
        {
            var k = CheckTop(top, options.Value, recognizer);
            var images = await reader.ReadAsync(request, batch: false, ct);
            var (result, model) = Recognize(recognizer, images[0], k, 0, single: true);
            return TypedResults.Ok(PredictResponse.From(PredictionResult.From(result, preview == true), model, watch.Elapsed.TotalMilliseconds));
        });
    }

    internal static async Task<Results<Ok<BatchResponse>, ProblemHttpResult>> PredictBatchAsync(
        HttpRequest request, ImageRequestReader reader, RecognitionService recognizer, IOptions<EmnistApiOptions> options,
        int? top, bool? preview, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        return await Guard(async () =>
        {
            var k = CheckTop(top, options.Value, recognizer);
            var images = await reader.ReadAsync(request, batch: true, ct);
            if (images.Count > options.Value.MaxBatchSize)
                throw new BadImageRequestException(400, "Batch too large", $"{images.Count} images; at most {options.Value.MaxBatchSize} per request.");
            var results = new PredictionResult[images.Count];
            var model = recognizer.Model;
            for (var i = 0; i < images.Count; i++)
            {
                var (r, m) = Recognize(recognizer, images[i], k, i, single: false);
                results[i] = PredictionResult.From(r, preview == true);
                model = m;
            }
            return TypedResults.Ok(new BatchResponse(results, new ModelRef(model.Name, model.Version), Math.Round(watch.Elapsed.TotalMilliseconds, 3)));
        });
    }

    private static (Pipelines.Recognition, Pipelines.Prediction.ModelVersion) Recognize(RecognitionService recognizer, byte[] image, int top, int index, bool single)
    {
        try
        {
            return recognizer.Recognize(image, top);
        }
        catch (CanvasPreprocessingException e)
        {
            var where = single ? "" : $"Image {index}: ";
            throw e.Problem switch
            {
                CanvasProblem.TooManyPixels => new BadImageRequestException(413, "Image too large", where + e.Message),
                CanvasProblem.Empty => new BadImageRequestException(400, "Empty image", where + e.Message),
                _ => new BadImageRequestException(400, "Not a readable image", where + e.Message),
            };
        }
    }

    private static int CheckTop(int? top, EmnistApiOptions options, RecognitionService recognizer)
    {
        var classes = recognizer.Model.Info?.Labels.Count ?? 62;
        var k = top ?? Math.Min(options.DefaultTop, classes);
        return k >= 1 && k <= classes ? k
            : throw new BadImageRequestException(400, "Invalid top", $"top must be between 1 and {classes}; got {k}.");
    }

    private static async Task<Results<Ok<T>, ProblemHttpResult>> Guard<T>(Func<Task<Ok<T>>> action)
    {
        try
        {
            return await action();
        }
        catch (BadImageRequestException e)
        {
            return TypedResults.Problem(statusCode: e.Status, title: e.Title, detail: e.Message);
        }
    }
}
