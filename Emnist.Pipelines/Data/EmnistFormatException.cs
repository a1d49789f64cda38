namespace Emnist.Pipelines.Data;

/// <summary>
/// Thrown when an EMNIST file or folder is missing, truncated or not in the official IDX / mapping format.
/// The message names the file, what is wrong and, where it applies, the byte offset.
/// </summary>
public sealed class EmnistFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public EmnistFormatException(string path, string problem, long? offset = null, Exception? inner = null)
        : base(Format(path, problem, offset), inner)
    {
        FilePath = path;
        Offset = offset;
    }

    /// <summary>The file or folder the problem is in.</summary>
    public string FilePath { get; }

    /// <summary>The byte offset (in the decompressed stream) where the problem was found, if it applies.</summary>
    public long? Offset { get; }

    private static string Format(string path, string problem, long? offset) =>
        offset is { } o ? $"{path}: {problem} (at byte offset {o})" : $"{path}: {problem}";
}
