using Emnist.Pipelines.Model;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Emnist.Pipelines.Data;

/// <summary>One row of an EMNIST <see cref="IDataView"/>.</summary>
internal sealed class EmnistRow
{
    [VectorType(EmnistImage.PixelCount)]
    public float[] Pixels { get; set; } = [];

    public string Character { get; set; } = "";

    public bool IsCaseAmbiguous { get; set; }
}

/// <summary><see cref="MLContext"/> catalog extensions that load EMNIST.</summary>
public static class EmnistDataCatalog
{
    /// <summary>Column names of an EMNIST data view.</summary>
    public static class Columns
    {
        /// <summary>Key-typed class whose key values are the split's characters.</summary>
        public const string Label = "Label";
        /// <summary>784 raw pixel intensities 0..255 of the upright image (the model's input).</summary>
        public const string Pixels = EmnistModel.PixelsColumn;
        /// <summary>The class as text, e.g. <c>"A"</c>.</summary>
        public const string Character = "Character";
        /// <summary>True when the case of the letter is unknown (the label is the upper-case twin).</summary>
        public const string IsCaseAmbiguous = "IsCaseAmbiguous";
    }

    /// <summary>
    /// Loads one part of a split as a streaming <see cref="IDataView"/>: each cursor reads the IDX files again,
    /// so memory stays flat whatever the file size.
    /// </summary>
    /// <param name="catalog">The data catalog.</param>
    /// <param name="dataDirectory">Data folder; null = <c>EMNIST_DATA</c>, then <c>datasets/emnist</c>.</param>
    /// <param name="split">Which split.</param>
    /// <param name="part">Train, test or the case-ambiguous train file.</param>
    /// <exception cref="EmnistFormatException">The folder or files are missing or malformed.</exception>
    public static IDataView LoadEmnist(this DataOperationsCatalog catalog, string? dataDirectory, EmnistSplit split, EmnistPart part)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var path = EmnistDataDirectory.ResolvePath(dataDirectory);
        var files = EmnistDataDirectory.Open(path).Find(split, part)
            ?? throw new EmnistFormatException(path, $"no {part.Name()} files for split '{split.Name()}' ({EmnistFileNames.Images(split, part)}[.gz])");
        return catalog.LoadEmnist(files);
    }

    /// <summary>Loads the given files as a streaming <see cref="IDataView"/>.</summary>
    public static IDataView LoadEmnist(this DataOperationsCatalog catalog, EmnistPartFiles files)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(files);
        var mapping = EmnistMapping.Load(files.MappingPath);
        var rows = catalog.LoadFromEnumerable(new SampleRows(files, mapping));
        return LabelKeys(mapping).Transform(rows);
    }

    /// <summary>Character → key-typed Label whose keys follow the mapping's class order (key k = class k−1).</summary>
    private static ITransformer LabelKeys(EmnistMapping mapping)
    {
        var ml = new MLContext();
        var keys = ml.Data.LoadFromEnumerable(mapping.Labels.Select(l => new KeyText { Character = l }));
        var empty = ml.Data.LoadFromEnumerable(Array.Empty<KeyText>());
        return ml.Transforms.Conversion.MapValueToKey(Columns.Label, Columns.Character, keyData: keys).Fit(empty);
    }

    private sealed class KeyText
    {
        public string Character { get; set; } = "";
    }

    /// <summary>Re-enumerable: each enumeration streams the files from the start.</summary>
    private sealed class SampleRows(EmnistPartFiles files, EmnistMapping mapping) : IEnumerable<EmnistRow>
    {
        public IEnumerator<EmnistRow> GetEnumerator()
        {
            foreach (var s in EmnistReader.Read(files))
            {
                var pixels = new float[EmnistImage.PixelCount];
                for (var i = 0; i < pixels.Length; i++) pixels[i] = s.Pixels[i];
                yield return new EmnistRow { Pixels = pixels, Character = mapping[s.Class], IsCaseAmbiguous = s.IsCaseAmbiguous };
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
