using Emnist.Pipelines.Model;
using Emnist.Pipelines.Prediction;
using Emnist.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Emnist.Tests.Prediction;

[Collection(TinyModelCollection.Name)]
public sealed class PredictionEnginePoolTests(TinyModels models)
{
    private static EmnistInput Input(byte[] img) => new() { Pixels = [.. img.Select(b => (float)b)] };

    private static PredictionEnginePool<EmnistInput, EmnistOutput> Pool(string name, string path, bool watch, int onnxThreads = 0)
    {
        var services = new ServiceCollection();
        services.Configure<PredictionEnginePoolOptions<EmnistInput, EmnistOutput>>(o => o.OnnxIntraOpThreads = onnxThreads);
        services.AddPredictionEnginePool<EmnistInput, EmnistOutput>().FromFile(name, path, watch);
        return services.BuildServiceProvider().GetRequiredService<PredictionEnginePool<EmnistInput, EmnistOutput>>();
    }

    [Fact]
    public async Task Concurrent_predictions_all_match_single_threaded_results()
    {
        using var pool = Pool("m", models.ZipA, watch: false);
        var images = Glyphs.Set(64, seed: 21).Images;
        var expected = images.Select(i => pool.Predict("m", Input(i)).Probabilities).ToArray();
        var tasks = Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var round = 0; round < 20; round++)
                for (var i = t; i < images.Count; i += 8)
                    Assert.Equal(expected[i], pool.Predict("m", Input(images[i])).Probabilities);
        }));
        await Task.WhenAll(tasks);
    }

    [Fact]
    public void One_onnx_thread_per_prediction_gives_the_same_answers_and_negative_counts_are_rejected()
    {
        using var defaultThreads = Pool("m", models.ZipA, watch: false);
        using var oneThread = Pool("m", models.ZipA, watch: false, onnxThreads: 1);
        foreach (var image in Glyphs.Set(16, seed: 22).Images)
        {
            var expected = defaultThreads.Predict("m", Input(image)).Probabilities;
            var actual = oneThread.Predict("m", Input(image)).Probabilities;
            for (var k = 0; k < expected.Length; k++) Assert.Equal(expected[k], actual[k], 5);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => Pool("m", models.ZipA, watch: false, onnxThreads: -1));
    }

    [Fact]
    public void Unknown_model_name_is_a_clear_error()
    {
        using var pool = Pool("m", models.ZipA, watch: false);
        var e = Assert.Throws<KeyNotFoundException>(() => pool.Predict("other", Input(new byte[784])));
        Assert.Contains("'m'", e.Message);
    }

    [Fact]
    public void Missing_model_file_fails_with_model_exception()
    {
        Assert.Throws<EmnistModelException>(() => Pool("m", "/nonexistent/model.zip", false).Predict("m", Input(new byte[784])));
    }

    [Fact]
    public async Task Swapping_the_file_during_a_concurrent_run_fails_no_request_and_reports_the_new_version()
    {
        using var dir = new TempDir();
        var path = dir.File("live.zip");
        File.Copy(models.ZipA, path);
        using var pool = Pool("live", path, watch: true);
        var before = pool.GetModelVersion("live").Version;
        var images = Glyphs.Set(16, seed: 22).Images;
        var expectA = images.Select(i => pool.Predict("live", Input(i)).Probabilities).ToArray();

        var reloaded = new TaskCompletionSource<ModelVersion>(TaskCreationOptions.RunContinuationsAsynchronously);
        pool.ModelReloaded += v => reloaded.TrySetResult(v);
        using var stop = new CancellationTokenSource();
        var failures = 0;
        long predictions = 0;
        var workers = Enumerable.Range(0, 6).Select(t => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var p = pool.Predict("live", Input(images[t]));
                    Assert.Equal(4, p.Probabilities.Length);
                    Interlocked.Increment(ref predictions);
                }
                catch { Interlocked.Increment(ref failures); }
            }
        })).ToArray();

        await Task.Delay(200);
        // Replace atomically, the way a deployment would.
        File.Copy(models.ZipB, path + ".new");
        File.Move(path + ".new", path, overwrite: true);
        var newVersion = await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(200);
        stop.Cancel();
        await Task.WhenAll(workers);

        Assert.Equal(0, failures);
        Assert.True(predictions > 100);
        Assert.NotEqual(before, newVersion.Version);
        Assert.Equal(newVersion.Version, pool.GetModelVersion("live").Version);
        // New requests really use model B now.
        var afterSwap = pool.Predict("live", Input(images[0])).Probabilities;
        Assert.NotEqual(expectA[0], afterSwap);
    }

    [Fact]
    public void A_corrupt_replacement_keeps_the_old_model_serving()
    {
        using var dir = new TempDir();
        var path = dir.File("live.zip");
        File.Copy(models.ZipA, path);
        using var pool = Pool("live", path, watch: false);
        var before = pool.GetModelVersion("live");
        File.WriteAllText(path, "not a zip");
        Assert.False(pool.Reload("live"));
        Assert.Equal(before.Version, pool.GetModelVersion("live").Version);
        Assert.Equal(4, pool.Predict("live", Input(Glyphs.L())).Probabilities.Length);
    }
}
