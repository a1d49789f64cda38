using Emnist.Pipelines.Data;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Emnist.Pipelines.Transforms;

/// <summary>Input row of the EMNIST pixel transforms.</summary>
public sealed class EmnistPixelsRow
{
    /// <summary>784 raw intensities 0..255.</summary>
    [VectorType(EmnistImage.PixelCount)]
    public float[] Pixels { get; set; } = new float[EmnistImage.PixelCount];
}

/// <summary>Output row of <see cref="EmnistTransformsCatalog.NormalizeEmnistPixels"/>.</summary>
public sealed class EmnistNormalizedRow
{
    /// <summary>784 intensities scaled to [0, 1].</summary>
    [VectorType(EmnistImage.PixelCount)]
    public float[] NormalizedPixels { get; set; } = new float[EmnistImage.PixelCount];
}

/// <summary>Output row of <see cref="EmnistTransformsCatalog.AugmentEmnistPixels"/>.</summary>
public sealed class EmnistAugmentedRow
{
    /// <summary>784 raw intensities of the randomly distorted image.</summary>
    [VectorType(EmnistImage.PixelCount)]
    public float[] AugmentedPixels { get; set; } = new float[EmnistImage.PixelCount];
}

/// <summary>
/// Saved-model factory of the normalisation mapping. A process that loads a model containing it calls
/// <see cref="EmnistTransformsCatalog.RegisterEmnistTransforms"/> first.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class EmnistNormalizeFactory : CustomMappingFactory<EmnistPixelsRow, EmnistNormalizedRow>
{
    /// <summary>Contract name stored in saved models.</summary>
    public const string ContractName = "EmnistNormalizePixels";

    /// <inheritdoc />
    public override Action<EmnistPixelsRow, EmnistNormalizedRow> GetMapping() => EmnistTransformsCatalog.Normalize;
}

/// <summary><see cref="MLContext"/> transforms for EMNIST pixels, in ML.NET's estimator style.</summary>
public static class EmnistTransformsCatalog
{
    /// <summary>
    /// <c>Pixels</c> (0..255) → <c>NormalizedPixels</c> in [0, 1], for pipelines that feed EMNIST to other ML.NET
    /// trainers. (The shipped CNN normalises inside its own graph, so serving needs no separate step.) Savable.
    /// </summary>
    public static CustomMappingEstimator<EmnistPixelsRow, EmnistNormalizedRow> NormalizeEmnistPixels(this TransformsCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.CustomMapping<EmnistPixelsRow, EmnistNormalizedRow>(Normalize, EmnistNormalizeFactory.ContractName);
    }

    /// <summary>
    /// Training-time augmentation: <c>Pixels</c> → <c>AugmentedPixels</c>, a random affine distortion (rotation, shift,
    /// scale, shear). Each image's distortion is drawn from a generator seeded by <paramref name="seed"/> and the image's
    /// own pixels, so a run reproduces exactly whatever the cursor order or threading. Not savable: it is for training only.
    /// </summary>
    public static CustomMappingEstimator<EmnistPixelsRow, EmnistAugmentedRow> AugmentEmnistPixels(this TransformsCatalog catalog, EmnistAugmentationOptions? options = null, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var o = options ?? new EmnistAugmentationOptions();
        o.Validate();
        return catalog.CustomMapping<EmnistPixelsRow, EmnistAugmentedRow>((input, output) => Augment(input, output, o, seed), contractName: null);
    }

    /// <summary>Registers this assembly's saved-model factories with an <see cref="MLContext"/> (needed to load models that use them).</summary>
    public static void RegisterEmnistTransforms(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        mlContext.ComponentCatalog.RegisterAssembly(typeof(EmnistNormalizeFactory).Assembly);
    }

    internal static void Normalize(EmnistPixelsRow input, EmnistNormalizedRow output)
    {
        output.NormalizedPixels ??= new float[EmnistImage.PixelCount];
        for (var i = 0; i < EmnistImage.PixelCount; i++) output.NormalizedPixels[i] = input.Pixels[i] / 255f;
    }

    private static void Augment(EmnistPixelsRow input, EmnistAugmentedRow output, EmnistAugmentationOptions options, int seed)
    {
        Span<byte> source = stackalloc byte[EmnistImage.PixelCount];
        Span<byte> distorted = stackalloc byte[EmnistImage.PixelCount];
        // FNV-1a over seed and pixels: stable across processes (System.HashCode is randomised per process).
        var hash = 2166136261u ^ (uint)seed;
        for (var i = 0; i < EmnistImage.PixelCount; i++)
        {
            source[i] = (byte)Math.Clamp(input.Pixels[i], 0, 255);
            hash = (hash ^ source[i]) * 16777619u;
        }
        EmnistAugmentation.Apply(source, distorted, options, new Random((int)hash));
        output.AugmentedPixels ??= new float[EmnistImage.PixelCount];
        for (var i = 0; i < EmnistImage.PixelCount; i++) output.AugmentedPixels[i] = distorted[i];
    }
}
