using Emnist.Api.Services;

namespace Emnist.Api.Endpoints;

/// <summary><c>GET /api/model</c>: which model serves, and its card figures.</summary>
public static class ModelEndpoints
{
    public static IEndpointRouteBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/model", (RecognitionService recognizer) =>
        {
            var v = recognizer.Model;
            var i = v.Info ?? new Pipelines.Model.EmnistModelInfo();
            return TypedResults.Ok(new ModelResponse(v.Name, v.Version, i.Split, i.Labels, i.Architecture, i.Parameters, i.MacsPerImage, i.Epochs, i.Seed,
                i.ValidationAccuracy, i.TestAccuracy, i.TestTop3Accuracy, i.TestCaseGroupAccuracy, i.TestCount, v.LoadedAt));
        }).WithTags("Model").WithSummary("The loaded model: split, classes, version and test figures");
        return app;
    }
}
