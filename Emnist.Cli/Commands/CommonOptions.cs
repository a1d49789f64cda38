using System.CommandLine;
using Emnist.Pipelines.Data;

namespace Emnist.Cli.Commands;

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public static Option<string?> Data() => new("--data")
    {
        Description = $"EMNIST data folder (default: ${EmnistDataDirectory.EnvironmentVariable}, then {EmnistDataDirectory.DefaultPath})",
    };

    public static Option<string> Split() => new("--split")
    {
        Description = "byclass, bymerge, balanced, letters, digits or mnist",
        DefaultValueFactory = _ => "byclass",
    };
}
