using System.Globalization;
using System.Text;
using Emnist.Pipelines.Model;
using Emnist.Training;

namespace Emnist.Cli.Commands;

/// <summary>Renders the model card (markdown) written beside a model zip.</summary>
internal static class ModelCard
{
    public static string Render(EmnistModelInfo info, IReadOnlyList<IReadOnlyList<EpochSummary>> histories, EmnistCnnTrainerOptions options, EvaluationReport? report)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"# Model card: {info.Name}");
        sb.AppendLine();
        sb.AppendLine(inv, $"- Split: **{info.Split}** ({info.Labels.Count} classes)");
        sb.AppendLine(inv, $"- Architecture: `{info.Architecture}`, {info.Parameters:N0} parameters, {info.MacsPerImage / 1e6:F1} M multiply-adds per image");
        sb.AppendLine(inv, $"- Training images: {info.TrainingImages:N0} (exact + case-ambiguous, partial-label loss); {options.ValidationFraction:P0} of the exact ones held out for validation");
        sb.AppendLine(inv, $"- Optimiser: AdamW, one-cycle peak LR {options.MaxLearningRate}, weight decay {options.WeightDecay}, batch {options.BatchSize}, label smoothing {options.LabelSmoothing}, augmentation {(options.Augmentation is null ? "off" : "on")}");
        if (info.Teacher is { } teacher)
            sb.AppendLine(inv, $"- Distilled from `{teacher}`: {options.DistillationWeight:P0} of the loss follows the teacher's probabilities, the rest the labels");
        sb.AppendLine(inv, $"- Epochs: {info.Epochs} (early-stopping patience {options.EarlyStoppingPatience}), seed {info.Seed}");
        sb.AppendLine(inv, $"- Training time: {info.TrainingSeconds / 60:F1} min on {Environment.ProcessorCount} CPU cores ({System.Runtime.InteropServices.RuntimeInformation.OSDescription}), threads {(options.Threads == 0 ? Environment.ProcessorCount : options.Threads)}");
        sb.AppendLine(inv, $"- Validation accuracy of the kept weights (member 1): {info.ValidationAccuracy:P2}");
        sb.AppendLine(inv, $"- Reproduce: `dotnet run -c Release --project Emnist.Cli -- {ModelOutput.ReproduceCommand()["emnist ".Length..]}`");
        sb.AppendLine();
        if (report is not null)
        {
            sb.AppendLine(inv, $"## Test figures (official {info.Split} test set, {report.Count:N0} images)");
            sb.AppendLine();
            sb.AppendLine("| metric | value |\n|---|---:|");
            sb.AppendLine(inv, $"| top-1 accuracy | {report.Accuracy:P2} |");
            sb.AppendLine(inv, $"| top-3 accuracy | {report.Top3Accuracy:P2} |");
            sb.AppendLine(inv, $"| accuracy up to case groups (o/O/0, l/I/1, c/C …) | {report.CaseGroupAccuracy:P2} |");
            sb.AppendLine(inv, $"| macro-F1 | {report.MacroF1:F4} |");
            sb.AppendLine();
            sb.AppendLine("Most frequent confusions: " + string.Join(", ", report.TopConfusions.Take(10).Select(c => $"{c.Actual}→{c.Predicted} ({c.Count})")));
            sb.AppendLine();
        }
        for (var m = 0; m < histories.Count; m++)
        {
            sb.AppendLine(histories.Count == 1 ? "## Training history" : $"## Training history, member {m + 1} (seed {info.Seed + m})");
            sb.AppendLine();
            sb.AppendLine("| epoch | loss | train acc | validation acc | images/s | seconds |\n|---:|---:|---:|---:|---:|---:|");
            foreach (var h in histories[m])
                sb.AppendLine(inv, $"| {h.Epoch} | {h.Loss:F4} | {h.TrainAccuracy:P2} | {h.ValidationAccuracy:P2} | {h.ImagesPerSecond:N0} | {h.Seconds:N0} |");
            sb.AppendLine();
        }
        return sb.ToString();
    }
}
