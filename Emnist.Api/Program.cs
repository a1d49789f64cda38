using Emnist.Api.Endpoints;
using Emnist.Api.Services;
using Emnist.Pipelines.Canvas;
using Emnist.Pipelines.Model;
using Emnist.Pipelines.Prediction;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);

builder.Services.Configure<EmnistApiOptions>(builder.Configuration.GetSection(EmnistApiOptions.Section));
var apiOptions = builder.Configuration.GetSection(EmnistApiOptions.Section).Get<EmnistApiOptions>() ?? new EmnistApiOptions();
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = apiOptions.MaxRequestBytes);

builder.Services.Configure<PredictionEnginePoolOptions<EmnistInput, EmnistOutput>>(o => o.OnnxIntraOpThreads = apiOptions.OnnxIntraOpThreads);
builder.Services.AddPredictionEnginePool<EmnistInput, EmnistOutput>()
    .FromFile(apiOptions.ModelName, apiOptions.ResolveModelPath(builder.Environment.ContentRootPath), apiOptions.WatchModelFile);
builder.Services.AddSingleton(sp => new CanvasPreprocessor(new CanvasPreprocessorOptions { MaxPixels = sp.GetRequiredService<IOptions<EmnistApiOptions>>().Value.MaxImagePixels }));
builder.Services.AddSingleton<RecognitionService>();
builder.Services.AddSingleton<ImageRequestReader>();
builder.Services.AddSingleton<ModelWarmup>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ModelWarmup>());
builder.Services.AddHealthChecks().AddCheck<ModelWarmup>("model", tags: ["ready"]);
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.Use(async (context, next) =>
{
    // The page has no inline script or style, so a strict policy holds.
    context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    context.Response.Headers.XContentTypeOptions = "nosniff";
    await next();
});
app.UseDefaultFiles();
app.UseStaticFiles();

app.MapOpenApi();
app.MapPredictEndpoints();
app.MapModelEndpoints();
app.MapPost("/api/echo", async (HttpRequest request, CancellationToken ct) =>
{
    // Ceiling for load tests: the same request path without decoding or inference.
    using var sink = new MemoryStream();
    await request.Body.CopyToAsync(sink, ct);
    return TypedResults.Ok(new { bytes = sink.Length });
}).ExcludeFromDescription();
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });

app.Run();

/// <summary>Entry point, visible to WebApplicationFactory.</summary>
public partial class Program;
