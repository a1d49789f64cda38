using System.Globalization;

namespace Emnist.Pipelines.Data;

/// <summary>
/// The class → character mapping of a split, read from the official <c>emnist-&lt;split&gt;-mapping.txt</c>
/// (lines of <c>label code [code]</c>; the letters split lists upper- and lower-case codes).
/// </summary>
public sealed class EmnistMapping
{
    private readonly string[] _labels;

    /// <summary>Creates a mapping from labels in class order (class 0 first).</summary>
    public EmnistMapping(IReadOnlyList<string> labels, int firstLabel = 0)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count == 0) throw new ArgumentException("A mapping needs at least one class.", nameof(labels));
        _labels = [.. labels];
        FirstLabel = firstLabel;
    }

    /// <summary>The label value of class 0 in the IDX label file (1 for the letters split, 0 otherwise).</summary>
    public int FirstLabel { get; }

    /// <summary>Number of classes.</summary>
    public int Count => _labels.Length;

    /// <summary>Class texts in class order, e.g. <c>"0"</c>, <c>"A"</c>, <c>"a"</c> (letters split: <c>"Aa"</c>).</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>The text of class <paramref name="classIndex"/> (0-based).</summary>
    public string this[int classIndex] => _labels[classIndex];

    /// <summary>Converts a raw IDX label value to a 0-based class index, or -1 if it is outside the mapping.</summary>
    public int ClassOf(int rawLabel)
    {
        var c = rawLabel - FirstLabel;
        return (uint)c < (uint)_labels.Length ? c : -1;
    }

    /// <summary>The ByClass mapping (0-9, A-Z, a-z), identical to the official file.</summary>
    public static EmnistMapping ByClass { get; } = new(
        [.. Enumerable.Range(0, 10).Select(i => ((char)('0' + i)).ToString()),
         .. Enumerable.Range(0, 26).Select(i => ((char)('A' + i)).ToString()),
         .. Enumerable.Range(0, 26).Select(i => ((char)('a' + i)).ToString())]);

    /// <summary>Reads an official mapping file.</summary>
    /// <exception cref="EmnistFormatException">The file is missing or malformed.</exception>
    public static EmnistMapping Load(string path)
    {
        if (!File.Exists(path)) throw new EmnistFormatException(path, "mapping file not found");
        var rows = new SortedDictionary<int, string>();
        var lineNo = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNo++;
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var label))
                throw new EmnistFormatException(path, $"line {lineNo} is not 'label code': '{line}'");
            var text = string.Concat(parts.Skip(1).Select(p =>
                int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is > 0 and < 0x10000
                    ? ((char)code).ToString()
                    : throw new EmnistFormatException(path, $"line {lineNo} has an invalid character code '{p}'")));
            if (!rows.TryAdd(label, text))
                throw new EmnistFormatException(path, $"line {lineNo} repeats label {label}");
        }
        if (rows.Count == 0) throw new EmnistFormatException(path, "mapping file is empty");
        var first = rows.Keys.First();
        if (rows.Keys.Last() - first + 1 != rows.Count)
            throw new EmnistFormatException(path, "labels are not consecutive");
        return new EmnistMapping([.. rows.Values], first);
    }
}
