using Emnist.Pipelines.Data;

namespace Emnist.Training;

/// <summary>Assembles <see cref="EmnistTrainingData"/> from a data folder.</summary>
public static class TrainingDataLoader
{
    /// <summary>
    /// Loads a split's training images, the ByClass case-ambiguous file when present, and the target class priors
    /// from the fullest official train label file found (e.g. <c>reference/</c>).
    /// </summary>
    /// <exception cref="EmnistFormatException">The folder or the split's training files are missing or malformed.</exception>
    public static EmnistTrainingData Load(string dataDirectory, EmnistSplit split, bool includeCaseAmbiguous = true, CancellationToken cancellationToken = default)
    {
        var dir = EmnistDataDirectory.Open(dataDirectory);
        var train = dir.Find(split, EmnistPart.Train)
            ?? throw new EmnistFormatException(dataDirectory, $"no training files for split '{split.Name()}' ({EmnistFileNames.Images(split, EmnistPart.Train)}[.gz])");
        var mapping = EmnistMapping.Load(train.MappingPath);
        var exact = EmnistReader.ReadAll(train, cancellationToken: cancellationToken);
        EmnistArrays? ambiguous = null;
        if (includeCaseAmbiguous && dir.Find(split, EmnistPart.TrainCaseAmbiguous) is { } amb)
            ambiguous = EmnistReader.ReadAll(amb, cancellationToken: cancellationToken);
        double[]? priors = null;
        if (dir.FindReferenceLabels(split, EmnistPart.Train) is { } reference)
            priors = [.. EmnistReader.CountClasses(reference, mapping).Select(c => (double)c)];
        return new EmnistTrainingData(mapping.Labels, exact, ambiguous, priors);
    }
}
