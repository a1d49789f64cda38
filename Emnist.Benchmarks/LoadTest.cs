using System.Diagnostics;
using System.Net.Http.Headers;

namespace Emnist.Benchmarks;

/// <summary>
/// A bounded HTTP load run against a running API on this machine: N connections posting the same canvas PNG for a
/// fixed time, against the trivial echo endpoint as the ceiling. Only loopback addresses are accepted.
/// Usage: dotnet run -c Release --project Emnist.Benchmarks -- load [--url http://127.0.0.1:5000] [--seconds 10] [--connections 1,16,64]
/// </summary>
internal static class LoadTest
{
    public static async Task<int> RunAsync(string[] args)
    {
        var url = Arg(args, "--url") ?? "http://127.0.0.1:5000";
        var seconds = int.Parse(Arg(args, "--seconds") ?? "10");
        var levels = (Arg(args, "--connections") ?? "1,16,64").Split(',').Select(int.Parse).ToArray();
        var host = new Uri(url).Host;
        if (host is not ("127.0.0.1" or "localhost" or "::1" or "[::1]"))
        {
            Console.Error.WriteLine($"Refusing to load {host}: only loopback targets are allowed.");
            return 2;
        }
        var png = BenchmarkAssets.CanvasPng();
        Console.WriteLine($"| endpoint | connections | requests/s | p50 ms | p99 ms | errors |");
        Console.WriteLine($"|---|---:|---:|---:|---:|---:|");
        foreach (var connections in levels)
            foreach (var path in new[] { "/api/echo", "/api/predict?top=5" })
            {
                var r = await Measure(url + path, png, connections, TimeSpan.FromSeconds(seconds));
                Console.WriteLine($"| {path} | {connections} | {r.Rps:N0} | {r.P50:F2} | {r.P99:F2} | {r.Errors} |");
            }
        return 0;
    }

    private static async Task<(double Rps, double P50, double P99, int Errors)> Measure(string url, byte[] body, int connections, TimeSpan duration)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var client = new HttpClient(handler);
        // Warm-up: JIT, connection setup, engine pool fill.
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Post(client, url, body)));
        var latencies = new List<double>[connections];
        var errors = 0;
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            var mine = latencies[c] = new List<double>(4096);
            while (stop.Elapsed < duration)
            {
                var t = Stopwatch.GetTimestamp();
                if (!await Post(client, url, body)) Interlocked.Increment(ref errors);
                mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }
        }));
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return (all.Length / stop.Elapsed.TotalSeconds, all[all.Length / 2], all[(int)(all.Length * 0.99)], errors);
    }

    private static async Task<bool> Post(HttpClient client, string url, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        try
        {
            using var response = await client.PostAsync(url, content);
            await response.Content.ReadAsByteArrayAsync();
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
