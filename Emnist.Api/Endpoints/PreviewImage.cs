using Emnist.Pipelines.Data;
using SkiaSharp;

namespace Emnist.Api.Endpoints;

/// <summary>The 28×28 model input as a PNG data URL, so users can see what the model saw.</summary>
internal static class PreviewImage
{
    public static string ToDataUrl(byte[] pixels)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(EmnistImage.Size, EmnistImage.Size, SKColorType.Gray8, SKAlphaType.Opaque));
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), EmnistImage.PixelCount);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return "data:image/png;base64," + Convert.ToBase64String(data.AsSpan());
    }
}
