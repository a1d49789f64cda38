using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using Emnist.Tests.Fixtures;
using Xunit.Abstractions;

namespace Emnist.Tests.Packaging;

/// <summary>
/// Packs Emnist.Pipelines into a temporary local feed, builds samples/ConsoleSample against that package (not the
/// project) and runs it on a drawn PNG with the committed default model.
/// </summary>
public sealed class PackageTests(ITestOutputHelper output)
{
    private static async Task<string> Dotnet(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        var text = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', args)} failed:\n{text}");
        return text;
    }

    [SkippableFact]
    public async Task Packed_library_is_consumed_from_a_local_feed_and_predicts()
    {
        var model = Path.Combine(SharedData.RepoRoot, "models", "emnist-byclass.zip");
        Skip.If(!File.Exists(model), "No default model committed.");
        using var temp = new TempDir();
        var feed = Directory.CreateDirectory(temp.File("feed")).FullName;
        // A unique pre-release version, so the NuGet cache can never hand back a package packed by an earlier run.
        var version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}";
        await Dotnet(SharedData.RepoRoot, "pack", "Emnist.Pipelines/Emnist.Pipelines.csproj", "-c", "Release", "-o", feed, $"-p:Version={version}", "-p:ContinuousIntegrationBuild=true");

        var nupkg = Directory.GetFiles(feed, "Emnist.Pipelines.*.nupkg").Single(f => !f.EndsWith(".snupkg"));
        Assert.Single(Directory.GetFiles(feed, "Emnist.Pipelines.*.snupkg"));
        using (var zip = ZipFile.OpenRead(nupkg))
        {
            var nuspec = XDocument.Load(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec")).Open());
            var dependencies = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string)e.Attribute("id")!).ToList();
            output.WriteLine($"package {Path.GetFileName(nupkg)}: {new FileInfo(nupkg).Length / 1024} KiB; dependencies: {string.Join(", ", dependencies)}");
            Assert.DoesNotContain(dependencies, d => d.Contains("Torch", StringComparison.OrdinalIgnoreCase));
            Assert.Contains("Microsoft.ML.OnnxRuntime", dependencies);
            Assert.Contains(zip.Entries, e => e.FullName == "README.md");
            Assert.Contains(zip.Entries, e => e.FullName.EndsWith("Emnist.Pipelines.xml")); // XML docs ship
        }

        // A fresh project outside the repository (no Directory.Build.props, no project reference).
        var app = Directory.CreateDirectory(temp.File("app")).FullName;
        foreach (var f in Directory.GetFiles(Path.Combine(SharedData.RepoRoot, "samples", "ConsoleSample"), "*.c*")) File.Copy(f, Path.Combine(app, Path.GetFileName(f)));
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local" value="{feed}" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local"><package pattern="Emnist.*" /></packageSource>
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        var png = temp.File("drawing.png");
        File.WriteAllBytes(png, Png.Canvas(Glyphs.L(thickness: 3)));
        var outputText = await Dotnet(app, "run", "-c", "Release", $"-p:EmnistPipelinesVersion={version}", "--", model, png);
        output.WriteLine(outputText);
        Assert.Contains("drawing.png: L", outputText);
    }
}
