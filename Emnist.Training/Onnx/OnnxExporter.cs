using Emnist.Pipelines.Data;
using Emnist.Training.Network;
using Google.Protobuf;
using Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Emnist.Training.Onnx;

/// <summary>
/// Writes a trained <see cref="EmnistCnn"/> as an ONNX model (TorchSharp has no exporter).
/// Graph: Pixels [N,784] raw 0..255 → Reshape → the network's affine normalisation → layers (BatchNorm folded into
/// the preceding Conv/Gemm, Dropout dropped) → logits + log target priors (folded into the last bias) → Softmax.
/// </summary>
internal static class OnnxExporter
{
    public const string InputName = "Pixels";
    public const string OutputName = "Probabilities";
    private const int Opset = 13;

    public static byte[] Export(TrainedNetwork trained) => Export([trained]);

    /// <summary>Exports one network, or an ensemble whose output is the mean of the members' probabilities.</summary>
    /// <param name="members">One network, or the members of an ensemble.</param>
    /// <param name="halfPrecisionWeights">Store weight matrices as float16 (half the size; a Cast back to float32 is
    /// folded by ONNX Runtime at load, so inference still runs in float32).</param>
    public static byte[] Export(IReadOnlyList<TrainedNetwork> members, bool halfPrecisionWeights = false)
    {
        if (members.Count == 0) throw new ArgumentException("Nothing to export.", nameof(members));
        var labels = members[0].Labels;
        if (members.Any(m => !m.Labels.SequenceEqual(labels))) throw new ArgumentException("Ensemble members must share their labels.", nameof(members));
        var name = members.Count == 1 ? members[0].Architecture : $"{members.Count}x{members[0].Architecture}";
        var graph = new GraphProto { Name = "emnist-" + name };
        var b = new GraphBuilder(graph, halfPrecisionWeights);

        graph.Input.Add(TensorValue(InputName, "N", EmnistImage.PixelCount));
        var x = b.Node("Reshape", [InputName, b.Constant("shape", [4], longs: [-1, 1, EmnistImage.Size, EmnistImage.Size])]);
        x = b.Node("Mul", [x, b.Constant("scale", [], [EmnistNormalization.Scale])]);
        x = b.Node("Add", [x, b.Constant("offset", [], [EmnistNormalization.Offset])]);

        var axis1 = new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 };
        if (members.Count == 1)
        {
            b.Node("Softmax", [AppendMember(b, members[0], x)], [OutputName], axis1);
        }
        else
        {
            var probabilities = members.Select(m => b.Node("Softmax", [AppendMember(b, m, x)], axis1)).ToArray();
            var sum = b.Node("Sum", probabilities);
            b.Node("Mul", [sum, b.Constant("mean", [], [1f / members.Count])], [OutputName]);
        }
        graph.Output.Add(TensorValue(OutputName, "N", labels.Count));

        var model = new ModelProto
        {
            IrVersion = 7,
            ProducerName = "Emnist.Training",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = graph,
            DocString = $"EMNIST CNN ({name}), {labels.Count} classes",
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        model.MetadataProps.Add(new StringStringEntryProto { Key = "labels", Value = string.Join('\u001F', labels) });
        return model.ToByteArray();
    }

    /// <summary>Appends one network's layers after <paramref name="x"/>; returns its adjusted logits.</summary>
    private static string AppendMember(GraphBuilder b, TrainedNetwork trained, string x)
    {
        var network = trained.Network;
        network.eval();
        var spec = network.Spec;
        var layers = network.Layers;
        var lastLinear = spec.Select((s, i) => (s, i)).Last(t => t.s is LinearSpec).i;
        for (var i = 0; i < spec.Count; i++)
        {
            switch (spec[i])
            {
                case ConvSpec c:
                {
                    var conv = (Conv2d)layers[i];
                    var (w, bias) = Fold(conv.weight!, conv.bias, NextBatchNorm(spec, layers, i), c.Out);
                    x = b.Node("Conv", [x, b.Weight("W", [c.Out, c.In, 3, 3], w), b.Constant("B", [c.Out], bias)],
                        Ints("kernel_shape", 3, 3), Ints("pads", 1, 1, 1, 1), Ints("strides", 1, 1));
                    break;
                }
                case LinearSpec l:
                {
                    var linear = (Linear)layers[i];
                    var (w, bias) = Fold(linear.weight!, linear.bias, NextBatchNorm(spec, layers, i), l.Out);
                    if (i == lastLinear)
                        for (var k = 0; k < bias.Length; k++) bias[k] += trained.LogitAdjustment[k];
                    x = b.Node("Gemm", [x, b.Weight("W", [l.Out, l.In], w), b.Constant("B", [l.Out], bias)],
                        new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
                    break;
                }
                case ReluSpec: x = b.Node("Relu", [x]); break;
                case MaxPoolSpec: x = b.Node("MaxPool", [x], Ints("kernel_shape", 2, 2), Ints("strides", 2, 2)); break;
                case FlattenSpec: x = b.Node("Flatten", [x], new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 1 }); break;
                case BatchNormSpec or DropoutSpec: break; // folded / identity at inference
                default: throw new NotSupportedException(spec[i].ToString());
            }
        }
        return x;
    }

    private static BatchNorm? NextBatchNorm(IReadOnlyList<LayerSpec> spec, IReadOnlyList<nn.Module<Tensor, Tensor>> layers, int i) =>
        i + 1 < spec.Count && spec[i + 1] is BatchNormSpec ? (BatchNorm)layers[i + 1] : null;

    /// <summary>Folds eval-mode BatchNorm into the weights: W' = W·s, b' = (b − μ)·s + β with s = γ/√(σ²+ε).</summary>
    private static (float[] W, float[] B) Fold(Tensor weight, Tensor? bias, BatchNorm? bn, int outputs)
    {
        var w = weight.detach().cpu().data<float>().ToArray();
        var bvec = bias is null ? new float[outputs] : bias.detach().cpu().data<float>().ToArray();
        if (bn is null) return (w, bvec);
        var gamma = bn.weight!.detach().data<float>().ToArray();
        var beta = bn.bias!.detach().data<float>().ToArray();
        var mean = bn.running_mean!.detach().data<float>().ToArray();
        var variance = bn.running_var!.detach().data<float>().ToArray();
        const double eps = 1e-5;
        var per = w.Length / outputs;
        for (var o = 0; o < outputs; o++)
        {
            var s = gamma[o] / Math.Sqrt(variance[o] + eps);
            for (var k = 0; k < per; k++) w[o * per + k] = (float)(w[o * per + k] * s);
            bvec[o] = (float)((bvec[o] - mean[o]) * s + beta[o]);
        }
        return (w, bvec);
    }

    private static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.Add(values);
        return a;
    }

    private static ValueInfoProto TensorValue(string name, string batchDim, int width)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = batchDim });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = width });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private sealed class GraphBuilder(GraphProto graph, bool halfPrecisionWeights)
    {
        /// <summary>A weight matrix: float32, or float16 followed by a Cast to float32.</summary>
        public string Weight(string hint, long[] dims, float[] values)
        {
            if (!halfPrecisionWeights) return Constant(hint, dims, values);
            var name = $"{hint}_{_next++}_f16";
            var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float16 };
            t.Dims.Add(dims);
            var raw = new byte[values.Length * 2];
            for (var i = 0; i < values.Length; i++)
                BitConverter.TryWriteBytes(raw.AsSpan(i * 2), BitConverter.HalfToUInt16Bits((Half)values[i]));
            t.RawData = ByteString.CopyFrom(raw);
            // A Constant node rather than an initializer: ML.NET's ONNX type scan rejects float16 initializers.
            var constant = Node("Constant", [], [name], new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = t });
            return Node("Cast", [constant], new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (int)TensorProto.Types.DataType.Float });
        }

        private int _next;

        public string Node(string op, string[] inputs, params AttributeProto[] attributes) =>
            Node(op, inputs, [$"{op.ToLowerInvariant()}_{_next}"], attributes);

        public string Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
        {
            var node = new NodeProto { OpType = op, Name = $"{op}_{_next++}" };
            node.Input.Add(inputs);
            node.Output.Add(outputs);
            node.Attribute.Add(attributes);
            graph.Node.Add(node);
            return outputs[0];
        }

        public string Constant(string hint, long[] dims, float[]? floats = null, long[]? longs = null)
        {
            var name = $"{hint}_{_next++}";
            var t = new TensorProto { Name = name };
            t.Dims.Add(dims);
            if (longs is not null)
            {
                t.DataType = (int)TensorProto.Types.DataType.Int64;
                t.Int64Data.Add(longs);
            }
            else
            {
                t.DataType = (int)TensorProto.Types.DataType.Float;
                var raw = new byte[floats!.Length * 4];
                Buffer.BlockCopy(floats, 0, raw, 0, raw.Length);
                t.RawData = ByteString.CopyFrom(raw); // little-endian, as ONNX requires
            }
            graph.Initializer.Add(t);
            return name;
        }
    }
}
