using System.Net.Http.Headers;
using System.Text.Json;
using Emnist.Pipelines.Data;
using Emnist.Pipelines.Model;
using Emnist.Tests.Fixtures;
using Microsoft.ML;
using Xunit.Abstractions;

namespace Emnist.Tests.Api;

/// <summary>
/// The served path end to end: ByClass test images rendered as 280×280 canvas PNGs (each pixel replicated 10×),
/// posted to the API with the default model, against evaluating the same 28×28 images directly. The goal is
/// a gap of at most one point. Measured with the 3-model ensemble: 0.70 points on these 2,000 images (0.55 on the
/// first 20,000); it was 1.40 before the box threshold and fill were re-measured. What is left comes from EMNIST's
/// own framing varying (its boxes span 22-26 pixels at a 2 % threshold) while the canvas path frames every
/// character the same way.
/// </summary>
public sealed class HttpAccuracyTests(ITestOutputHelper output)
{
    private const int Count = 2000;

    [SkippableFact]
    public async Task Canvas_pngs_through_http_score_within_one_point_of_direct_evaluation()
    {
        var dir = SharedData.Require();
        var modelPath = Path.Combine(SharedData.RepoRoot, "models", "emnist-byclass.zip");
        Skip.If(!File.Exists(modelPath), "No default model committed.");
        var files = EmnistDataDirectory.Open(dir).Find(EmnistSplit.ByClass, EmnistPart.Test)!;

        var direct = EmnistEvaluator.Evaluate(new MLContext(), EmnistModel.Load(new MLContext(), modelPath), files, Count);
        var arrays = EmnistReader.ReadAll(files, Count);
        var labels = EmnistMapping.Load(files.MappingPath);

        await using var factory = new ApiFactory(modelPath);
        using var client = factory.CreateClient();
        var correct = 0;
        for (var i = 0; i < arrays.Count; i++)
        {
            var png = Png.PixelCanvas(Png.Upright(arrays, i));
            using var content = new ByteArrayContent(png);
            content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            using var response = await client.PostAsync("/api/predict?top=1", content);
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            if (json.RootElement.GetProperty("prediction").GetString() == labels[arrays.Classes[i]]) correct++;
        }
        var http = (double)correct / arrays.Count;
        output.WriteLine($"direct {direct.Accuracy:P2}, through HTTP as canvas PNGs {http:P2} on {arrays.Count} images");
        Assert.True(Math.Abs(http - direct.Accuracy) <= 0.01, $"direct {direct.Accuracy:P2} vs HTTP {http:P2}");
    }
}
