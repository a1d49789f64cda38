using System.CommandLine;
using Emnist.Cli.Commands;

var root = new RootCommand("emnist: download, inspect, train and evaluate EMNIST handwritten-character models.");
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(InspectCommand.Create());
return await root.Parse(args).InvokeAsync();
