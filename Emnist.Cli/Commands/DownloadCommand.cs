using System.CommandLine;
using Emnist.Pipelines.Data;
using Spectre.Console;

namespace Emnist.Cli.Commands;

/// <summary><c>emnist download</c>: the official archive, resumable, with only the split's files extracted and verified.</summary>
internal static class DownloadCommand
{
    public static Command Create()
    {
        var split = CommonOptions.Split();
        var data = CommonOptions.Data();
        var url = new Option<string?>("--url") { Description = $"Archive URL (default {EmnistDownloader.OfficialArchive})" };
        var command = new Command("download", "Download the official EMNIST archive (resumable) and extract one split, checking each file's published sha256.") { split, data, url };
        command.SetAction((result, ct) => CliErrors.Run(async () =>
        {
            var splitValue = EmnistFileNames.ParseSplit(result.GetValue(split)!);
            var dir = EmnistDataDirectory.ResolvePath(result.GetValue(data));
            var source = result.GetValue(url) is { } u ? new Uri(u) : EmnistDownloader.OfficialArchive;
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            var downloader = new EmnistDownloader(http);
            IReadOnlyList<string> files = [];
            await AnsiConsole.Progress().AutoClear(false).StartAsync(async ctx =>
            {
                var task = ctx.AddTask("download", maxValue: 1);
                var progress = new Progress<DownloadProgress>(p =>
                {
                    task.Description = p.Phase == "download" ? "download" : $"extract {p.File}";
                    if (p.Total is { } t && t > 0) { task.MaxValue = t; task.Value = p.Bytes; }
                });
                files = await downloader.DownloadSplitAsync(splitValue, dir, source, progress: progress, cancellationToken: ct);
                task.Value = task.MaxValue;
            });
            foreach (var f in files) AnsiConsole.MarkupLineInterpolated($"[green]verified[/] {f}");
            return 0;
        }));
        return command;
    }
}
