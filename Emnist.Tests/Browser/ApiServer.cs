using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Emnist.Tests.Fixtures;

namespace Emnist.Tests.Browser;

/// <summary>The real API as its own process on a free loopback port (Kestrel, the built Emnist.Api).</summary>
public sealed class ApiServer : IAsyncDisposable
{
    private readonly Process _process;

    private ApiServer(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    public static async Task<ApiServer> StartAsync(string modelPath)
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var apiDir = Path.Combine(SharedData.RepoRoot, "Emnist.Api");
        var dll = Path.Combine(apiDir, "bin", config, "net10.0", "Emnist.Api.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", url, "--contentRoot", apiDir, "--Emnist:ModelPath", modelPath, "--Emnist:WatchModelFile", "false" },
            WorkingDirectory = apiDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the API");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var i = 0; i < 200; i++)
        {
            if (process.HasExited) throw new InvalidOperationException($"The API exited with code {process.ExitCode}.");
            try
            {
                if ((await http.GetAsync(url + "/health/ready")).StatusCode == HttpStatusCode.OK) return new ApiServer(process, url);
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException("The API did not become ready within 20 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
