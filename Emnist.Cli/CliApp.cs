using System.CommandLine;
using Emnist.Cli.Commands;

namespace Emnist.Cli;

/// <summary>The <c>emnist</c> command tree.</summary>
internal static class CliApp
{
    public static RootCommand Create()
    {
        var root = new RootCommand("emnist: inspect, train and evaluate EMNIST handwritten-character models.");
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(DownloadCommand.Create());
        return root;
    }
}
