using Emnist.Training.Onnx;

namespace Emnist.Training;

/// <summary>Turns a trained network into an ONNX model.</summary>
public static class EmnistModelExport
{
    /// <summary>ONNX bytes: input <c>Pixels</c> [N,784] raw 0..255, output <c>Probabilities</c> [N,classes].</summary>
    public static byte[] ToOnnx(TrainedNetwork trained)
    {
        ArgumentNullException.ThrowIfNull(trained);
        return OnnxExporter.Export(trained);
    }

    /// <summary>ONNX bytes of an ensemble: the output is the mean of the members' probabilities.</summary>
    /// <param name="members">The networks.</param>
    /// <param name="halfPrecisionWeights">Store weights as float16 (half the file size; inference stays float32).</param>
    public static byte[] ToOnnx(IReadOnlyList<TrainedNetwork> members, bool halfPrecisionWeights = false)
    {
        ArgumentNullException.ThrowIfNull(members);
        return OnnxExporter.Export(members, halfPrecisionWeights);
    }
}
