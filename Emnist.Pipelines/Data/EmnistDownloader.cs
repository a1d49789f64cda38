using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Emnist.Pipelines.Data;

/// <summary>Published sha256 and size of one archive member.</summary>
/// <param name="Sha256">Lower-case hex SHA-256.</param>
/// <param name="Size">Size in bytes.</param>
public sealed record ArchiveMemberHash(string Sha256, long Size);

/// <summary>Progress of a download: bytes so far and the total when known.</summary>
/// <param name="Phase">"download" or "extract".</param>
/// <param name="Bytes">Bytes done.</param>
/// <param name="Total">Total bytes, if known.</param>
/// <param name="File">Member being extracted.</param>
public sealed record DownloadProgress(string Phase, long Bytes, long? Total, string? File = null);

/// <summary>
/// Downloads the official EMNIST archive (<c>gzip.zip</c>), resuming a partial download with an HTTP range request,
/// and extracts only the members of the requested split, each checked against its published sha256 and size.
/// Nothing half-written ever carries a final name: the archive is <c>.part</c> until complete and each member is
/// <c>.tmp</c> until verified.
/// </summary>
public sealed class EmnistDownloader(HttpClient http)
{
    /// <summary>The official archive.</summary>
    public static Uri OfficialArchive { get; } = new("https://biometrics.nist.gov/cs_links/EMNIST/gzip.zip");

    /// <summary>The published hashes of the official archive's members, by file name.</summary>
    public static IReadOnlyDictionary<string, ArchiveMemberHash> OfficialHashes { get; } = LoadOfficialHashes();

    /// <summary>Downloads (or resumes) the archive into <paramref name="directory"/> and extracts the split's files there.</summary>
    /// <returns>Paths of the extracted files.</returns>
    /// <exception cref="EmnistFormatException">The archive lacks the split's files, or a member's hash or size is wrong.</exception>
    /// <exception cref="HttpRequestException">The server refused the download.</exception>
    public async Task<IReadOnlyList<string>> DownloadSplitAsync(EmnistSplit split, string directory, Uri? archive = null,
        IReadOnlyDictionary<string, ArchiveMemberHash>? hashes = null, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var zipPath = Path.Combine(directory, "gzip.zip");
        if (!File.Exists(zipPath)) await DownloadArchiveAsync(archive ?? OfficialArchive, zipPath, progress, cancellationToken);
        return await ExtractAsync(zipPath, split, directory, hashes ?? OfficialHashes, progress, cancellationToken);
    }

    private async Task DownloadArchiveAsync(Uri source, string zipPath, IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        var part = zipPath + ".part";
        var have = File.Exists(part) ? new FileInfo(part).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, source);
        if (have > 0) request.Headers.Range = new RangeHeaderValue(have, null);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && have > 0)
        {
            File.Move(part, zipPath, overwrite: true); // the part was already complete
            return;
        }
        response.EnsureSuccessStatusCode();
        var append = have > 0 && response.StatusCode == HttpStatusCode.PartialContent;
        if (!append) have = 0;
        var total = response.Content.Headers.ContentLength + have;
        await using (var input = await response.Content.ReadAsStreamAsync(ct))
        await using (var output = new FileStream(part, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            var buffer = new byte[1 << 16];
            int n;
            var done = have;
            while ((n = await input.ReadAsync(buffer, ct)) > 0)
            {
                await output.WriteAsync(buffer.AsMemory(0, n), ct);
                done += n;
                progress?.Report(new DownloadProgress("download", done, total));
            }
            if (total is { } t && done != t)
                throw new IOException($"{source}: the connection closed after {done:N0} of {t:N0} bytes; run the download again to resume.");
        }
        File.Move(part, zipPath, overwrite: true);
    }

    private static async Task<IReadOnlyList<string>> ExtractAsync(string zipPath, EmnistSplit split, string directory,
        IReadOnlyDictionary<string, ArchiveMemberHash> hashes, IProgress<DownloadProgress>? progress, CancellationToken ct)
    {
        ZipArchive zip;
        try { zip = ZipFile.OpenRead(zipPath); }
        catch (InvalidDataException e)
        {
            File.Delete(zipPath); // a corrupt archive is useless; the next run downloads it again
            throw new EmnistFormatException(zipPath, "the downloaded archive is not a valid zip file and was deleted: " + e.Message, null, e);
        }
        using (zip)
        {
            var prefix = $"emnist-{split.Name()}-";
            var members = zip.Entries.Where(e => e.Name.StartsWith(prefix, StringComparison.Ordinal) && e.Name.Length > prefix.Length).ToList();
            if (!members.Any(e => e.Name.EndsWith(".gz", StringComparison.Ordinal)))
                throw new EmnistFormatException(zipPath, $"the archive holds no files for split '{split.Name()}'");
            var written = new List<string>();
            foreach (var entry in members)
            {
                ct.ThrowIfCancellationRequested();
                var final = Path.Combine(directory, entry.Name);
                var tmp = final + ".tmp";
                try
                {
                    using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    long size = 0;
                    await using (var input = entry.Open())
                    await using (var output = File.Create(tmp))
                    {
                        var buffer = new byte[1 << 16];
                        int n;
                        while ((n = await input.ReadAsync(buffer, ct)) > 0)
                        {
                            sha.AppendData(buffer, 0, n);
                            await output.WriteAsync(buffer.AsMemory(0, n), ct);
                            size += n;
                            progress?.Report(new DownloadProgress("extract", size, entry.Length, entry.Name));
                        }
                    }
                    var hash = Convert.ToHexStringLower(sha.GetHashAndReset());
                    if (hashes.TryGetValue(entry.Name, out var expected))
                    {
                        if (expected.Size != size || !string.Equals(expected.Sha256, hash, StringComparison.OrdinalIgnoreCase))
                            throw new EmnistFormatException(entry.Name,
                                $"does not match the published hash: sha256 {hash} size {size:N0}, expected {expected.Sha256} size {expected.Size:N0}");
                    }
                    else if (entry.Name.EndsWith(".gz", StringComparison.Ordinal))
                    {
                        throw new EmnistFormatException(entry.Name, "has no published hash to verify it against");
                    }
                    File.Move(tmp, final, overwrite: true);
                    written.Add(final);
                }
                finally
                {
                    if (File.Exists(tmp)) File.Delete(tmp);
                }
            }
            return written;
        }
    }

    /// <summary>Parses lines of <c>sha256 size name</c> (<c>#</c> starts a comment).</summary>
    public static IReadOnlyDictionary<string, ArchiveMemberHash> ParseHashes(TextReader reader)
    {
        var table = new Dictionary<string, ArchiveMemberHash>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 3) table[parts[2]] = new ArchiveMemberHash(parts[0], long.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        return table;
    }

    private static IReadOnlyDictionary<string, ArchiveMemberHash> LoadOfficialHashes()
    {
        using var stream = typeof(EmnistDownloader).Assembly.GetManifestResourceStream("Emnist.Pipelines.OfficialSha256.txt")
            ?? throw new InvalidOperationException("The official hash table is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return ParseHashes(reader);
    }
}
