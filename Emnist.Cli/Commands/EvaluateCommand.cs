using System.CommandLine;
using System.Text.Json;
using Emnist.Pipelines.Data;
using Emnist.Pipelines.Model;
using Microsoft.ML;
using Spectre.Console;

namespace Emnist.Cli.Commands;

/// <summary><c>emnist evaluate</c>: figures of a model zip on a split's test set, plus an HTML report.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model zip", Required = true };
        var data = CommonOptions.Data();
        var split = CommonOptions.Split();
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables" };
        var report = new Option<string?>("--report") { Description = "Write an HTML report (confusion heat map, per-class recall, training curve) here" };
        var max = new Option<int?>("--max") { Description = "Evaluate only the first N test images" };
        var command = new Command("evaluate", "Evaluate a model zip on the official test set of a split.") { model, data, split, json, report, max };
        command.SetAction((result, ct) => CliErrors.Run(async () =>
        {
            var ml = new MLContext();
            var modelPath = result.GetValue(model)!;
            var loaded = EmnistModel.Load(ml, modelPath);
            var splitValue = EmnistFileNames.ParseSplit(result.GetValue(split)!);
            var dataDir = EmnistDataDirectory.ResolvePath(result.GetValue(data));
            var files = EmnistDataDirectory.Open(dataDir).Find(splitValue, EmnistPart.Test)
                ?? throw new EmnistFormatException(dataDir, $"no test files for split '{splitValue.Name()}'");
            var r = EmnistEvaluator.Evaluate(ml, loaded, files, result.GetValue(max), ct);
            if (result.GetValue(report) is { } reportPath)
                await File.WriteAllTextAsync(reportPath, EvaluationHtml.Render(loaded.Info, r), ct);
            if (result.GetValue(json))
            {
                AnsiConsole.Console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(new
                {
                    model = loaded.Info.Name, split = splitValue.Name(), count = r.Count, accuracy = r.Accuracy, top3 = r.Top3Accuracy,
                    caseGroupAccuracy = r.CaseGroupAccuracy, macroF1 = r.MacroF1,
                    topConfusions = r.TopConfusions.Select(c => new { actual = c.Actual, predicted = c.Predicted, count = c.Count }),
                }, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
                return 0;
            }
            var table = new Table().AddColumns("metric", "value");
            table.AddRow("images", r.Count.ToString("N0"));
            table.AddRow("top-1 accuracy", r.Accuracy.ToString("P2"));
            table.AddRow("top-3 accuracy", r.Top3Accuracy.ToString("P2"));
            table.AddRow("accuracy up to case groups", r.CaseGroupAccuracy.ToString("P2"));
            table.AddRow("macro-F1", r.MacroF1.ToString("F4"));
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine("Most frequent confusions: " + Markup.Escape(string.Join(", ", r.TopConfusions.Take(10).Select(c => $"{c.Actual}→{c.Predicted} ({c.Count})"))));
            return 0;
        }));
        return command;
    }
}
