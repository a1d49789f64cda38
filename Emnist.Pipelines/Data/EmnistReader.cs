namespace Emnist.Pipelines.Data;

/// <summary>Reads EMNIST IDX parts as upright samples.</summary>
public static class EmnistReader
{
    /// <summary>
    /// Streams the samples of a part, one at a time (each call re-reads the files, nothing is cached).
    /// </summary>
    /// <exception cref="EmnistFormatException">A file is truncated, has a wrong magic number, the counts differ
    /// or a label is outside the mapping.</exception>
    public static IEnumerable<EmnistSample> Read(EmnistPartFiles files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var mapping = EmnistMapping.Load(files.MappingPath);
        return ReadCore(files, mapping, cancellationToken);
    }

    private static IEnumerable<EmnistSample> ReadCore(EmnistPartFiles files, EmnistMapping mapping, CancellationToken ct)
    {
        using var images = IdxFile.OpenImages(files.ImagesPath);
        using var labels = OpenMatchingLabels(files, images);
        var ambiguous = files.Part == EmnistPart.TrainCaseAmbiguous;
        var raw = new byte[EmnistImage.PixelCount];
        var label = new byte[1];
        for (var i = 0; images.TryReadNext(raw); i++)
        {
            ct.ThrowIfCancellationRequested();
            var labelOffset = labels.Offset;
            labels.TryReadNext(label);
            var cls = CheckedClass(files.LabelsPath, mapping, label[0], labelOffset);
            var upright = new byte[EmnistImage.PixelCount];
            EmnistImage.Transpose(raw, upright);
            yield return new EmnistSample(i, cls, upright, ambiguous);
        }
    }

    /// <summary>Loads a whole part into contiguous arrays (upright pixels).</summary>
    public static EmnistArrays ReadAll(EmnistPartFiles files, int? maxCount = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        var mapping = EmnistMapping.Load(files.MappingPath);
        using var images = IdxFile.OpenImages(files.ImagesPath);
        using var labels = OpenMatchingLabels(files, images);
        var count = Math.Min(images.Count, maxCount ?? int.MaxValue);
        var pixels = new byte[(long)count * EmnistImage.PixelCount];
        var classes = new int[count];
        var raw = new byte[EmnistImage.PixelCount];
        var label = new byte[1];
        for (var i = 0; i < count; i++)
        {
            if ((i & 4095) == 0) cancellationToken.ThrowIfCancellationRequested();
            images.TryReadNext(raw);
            var labelOffset = labels.Offset;
            labels.TryReadNext(label);
            classes[i] = CheckedClass(files.LabelsPath, mapping, label[0], labelOffset);
            EmnistImage.Transpose(raw, pixels.AsSpan(i * EmnistImage.PixelCount, EmnistImage.PixelCount));
        }
        return new EmnistArrays(pixels, classes, files.Part == EmnistPart.TrainCaseAmbiguous);
    }

    /// <summary>Counts the labels per class in a label file (for priors and histograms).</summary>
    public static long[] CountClasses(string labelsPath, EmnistMapping mapping)
    {
        using var labels = IdxFile.OpenLabels(labelsPath);
        var counts = new long[mapping.Count];
        var label = new byte[1];
        while (true)
        {
            var offset = labels.Offset;
            if (!labels.TryReadNext(label)) break;
            counts[CheckedClass(labelsPath, mapping, label[0], offset)]++;
        }
        return counts;
    }

    private static IdxFile OpenMatchingLabels(EmnistPartFiles files, IdxFile images)
    {
        var labels = IdxFile.OpenLabels(files.LabelsPath);
        if (labels.Count != images.Count)
        {
            labels.Dispose();
            throw new EmnistFormatException(files.LabelsPath,
                $"holds {labels.Count} labels but {Path.GetFileName(files.ImagesPath)} holds {images.Count} images", 4);
        }
        return labels;
    }

    private static int CheckedClass(string path, EmnistMapping mapping, byte raw, long offset)
    {
        var cls = mapping.ClassOf(raw);
        return cls >= 0 ? cls
            : throw new EmnistFormatException(path, $"label {raw} is outside the mapping ({mapping.FirstLabel}..{mapping.FirstLabel + mapping.Count - 1})", offset);
    }
}
