using Emnist.Pipelines.Data;
using Emnist.Pipelines.Model;
using Emnist.Training;
using Microsoft.ML;
using Spectre.Console;

namespace Emnist.Cli.Commands;

/// <summary>Writes the trained model zip and its model card.</summary>
internal static class ModelOutput
{
    /// <summary>The command line that reproduces this run from scratch (without --resume).</summary>
    public static string ReproduceCommand() => "emnist " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Where(a => a != "--resume"));

    /// <summary>Fails early (before hours of training) when the output cannot be written.</summary>
    public static void EnsureWritable(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new ArgumentException($"--out {path} is a folder; give a .zip file path.");
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var probe = Path.Combine(dir, $".write-test-{Guid.NewGuid():N}");
        File.WriteAllText(probe, "");
        File.Delete(probe);
    }

    public static async Task SaveAsync(IReadOnlyList<TrainedNetwork> members, EmnistCnnTrainerOptions options, EmnistSplit split, string dataDir, string outPath,
        EmnistTrainingData data, bool evaluateTest, bool halfPrecisionWeights, CancellationToken ct)
    {
        var ml = new MLContext(seed: options.Seed);
        var first = members[0];
        var onnx = EmnistModelExport.ToOnnx(members, halfPrecisionWeights);
        var info = new EmnistModelInfo
        {
            Name = Path.GetFileNameWithoutExtension(outPath),
            Split = split.Name(),
            Labels = first.Labels,
            Architecture = members.Count == 1 ? first.Architecture : $"ensemble of {members.Count} × {first.Architecture}",
            Parameters = members.Sum(m => m.ParameterCount),
            MacsPerImage = members.Sum(m => m.MacsPerImage),
            Epochs = first.History.Count,
            Seed = options.Seed,
            TrainingImages = data.Exact.Count + (data.CaseAmbiguous?.Count ?? 0),
            TrainingSeconds = Math.Round(members.Sum(m => m.History.Sum(h => h.Seconds)), 1),
            ValidationAccuracy = first.History[^1].ValidationAccuracy,
            CreatedUtc = DateTimeOffset.UtcNow,
            History = [.. first.History.Select(h => new EpochRecord(h.Epoch, h.Loss, h.TrainAccuracy, h.ValidationAccuracy))],
            Command = ReproduceCommand(),
            Teacher = data.Teacher?.Name,
        };
        var model = EmnistModel.FromOnnx(ml, onnx, info);
        EvaluationReport? report = null;
        if (evaluateTest)
        {
            var test = EmnistDataDirectory.Open(dataDir).Find(split, EmnistPart.Test)
                ?? throw new EmnistFormatException(dataDir, $"no test files for split '{split.Name()}'");
            AnsiConsole.MarkupLine("Evaluating on the official test set ...");
            report = EmnistEvaluator.Evaluate(ml, model, test, cancellationToken: ct);
            info = info with { TestAccuracy = report.Accuracy, TestTop3Accuracy = report.Top3Accuracy, TestCaseGroupAccuracy = report.CaseGroupAccuracy, TestCount = report.Count };
            model = EmnistModel.FromOnnx(ml, onnx, info);
        }
        model.Save(ml, outPath);
        var card = Path.ChangeExtension(outPath, ".md");
        await File.WriteAllTextAsync(card, ModelCard.Render(info, members.Select(m => m.History).ToList(), options, report), ct);
        AnsiConsole.MarkupLineInterpolated($"[green]Saved[/] {outPath} ({new FileInfo(outPath).Length / 1024.0:N0} KiB) and {card}.");
        if (report is not null) AnsiConsole.MarkupLineInterpolated($"Test accuracy {report.Accuracy:P2}, top-3 {report.Top3Accuracy:P2}, case-group {report.CaseGroupAccuracy:P2}.");
    }
}
