namespace Emnist.Pipelines.Data;

/// <summary>
/// The one input normalisation, shared by training (the TorchSharp network's first step) and serving
/// (the first nodes of the exported ONNX graph): raw pixel bytes 0..255 as floats → (x/255 − Mean) / Std.
/// Keeping it inside the network means no caller can normalise differently from training.
/// </summary>
public static class EmnistNormalization
{
    /// <summary>Mean of ByClass pixels after scaling to [0,1].</summary>
    public const float Mean = 0.1736f;

    /// <summary>Standard deviation of ByClass pixels after scaling to [0,1].</summary>
    public const float Std = 0.3317f;

    /// <summary>Multiplier applied to a raw 0..255 pixel.</summary>
    public const float Scale = 1f / (255f * Std);

    /// <summary>Offset added after <see cref="Scale"/>.</summary>
    public const float Offset = -Mean / Std;
}
