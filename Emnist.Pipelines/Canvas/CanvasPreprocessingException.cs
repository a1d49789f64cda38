namespace Emnist.Pipelines.Canvas;

/// <summary>Why an uploaded image could not be turned into model input.</summary>
public enum CanvasProblem
{
    /// <summary>No bytes.</summary>
    Empty,
    /// <summary>Not a PNG, JPEG, WebP, GIF or BMP the decoder understands, or truncated.</summary>
    NotAnImage,
    /// <summary>Width × height over the configured limit (checked before any pixel is decoded).</summary>
    TooManyPixels,
}

/// <summary>Thrown when an uploaded image cannot be used. <see cref="Problem"/> says why.</summary>
public sealed class CanvasPreprocessingException(CanvasProblem problem, string message) : Exception(message)
{
    /// <summary>The kind of problem.</summary>
    public CanvasProblem Problem { get; } = problem;
}
