using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Emnist.Api.Services;

/// <summary>A request the API refuses, with the status and the reason given back as ProblemDetails.</summary>
public sealed class BadImageRequestException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
}

/// <summary>
/// Reads the images of a request in any of the accepted forms: a raw image body (<c>image/png</c>, <c>image/jpeg</c>,
/// <c>image/webp</c>), <c>multipart/form-data</c> files, or JSON <c>{"image": "data:image/png;base64,…"}</c>
/// (<c>{"images": [...]}</c> for batches). Enforces the body-size limit while reading.
/// </summary>
public sealed class ImageRequestReader(IOptions<EmnistApiOptions> options)
{
    private static readonly string[] ImageTypes = ["image/png", "image/jpeg", "image/webp", "image/gif", "image/bmp"];

    public async Task<IReadOnlyList<byte[]>> ReadAsync(HttpRequest request, bool batch, CancellationToken ct)
    {
        var limit = options.Value.MaxRequestBytes;
        if (request.ContentLength > limit) throw TooLarge(limit);
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit;

        var type = request.ContentType is { } ct0 ? ct0.Split(';')[0].Trim().ToLowerInvariant() : "";
        if (type.Length == 0)
            throw new BadImageRequestException(415, "Missing content type",
                "Send the image as image/png (raw body), multipart/form-data, or application/json {\"image\": \"data:image/png;base64,...\"}.");

        var body = await ReadBodyAsync(request, limit, ct);
        if (ImageTypes.Contains(type))
        {
            if (body.Length == 0) throw new BadImageRequestException(400, "Empty image", "The request body is empty (0 bytes).");
            return [body];
        }
        if (type == "multipart/form-data") return await ReadMultipartAsync(request, body, batch, ct);
        if (type is "application/json" or "text/json") return ReadJson(body, batch);
        throw new BadImageRequestException(415, "Unsupported content type",
            $"Content type '{type}' is not accepted. Use image/png, image/jpeg, image/webp, multipart/form-data or application/json.");
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        try
        {
            int n;
            while ((n = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + n > limit) throw TooLarge(limit);
                buffer.Write(chunk, 0, n);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(limit);
        }
        return buffer.ToArray();
    }

    private static async Task<IReadOnlyList<byte[]>> ReadMultipartAsync(HttpRequest request, byte[] body, bool batch, CancellationToken ct)
    {
        // The body is already buffered (with the size limit); parse the form from it.
        request.Body = new MemoryStream(body);
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException e)
        {
            throw new BadImageRequestException(400, "Malformed multipart body", e.Message);
        }
        var files = new List<byte[]>();
        foreach (var file in form.Files)
        {
            using var ms = new MemoryStream();
            await file.CopyToAsync(ms, ct);
            files.Add(ms.ToArray());
        }
        if (files.Count == 0) throw new BadImageRequestException(400, "No image", "The multipart form holds no file part.");
        if (!batch && files.Count > 1) throw new BadImageRequestException(400, "Too many images", $"The form holds {files.Count} files; use /api/predict/batch for several.");
        return files;
    }

    private static IReadOnlyList<byte[]> ReadJson(byte[] body, bool batch)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(body); }
        catch (JsonException e) { throw new BadImageRequestException(400, "Malformed JSON", e.Message); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new BadImageRequestException(400, "Malformed JSON", "Expected an object such as {\"image\": \"data:image/png;base64,...\"}.");
            var images = new List<string>();
            if (doc.RootElement.TryGetProperty("image", out var one) && one.ValueKind == JsonValueKind.String) images.Add(one.GetString()!);
            if (doc.RootElement.TryGetProperty("images", out var many) && many.ValueKind == JsonValueKind.Array)
                foreach (var e in many.EnumerateArray())
                    images.Add(e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new BadImageRequestException(400, "Malformed JSON", "Every entry of \"images\" must be a string."));
            if (images.Count == 0)
                throw new BadImageRequestException(400, "No image", batch ? "Expected {\"images\": [\"data:image/png;base64,...\", ...]}." : "Expected {\"image\": \"data:image/png;base64,...\"}.");
            if (!batch && images.Count > 1) throw new BadImageRequestException(400, "Too many images", "Use /api/predict/batch for several images.");
            return [.. images.Select((s, i) => DecodeDataUrl(s, i))];
        }
    }

    private static byte[] DecodeDataUrl(string value, int index)
    {
        var payload = value;
        if (value.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = value.IndexOf(',');
            if (comma < 0 || !value[..comma].EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
                throw new BadImageRequestException(400, "Malformed data URL", $"Image {index}: expected data:image/...;base64,<data>.");
            payload = value[(comma + 1)..];
        }
        try
        {
            var bytes = Convert.FromBase64String(payload);
            return bytes.Length > 0 ? bytes : throw new BadImageRequestException(400, "Empty image", $"Image {index} is empty.");
        }
        catch (FormatException)
        {
            throw new BadImageRequestException(400, "Malformed base64", $"Image {index} is not valid base64.");
        }
    }

    private static BadImageRequestException TooLarge(long limit) =>
        new(413, "Request too large", $"The request body is larger than the {limit:N0}-byte limit.");
}
