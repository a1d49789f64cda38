using System.CommandLine;
using Emnist.Pipelines.Data;
using Spectre.Console;

namespace Emnist.Cli.Commands;

/// <summary><c>emnist inspect</c>: what a data folder holds, with a few samples drawn in ASCII to check orientation.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var samples = new Option<int>("--samples") { Description = "Samples drawn per part", DefaultValueFactory = _ => 3 };
        var command = new Command("inspect", "Show every EMNIST split part in a folder: counts, classes, histogram and sample glyphs.") { data, samples };
        command.SetAction((result, ct) => CliErrors.Run(() =>
        {
            var path = EmnistDataDirectory.ResolvePath(result.GetValue(data));
            var dir = EmnistDataDirectory.Open(path);
            var table = new Table().AddColumns("split", "part", "samples", "classes", "smallest class", "largest class");
            var parts = dir.FindAll();
            foreach (var files in parts)
            {
                ct.ThrowIfCancellationRequested();
                var mapping = EmnistMapping.Load(files.MappingPath);
                var counts = EmnistReader.CountClasses(files.LabelsPath, mapping);
                var present = counts.Count(c => c > 0);
                var min = Array.IndexOf(counts, counts.Where(c => c > 0).DefaultIfEmpty(0).Min());
                var max = Array.IndexOf(counts, counts.Max());
                table.AddRow(files.Split.Name(), files.Part.Name(), counts.Sum().ToString("N0"), $"{present}/{mapping.Count}",
                    Markup.Escape($"{mapping[Math.Max(min, 0)]} ({counts[Math.Max(min, 0)]:N0})"), Markup.Escape($"{mapping[max]} ({counts[max]:N0})"));
            }
            AnsiConsole.Write(table);
            foreach (var files in parts)
            {
                var mapping = EmnistMapping.Load(files.MappingPath);
                AnsiConsole.MarkupLineInterpolated($"[bold]{files.Split.Name()} {files.Part.Name()}[/]: first {result.GetValue(samples)} samples (upright)");
                foreach (var s in EmnistReader.Read(files, ct).Take(result.GetValue(samples)))
                    AnsiConsole.Console.Profile.Out.Writer.WriteLine($"label '{mapping[s.Class]}'\n{Ascii(s.Pixels)}");
            }
            return Task.FromResult(0);
        }));
        return command;
    }

    /// <summary>28×28 as 28 lines of 28 characters (14 rows by pairing lines would distort the aspect ratio less, but this is exact).</summary>
    internal static string Ascii(byte[] pixels)
    {
        const string ramp = " .:-=+*#%@";
        var sb = new System.Text.StringBuilder();
        for (var y = 0; y < EmnistImage.Size; y++)
        {
            for (var x = 0; x < EmnistImage.Size; x++) sb.Append(ramp[pixels[y * EmnistImage.Size + x] * (ramp.Length - 1) / 255]);
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
