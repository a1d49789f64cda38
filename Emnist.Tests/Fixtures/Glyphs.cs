using Emnist.Pipelines.Data;

namespace Emnist.Tests.Fixtures;

/// <summary>Synthetic, EMNIST-like 28×28 glyphs (upright, 0 = background) for fixtures that a tiny CNN can learn.</summary>
internal static class Glyphs
{
    public const int ClassCount = 4;
    public static readonly string[] Labels = ["0", "1", "L", "T"];

    /// <summary>An "L": vertical bar on the left, horizontal bar at the bottom. Asymmetric, so orientation errors show.</summary>
    public static byte[] L(int dx = 0, int dy = 0, int thickness = 3)
    {
        var img = new byte[EmnistImage.PixelCount];
        Rect(img, 8 + dx, 4 + dy, thickness, 20);
        Rect(img, 8 + dx, 21 + dy, 13, thickness);
        return img;
    }

    public static byte[] Make(int cls, Random random)
    {
        int dx = random.Next(-2, 3), dy = random.Next(-2, 3), t = random.Next(2, 5);
        var img = cls switch
        {
            0 => Ring(dx, dy, t),
            1 => Bar(dx, dy, t),
            2 => L(dx, dy, t),
            _ => T(dx, dy, t),
        };
        for (var i = 0; i < img.Length; i++)
            if (random.NextDouble() < 0.02) img[i] = (byte)random.Next(0, 120); // speckle noise
        return img;
    }

    public static (List<byte[]> Images, List<byte> Labels) Set(int count, int seed)
    {
        var random = new Random(seed);
        var images = new List<byte[]>(count);
        var labels = new List<byte>(count);
        for (var i = 0; i < count; i++)
        {
            var cls = i % ClassCount;
            images.Add(Make(cls, random));
            labels.Add((byte)cls);
        }
        return (images, labels);
    }

    private static byte[] Bar(int dx, int dy, int t)
    {
        var img = new byte[EmnistImage.PixelCount];
        Rect(img, 13 + dx, 4 + dy, t, 20);
        return img;
    }

    private static byte[] T(int dx, int dy, int t)
    {
        var img = new byte[EmnistImage.PixelCount];
        Rect(img, 6 + dx, 4 + dy, 16, t);
        Rect(img, 13 + dx, 4 + dy, t, 20);
        return img;
    }

    private static byte[] Ring(int dx, int dy, int t)
    {
        var img = new byte[EmnistImage.PixelCount];
        for (var y = 0; y < 28; y++)
            for (var x = 0; x < 28; x++)
            {
                var r = Math.Sqrt(Math.Pow((x - 13.5 - dx) / 7.0, 2) + Math.Pow((y - 13.5 - dy) / 10.0, 2));
                if (Math.Abs(r - 1) * 8 < t / 2.0) img[y * 28 + x] = 255;
            }
        return img;
    }

    private static void Rect(byte[] img, int x0, int y0, int w, int h)
    {
        for (var y = Math.Max(0, y0); y < Math.Min(28, y0 + h); y++)
            for (var x = Math.Max(0, x0); x < Math.Min(28, x0 + w); x++)
                img[y * 28 + x] = 255;
    }
}
