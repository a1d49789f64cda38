namespace Emnist.Training.Network;

/// <summary>
/// One layer of the CNN. The TorchSharp module and the ONNX exporter both walk the same list,
/// so the exported graph cannot drift from the trained network.
/// </summary>
internal abstract record LayerSpec;
internal sealed record ConvSpec(int In, int Out) : LayerSpec;            // 3×3, stride 1, padding 1
internal sealed record BatchNormSpec(int Features, bool Spatial) : LayerSpec;
internal sealed record ReluSpec : LayerSpec;
internal sealed record MaxPoolSpec : LayerSpec;                          // 2×2, stride 2
internal sealed record FlattenSpec : LayerSpec;
internal sealed record LinearSpec(int In, int Out) : LayerSpec;
internal sealed record DropoutSpec(double P) : LayerSpec;

/// <summary>Named architectures.</summary>
internal static class Architectures
{
    public const string Default = "cnn-885k";

    public static IReadOnlyList<string> Names { get; } = ["cnn-885k", "cnn-wide", "tiny"];

    public static IReadOnlyList<LayerSpec> Get(string name, int classes) => name switch
    {
        // Two conv blocks with BatchNorm, then one hidden dense layer: 885k parameters for 62 classes.
        "cnn-885k" =>
        [
            new ConvSpec(1, 32), new BatchNormSpec(32, true), new ReluSpec(),
            new ConvSpec(32, 32), new BatchNormSpec(32, true), new ReluSpec(), new MaxPoolSpec(),
            new ConvSpec(32, 64), new BatchNormSpec(64, true), new ReluSpec(),
            new ConvSpec(64, 64), new BatchNormSpec(64, true), new ReluSpec(), new MaxPoolSpec(),
            new FlattenSpec(), new DropoutSpec(0.25),
            new LinearSpec(64 * 7 * 7, 256), new BatchNormSpec(256, false), new ReluSpec(), new DropoutSpec(0.4),
            new LinearSpec(256, classes),
        ],
        // Wider convolutions, same dense head: more capacity for the case-twin shapes.
        "cnn-wide" =>
        [
            new ConvSpec(1, 48), new BatchNormSpec(48, true), new ReluSpec(),
            new ConvSpec(48, 48), new BatchNormSpec(48, true), new ReluSpec(), new MaxPoolSpec(),
            new ConvSpec(48, 96), new BatchNormSpec(96, true), new ReluSpec(),
            new ConvSpec(96, 96), new BatchNormSpec(96, true), new ReluSpec(), new MaxPoolSpec(),
            new FlattenSpec(), new DropoutSpec(0.25),
            new LinearSpec(96 * 7 * 7, 256), new BatchNormSpec(256, false), new ReluSpec(), new DropoutSpec(0.4),
            new LinearSpec(256, classes),
        ],
        // For tests and smoke runs: trains in seconds.
        "tiny" =>
        [
            new ConvSpec(1, 8), new BatchNormSpec(8, true), new ReluSpec(), new MaxPoolSpec(),
            new ConvSpec(8, 16), new BatchNormSpec(16, true), new ReluSpec(), new MaxPoolSpec(),
            new FlattenSpec(), new LinearSpec(16 * 7 * 7, 64), new ReluSpec(), new LinearSpec(64, classes),
        ],
        _ => throw new ArgumentException($"Unknown architecture '{name}'. Known: {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>Multiply-accumulate operations of one forward pass (28×28 input).</summary>
    public static long MacsPerImage(IReadOnlyList<LayerSpec> layers)
    {
        long macs = 0;
        var side = 28;
        foreach (var layer in layers)
        {
            switch (layer)
            {
                case ConvSpec c: macs += (long)side * side * c.Out * c.In * 9; break;
                case MaxPoolSpec: side /= 2; break;
                case LinearSpec l: macs += (long)l.In * l.Out; break;
            }
        }
        return macs;
    }
}
