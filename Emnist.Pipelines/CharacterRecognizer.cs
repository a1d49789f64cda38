using Emnist.Pipelines.Canvas;
using Emnist.Pipelines.Model;
using Emnist.Pipelines.Prediction;
using Microsoft.Extensions.Options;
using Microsoft.ML;

namespace Emnist.Pipelines;

/// <summary>
/// The one-line way to recognise handwriting: load a model zip, pass image bytes, get characters.
/// Thread-safe; keep one instance for the life of the application.
/// </summary>
/// <example><code>
/// using var recognizer = CharacterRecognizer.Load("emnist-byclass.zip");
/// var result = recognizer.Predict(File.ReadAllBytes("drawing.png"));
/// Console.WriteLine($"{result.Prediction} ({result.Confidence:P0})");
/// </code></example>
public sealed class CharacterRecognizer : IDisposable
{
    private readonly PredictionEnginePool<EmnistInput, EmnistOutput> _pool;
    private readonly CanvasPreprocessor _preprocessor;

    private CharacterRecognizer(PredictionEnginePool<EmnistInput, EmnistOutput> pool, CanvasPreprocessor preprocessor)
    {
        _pool = pool;
        _preprocessor = preprocessor;
    }

    /// <summary>Loads a model zip.</summary>
    /// <exception cref="EmnistModelException">The file is missing or not an EMNIST model.</exception>
    public static CharacterRecognizer Load(string modelPath, CanvasPreprocessorOptions? preprocessing = null)
    {
        var options = new PredictionEnginePoolOptions<EmnistInput, EmnistOutput>();
        options.Models[PredictionEnginePool<EmnistInput, EmnistOutput>.DefaultModelName] = new ModelFileSource(modelPath, WatchForChanges: false);
        return new CharacterRecognizer(new PredictionEnginePool<EmnistInput, EmnistOutput>(Options.Create(options)), new CanvasPreprocessor(preprocessing));
    }

    /// <summary>What the loaded model says about itself.</summary>
    public EmnistModelInfo Info => _pool.GetModelVersion().Info!;

    /// <summary>Recognises the character in an encoded image (PNG, JPEG, WebP …) of any size and polarity.</summary>
    /// <param name="image">The encoded image.</param>
    /// <param name="top">How many candidates to return.</param>
    /// <exception cref="CanvasPreprocessingException">The bytes are not a usable image.</exception>
    public Recognition Predict(ReadOnlySpan<byte> image, int top = 5)
    {
        var canvas = _preprocessor.Process(image);
        return canvas.HasInk ? PredictPixels(canvas.Pixels, top) : Recognition.NoInk;
    }

    /// <summary>Recognises an already-preprocessed upright 28×28 image (784 bytes, 0 = background).</summary>
    public Recognition PredictPixels(ReadOnlySpan<byte> pixels, int top = 5)
    {
        if (pixels.Length != Data.EmnistImage.PixelCount)
            throw new ArgumentException($"Expected {Data.EmnistImage.PixelCount} pixels, got {pixels.Length}.", nameof(pixels));
        var input = new EmnistInput();
        for (var i = 0; i < pixels.Length; i++) input.Pixels[i] = pixels[i];
        var output = _pool.Predict(input);
        return Recognition.FromProbabilities(output.Probabilities, Info.Labels, top, pixels.ToArray());
    }

    /// <inheritdoc />
    public void Dispose() => _pool.Dispose();
}
