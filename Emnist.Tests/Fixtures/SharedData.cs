using Emnist.Pipelines.Data;

namespace Emnist.Tests.Fixtures;

/// <summary>
/// Locates the real EMNIST data (<c>EMNIST_DATA</c> or <c>../shared/emnist</c> beside the repository). Tests that
/// need it skip with this message when it is absent (a fresh clone has none).
/// </summary>
internal static class SharedData
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string? Directory { get; } = Find();

    public const string SkipReason = "EMNIST data not found: set EMNIST_DATA or place the official files in ../shared/emnist (see datasets/README.md).";

    public static string Require()
    {
        Skip.If(Directory is null, SkipReason);
        return Directory!;
    }

    private static string? Find()
    {
        var env = Environment.GetEnvironmentVariable(EmnistDataDirectory.EnvironmentVariable);
        if (!string.IsNullOrEmpty(env) && System.IO.Directory.Exists(env)) return env;
        var candidate = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "emnist"));
        return System.IO.Directory.Exists(candidate) ? candidate : null;
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MlNetEmnist.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Cannot find MlNetEmnist.sln above " + AppContext.BaseDirectory);
    }
}
