using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Emnist.Tests.Fixtures;

namespace Emnist.Tests.Api;

[Collection(TinyModelCollection.Name)]
public sealed class ApiTests : IDisposable
{
    private readonly ApiFactory _factory;
    private readonly HttpClient _client;
    private static readonly byte[] L = Png.Canvas(Glyphs.L(thickness: 3));

    public ApiTests(TinyModels models)
    {
        _factory = new ApiFactory(models.ZipA);
        _client = _factory.CreateClient();
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    private static ByteArrayContent PngBody(byte[] bytes, string type = "image/png")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        return content;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;

    private static async Task AssertProblem(HttpResponseMessage r, HttpStatusCode status, string detailFragment)
    {
        Assert.Equal(status, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        var body = await Json(r);
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.True(body.TryGetProperty("detail", out var detail), await r.Content.ReadAsStringAsync());
        Assert.Contains(detailFragment, detail.GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Raw_png_body_is_recognised_with_top_k_model_and_timing()
    {
        var r = await _client.PostAsync("/api/predict?top=3", PngBody(L));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var body = await Json(r);
        Assert.Equal("L", body.GetProperty("prediction").GetString());
        Assert.True(body.GetProperty("hasInk").GetBoolean());
        var top = body.GetProperty("top");
        Assert.Equal(3, top.GetArrayLength());
        Assert.Equal(body.GetProperty("confidence").GetDouble(), top[0].GetProperty("probability").GetDouble());
        Assert.Equal("tiny", body.GetProperty("model").GetProperty("name").GetString());
        Assert.Equal(12, body.GetProperty("model").GetProperty("version").GetString()!.Length);
        Assert.True(body.GetProperty("elapsedMs").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("preview").ValueKind);
    }

    [Fact]
    public async Task Multipart_and_json_data_url_give_the_same_answer_and_preview_is_a_png()
    {
        using var form = new MultipartFormDataContent { { PngBody(L), "image", "drawing.png" } };
        var multipart = await Json(await _client.PostAsync("/api/predict", form));
        var json = await Json(await _client.PostAsJsonAsync("/api/predict?preview=true", new { image = "data:image/png;base64," + Convert.ToBase64String(L) }));
        Assert.Equal("L", multipart.GetProperty("prediction").GetString());
        Assert.Equal(multipart.GetProperty("confidence").GetDouble(), json.GetProperty("confidence").GetDouble(), 6);
        var preview = json.GetProperty("preview").GetString()!;
        Assert.StartsWith("data:image/png;base64,", preview);
        var pngBytes = Convert.FromBase64String(preview["data:image/png;base64,".Length..]);
        using var bitmap = SkiaSharp.SKBitmap.Decode(pngBytes);
        Assert.Equal(28, bitmap.Width);
    }

    [Fact]
    public async Task Empty_canvas_answers_no_ink_not_a_guess()
    {
        var body = await Json(await _client.PostAsync("/api/predict", PngBody(Png.Canvas(new byte[784]))));
        Assert.False(body.GetProperty("hasInk").GetBoolean());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("prediction").ValueKind);
        Assert.Equal(0, body.GetProperty("top").GetArrayLength());
    }

    [Fact]
    public async Task Batch_returns_one_result_per_image_in_order()
    {
        var random = new Random(4);
        var t = Png.Canvas(Glyphs.Make(3, random));
        var images = new[] { L, t, Png.Canvas(new byte[784]) }.Select(b => "data:image/png;base64," + Convert.ToBase64String(b));
        var r = await _client.PostAsJsonAsync("/api/predict/batch?top=2", new { images });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var results = (await Json(r)).GetProperty("results");
        Assert.Equal(3, results.GetArrayLength());
        Assert.Equal("L", results[0].GetProperty("prediction").GetString());
        // Each result is what the single-image endpoint answers for that image, in the order sent. (The tiny model's
        // answer for the synthetic "T" itself is not asserted: it sits near the T/1 boundary for some fixture runs.)
        foreach (var (png, i) in new[] { L, t }.Select((png, i) => (png, i)))
        {
            var single = await Json(await _client.PostAsync("/api/predict?top=2", PngBody(png)));
            Assert.Equal(single.GetProperty("prediction").GetString(), results[i].GetProperty("prediction").GetString());
            Assert.Equal(single.GetProperty("confidence").GetDouble(), results[i].GetProperty("confidence").GetDouble(), 6);
        }
        Assert.False(results[2].GetProperty("hasInk").GetBoolean());

        using var form = new MultipartFormDataContent { { PngBody(L), "a", "a.png" }, { PngBody(t), "b", "b.png" } };
        var multi = await Json(await _client.PostAsync("/api/predict/batch", form));
        Assert.Equal(2, multi.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task Bad_inputs_get_the_right_status_and_problem_details()
    {
        await AssertProblem(await _client.PostAsync("/api/predict", PngBody("definitely not a png"u8.ToArray())), HttpStatusCode.BadRequest, "not an image");
        await AssertProblem(await _client.PostAsync("/api/predict", PngBody(L[..(L.Length / 2)])), HttpStatusCode.BadRequest, "decoded");
        await AssertProblem(await _client.PostAsync("/api/predict", PngBody([])), HttpStatusCode.BadRequest, "empty");
        await AssertProblem(await _client.PostAsync("/api/predict", PngBody(Png.HeaderOnly(20_000, 20_000))), HttpStatusCode.RequestEntityTooLarge, "limit");
        await AssertProblem(await _client.PostAsync("/api/predict", PngBody(L, "text/plain")), HttpStatusCode.UnsupportedMediaType, "text/plain");
        await AssertProblem(await _client.PostAsync("/api/predict", PngBody(new byte[3 * 1024 * 1024])), HttpStatusCode.RequestEntityTooLarge, "limit");
        await AssertProblem(await _client.PostAsync("/api/predict?top=0", PngBody(L)), HttpStatusCode.BadRequest, "top");
        await AssertProblem(await _client.PostAsync("/api/predict?top=63", PngBody(L)), HttpStatusCode.BadRequest, "top");
        await AssertProblem(await _client.PostAsJsonAsync("/api/predict", new { image = "data:image/png;base64,@@@" }), HttpStatusCode.BadRequest, "base64");
        await AssertProblem(await _client.PostAsync("/api/predict", new StringContent("{\"image\": 5", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "");
        await AssertProblem(await _client.PostAsJsonAsync("/api/predict/batch", new { images = new[] { "data:image/png;base64," + Convert.ToBase64String(L), "data:image/png;base64,AAAA" } }),
            HttpStatusCode.BadRequest, "Image 1");
    }

    [Fact]
    public async Task Model_health_and_openapi_endpoints_answer()
    {
        var model = await Json(await _client.GetAsync("/api/model"));
        Assert.Equal(["0", "1", "L", "T"], model.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("fixture", model.GetProperty("split").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/health/live")).StatusCode);
        HttpStatusCode ready = default;
        for (var i = 0; i < 50 && ready != HttpStatusCode.OK; i++)
        {
            ready = (await _client.GetAsync("/health/ready")).StatusCode;
            if (ready != HttpStatusCode.OK) await Task.Delay(100);
        }
        Assert.Equal(HttpStatusCode.OK, ready);
        var openapi = await Json(await _client.GetAsync("/openapi/v1.json"));
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/api/predict", out _));
        var page = await _client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
    }
}
