using System.IO.Compression;
using System.Security.Cryptography;
using Emnist.Pipelines.Data;
using Emnist.Tests.Fixtures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Emnist.Tests.Data;

/// <summary>The download path against a local Kestrel server (127.0.0.1) serving a small generated archive.</summary>
public sealed class EmnistDownloaderTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private WebApplication? _server;
    private byte[] _archive = [];
    private Dictionary<string, ArchiveMemberHash> _hashes = [];
    private int _requests;
    private bool _dropFirst;
    private string _url = "";

    public async Task InitializeAsync()
    {
        // A miniature gzip.zip with the official layout: gzip/emnist-<split>-... members.
        var src = Path.Combine(_dir.Path, "src");
        var (images, labels) = Glyphs.Set(300, seed: 4);
        IdxWriter.WritePart(src, EmnistSplit.Digits, EmnistPart.Test, images, labels, Glyphs.Labels);
        IdxWriter.WritePart(src, EmnistSplit.Mnist, EmnistPart.Test, images[..10], labels[..10], Glyphs.Labels);
        using (var ms = new MemoryStream())
        {
            using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
                foreach (var f in Directory.GetFiles(src))
                    zip.CreateEntryFromFile(f, "gzip/" + Path.GetFileName(f), CompressionLevel.NoCompression);
            _archive = ms.ToArray();
        }
        _hashes = Directory.GetFiles(src, "*.gz").ToDictionary(f => Path.GetFileName(f), f => new ArchiveMemberHash(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))), new FileInfo(f).Length))!;

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.MapGet("/gzip.zip", async (HttpContext ctx) =>
        {
            var n = Interlocked.Increment(ref _requests);
            if (_dropFirst && n == 1)
            {
                // Send part of the file, then drop the connection, as a flaky network would.
                ctx.Response.ContentLength = _archive.Length;
                await ctx.Response.Body.WriteAsync(_archive.AsMemory(0, _archive.Length / 2));
                await ctx.Response.Body.FlushAsync();
                await Task.Delay(300); // let the client receive what was sent before the connection drops
                ctx.Abort();
                return Results.Empty;
            }
            return Results.File(_archive, "application/zip", enableRangeProcessing: true);
        });
        await _server.StartAsync();
        _url = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/gzip.zip";
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _dir.Dispose();
    }

    private string Target => Path.Combine(_dir.Path, "data");

    [Fact]
    public async Task Downloads_and_extracts_only_the_requested_split_verified()
    {
        using var http = new HttpClient();
        var files = await new EmnistDownloader(http).DownloadSplitAsync(EmnistSplit.Digits, Target, new Uri(_url), _hashes);
        Assert.Equal(3, files.Count); // images, labels, mapping
        Assert.All(files, f => Assert.Contains("emnist-digits-", f));
        Assert.False(File.Exists(Path.Combine(Target, "emnist-mnist-test-images-idx3-ubyte.gz")));
        var part = EmnistDataDirectory.Open(Target).Find(EmnistSplit.Digits, EmnistPart.Test)!;
        Assert.Equal(300, EmnistReader.ReadAll(part).Count);
        Assert.Empty(Directory.GetFiles(Target, "*.tmp"));
    }

    [Fact]
    public async Task An_interrupted_download_resumes_with_a_range_request()
    {
        _dropFirst = true;
        using var http = new HttpClient();
        var downloader = new EmnistDownloader(http);
        await Assert.ThrowsAnyAsync<Exception>(() => downloader.DownloadSplitAsync(EmnistSplit.Digits, Target, new Uri(_url), _hashes));
        Assert.False(File.Exists(Path.Combine(Target, "gzip.zip")));          // never a half file under the final name
        Assert.True(new FileInfo(Path.Combine(Target, "gzip.zip.part")).Length > 0);

        var files = await downloader.DownloadSplitAsync(EmnistSplit.Digits, Target, new Uri(_url), _hashes);
        Assert.Equal(3, files.Count);
        Assert.Equal(_archive, File.ReadAllBytes(Path.Combine(Target, "gzip.zip")));
        Assert.Equal(2, _requests);
    }

    [Fact]
    public async Task A_member_with_the_wrong_hash_is_rejected_and_not_left_behind()
    {
        var wrong = new Dictionary<string, ArchiveMemberHash>(_hashes)
        {
            ["emnist-digits-test-images-idx3-ubyte.gz"] = new(new string('0', 64), _hashes["emnist-digits-test-images-idx3-ubyte.gz"].Size),
        };
        using var http = new HttpClient();
        var e = await Assert.ThrowsAsync<EmnistFormatException>(() => new EmnistDownloader(http).DownloadSplitAsync(EmnistSplit.Digits, Target, new Uri(_url), wrong));
        Assert.Contains("published hash", e.Message);
        Assert.False(File.Exists(Path.Combine(Target, "emnist-digits-test-images-idx3-ubyte.gz")));
        Assert.Empty(Directory.GetFiles(Target, "*.tmp"));
    }

    [Fact]
    public void Official_hash_table_is_embedded()
    {
        var h = EmnistDownloader.OfficialHashes["emnist-byclass-test-images-idx3-ubyte.gz"];
        Assert.Equal("5ec835bd5d5b1a66378a132e727fef20fe994b3cc666899befcca5ac766f50cd", h.Sha256);
        Assert.Equal(28908322, h.Size);
        Assert.Equal(24, EmnistDownloader.OfficialHashes.Count);
    }

    [SkippableFact]
    public void Official_hash_table_verifies_the_shared_test_files()
    {
        var dir = SharedData.Require();
        var path = Path.Combine(dir, "emnist-byclass-test-labels-idx1-ubyte.gz");
        var expected = EmnistDownloader.OfficialHashes[Path.GetFileName(path)];
        Assert.Equal(expected.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
    }
}
