using Emnist.Cli;
using Emnist.Pipelines.Data;
using Emnist.Tests.Fixtures;
using Spectre.Console;

namespace Emnist.Tests.Cli;

[Collection(TinyModelCollection.Name)]
public sealed class CliTests(TinyModels models) : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly StringWriter _out = new();

    public void Dispose() => _dir.Dispose();

    private async Task<(int Code, string Output)> Run(params string[] args)
    {
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(_out), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No });
        var code = await CliApp.Create().Parse(args).InvokeAsync();
        return (code, _out.ToString());
    }

    [Fact]
    public async Task Missing_data_folder_is_one_clear_line_and_exit_1()
    {
        var (code, output) = await Run("train", "--data", _dir.File("nope"), "--epochs", "1", "--out", _dir.File("m.zip"));
        Assert.Equal(1, code);
        Assert.Contains("data folder not found", output);
        Assert.DoesNotContain("   at ", output); // no stack trace
    }

    [Fact]
    public async Task Zero_epochs_are_rejected_before_loading_data()
    {
        var (code, output) = await Run("train", "--data", _dir.Path, "--epochs", "0", "--out", _dir.File("m.zip"));
        Assert.Equal(1, code);
        Assert.Contains("epochs must be at least 1", output);
    }

    [Fact]
    public async Task Split_without_training_files_is_reported()
    {
        var (images, labels) = Glyphs.Set(8, seed: 1);
        IdxWriter.WritePart(_dir.Path, EmnistSplit.ByClass, EmnistPart.Test, images, labels, Glyphs.Labels);
        var (code, output) = await Run("train", "--data", _dir.Path, "--split", "byclass", "--epochs", "1", "--out", _dir.File("m.zip"));
        Assert.Equal(1, code);
        Assert.Contains("no training files", output);
    }

    [Fact]
    public async Task Unwritable_output_is_reported()
    {
        var (code, output) = await Run("train", "--data", _dir.Path, "--epochs", "1", "--out", _dir.Path);
        Assert.Equal(1, code);
        Assert.Contains("is a folder", output);
    }

    [Fact]
    public async Task Evaluate_rejects_a_foreign_zip_and_garbage()
    {
        var foreign = _dir.File("foreign.zip");
        using (var zip = System.IO.Compression.ZipFile.Open(foreign, System.IO.Compression.ZipArchiveMode.Create)) zip.CreateEntry("hello.txt");
        var (code, output) = await Run("evaluate", "--model", foreign, "--data", _dir.Path);
        Assert.Equal(1, code);
        Assert.Contains("not an EMNIST model zip", output);

        File.WriteAllText(_dir.File("garbage.zip"), "garbage");
        (code, output) = await Run("evaluate", "--model", _dir.File("garbage.zip"), "--data", _dir.Path);
        Assert.Equal(1, code);
        Assert.Contains("not a zip file", output);
    }

    [Fact]
    public async Task Evaluate_json_reports_count_accuracy_top3_and_case_groups()
    {
        var (images, labels) = Glyphs.Set(40, seed: 31);
        IdxWriter.WritePart(_dir.Path, EmnistSplit.Digits, EmnistPart.Test, images, labels, Glyphs.Labels);
        var report = _dir.File("report.html");
        var (code, output) = await Run("evaluate", "--model", models.ZipA, "--data", _dir.Path, "--split", "digits", "--json", "--report", report);
        Assert.Equal(0, code);
        using var json = System.Text.Json.JsonDocument.Parse(output.Trim().Split('\n').Last());
        Assert.Equal(40, json.RootElement.GetProperty("count").GetInt32());
        Assert.True(json.RootElement.GetProperty("accuracy").GetDouble() > 0.8);
        Assert.True(json.RootElement.GetProperty("top3").GetDouble() >= json.RootElement.GetProperty("accuracy").GetDouble());
        Assert.True(json.RootElement.TryGetProperty("caseGroupAccuracy", out _));
        Assert.Contains("Confusion matrix", File.ReadAllText(report));
    }

    [Fact]
    public async Task Inspect_counts_each_part_and_draws_upright_samples()
    {
        var (images, labels) = Glyphs.Set(12, seed: 2);
        IdxWriter.WritePart(_dir.Path, EmnistSplit.ByClass, EmnistPart.Test, images, labels, Glyphs.Labels);
        var (code, output) = await Run("inspect", "--data", _dir.Path, "--samples", "1");
        Assert.Equal(0, code);
        Assert.Contains("byclass", output);
        Assert.Contains("12", output);
    }
}
