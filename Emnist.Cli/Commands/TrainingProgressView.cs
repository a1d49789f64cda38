using Emnist.Training;
using Spectre.Console;

namespace Emnist.Cli.Commands;

/// <summary>Shows training progress: live bars on a terminal, one line per update otherwise (logs, CI).</summary>
internal static class TrainingProgressView
{
    public static async Task<T> Run<T>(Func<IProgress<TrainingProgress>, T> train)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            var lastLine = DateTime.MinValue;
            var plain = new Progress<TrainingProgress>(p =>
            {
                if (p.ValidationAccuracy is null && DateTime.UtcNow - lastLine < TimeSpan.FromSeconds(30)) return;
                lastLine = DateTime.UtcNow;
                Console.WriteLine(Describe(p));
            });
            return await Task.Run(() => train(plain));
        }

        T result = default!;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var overall = ctx.AddTask("training", maxValue: 1);
                ProgressTask? epochTask = null;
                var bars = new Progress<TrainingProgress>(p =>
                {
                    if (epochTask is null || epochTask.Description != $"epoch {p.Epoch}/{p.Epochs}")
                    {
                        epochTask?.StopTask();
                        epochTask = ctx.AddTask($"epoch {p.Epoch}/{p.Epochs}", maxValue: p.StepsPerEpoch);
                    }
                    epochTask.Value = p.Step;
                    overall.Value = ((p.Epoch - 1) * (double)p.StepsPerEpoch + p.Step) / (p.Epochs * (double)p.StepsPerEpoch);
                    overall.Description = $"loss {p.Loss:F3} · train {p.TrainAccuracy:P1} · {p.ImagesPerSecond:N0} img/s";
                    if (p.ValidationAccuracy is { } v) AnsiConsole.MarkupLineInterpolated($"[green]{Describe(p)}[/]");
                });
                result = await Task.Run(() => train(bars));
            });
        return result;
    }

    private static string Describe(TrainingProgress p) =>
        $"epoch {p.Epoch}/{p.Epochs} step {p.Step}/{p.StepsPerEpoch} loss {p.Loss:F4} train {p.TrainAccuracy:P2}" +
        (p.ValidationAccuracy is { } v ? $" validation {v:P2}" : "") + $" {p.ImagesPerSecond:N0} img/s ETA {p.Eta:hh\\:mm\\:ss}";
}
