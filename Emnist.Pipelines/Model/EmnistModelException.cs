namespace Emnist.Pipelines.Model;

/// <summary>Thrown when a file is not a usable EMNIST model zip (missing, corrupt, foreign or incompatible).</summary>
public sealed class EmnistModelException(string path, string problem, Exception? inner = null)
    : Exception($"{path}: {problem}", inner)
{
    /// <summary>The model file.</summary>
    public string FilePath { get; } = path;
}
