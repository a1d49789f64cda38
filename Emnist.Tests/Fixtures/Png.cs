using System.Buffers.Binary;
using System.IO.Compression;
using Emnist.Pipelines.Data;
using SkiaSharp;

namespace Emnist.Tests.Fixtures;

/// <summary>Makes canvas PNGs for tests.</summary>
internal static class Png
{
    /// <summary>Renders an upright 28×28 glyph onto a canvas: scaled by <paramref name="scale"/>, offset, with colours.</summary>
    public static byte[] Canvas(byte[] glyph, int size = 280, float scale = 10, float offsetX = 0, float offsetY = 0,
        SKColor? ink = null, SKColor? background = null)
    {
        var inkColor = ink ?? SKColors.Black;
        var bg = background ?? SKColors.White;
        using var glyphBitmap = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < 28; y++)
            for (var x = 0; x < 28; x++)
            {
                var a = glyph[y * 28 + x];
                glyphBitmap.SetPixel(x, y, inkColor.WithAlpha((byte)(inkColor.Alpha * a / 255)));
            }
        using var surface = SKSurface.Create(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        surface.Canvas.Clear(bg);
        surface.Canvas.Translate(offsetX, offsetY);
        surface.Canvas.Scale(scale);
        using var paint = new SKPaint { FilterQuality = SKFilterQuality.High };
        surface.Canvas.DrawBitmap(glyphBitmap, 0, 0, paint);
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A 28×28 image as a 280×280 canvas with every pixel replicated 10× (dark ink on white): the exact pixels, no resampling blur.</summary>
    public static byte[] PixelCanvas(byte[] glyph)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(280, 280, SKColorType.Gray8, SKAlphaType.Opaque));
        var pixels = new byte[280 * 280];
        for (var y = 0; y < 280; y++)
            for (var x = 0; x < 280; x++)
                pixels[y * 280 + x] = (byte)(255 - glyph[(y / 10) * 28 + x / 10]);
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A valid-looking PNG header claiming width×height, with a tiny IDAT: a decompression bomb's shape.</summary>
    public static byte[] HeaderOnly(int width, int height)
    {
        using var ms = new MemoryStream();
        ms.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; ihdr[9] = 0; // 8-bit grayscale
        Chunk(ms, "IHDR", ihdr);
        using (var z = new MemoryStream())
        {
            using (var zl = new ZLibStream(z, CompressionLevel.Fastest, leaveOpen: true)) zl.Write(new byte[width + 1]);
            Chunk(ms, "IDAT", z.ToArray());
        }
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(len, Crc32([.. typeBytes, .. data]));
        s.Write(len);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }

    public static double MeanAbsDiff(byte[] a, byte[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Average();

    public static double Correlation(byte[] a, byte[] b)
    {
        double ma = a.Average(x => (double)x), mb = b.Average(x => (double)x);
        double num = 0, da = 0, db = 0;
        for (var i = 0; i < a.Length; i++) { num += (a[i] - ma) * (b[i] - mb); da += (a[i] - ma) * (a[i] - ma); db += (b[i] - mb) * (b[i] - mb); }
        return num / Math.Sqrt(da * db);
    }

    public static byte[] Upright(EmnistArrays arrays, int i) => arrays.PixelsOf(i).ToArray();
}
