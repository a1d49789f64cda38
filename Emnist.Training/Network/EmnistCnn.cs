using Emnist.Pipelines.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Emnist.Training.Network;

/// <summary>The CNN as a TorchSharp module, built from a <see cref="LayerSpec"/> list.</summary>
internal sealed class EmnistCnn : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor>[] _layerModules;
    private readonly TorchSharp.Modules.ModuleList<nn.Module<Tensor, Tensor>> layers;

    public EmnistCnn(IReadOnlyList<LayerSpec> spec) : base(nameof(EmnistCnn))
    {
        Spec = spec;
        _layerModules = [.. spec.Select(Create)];
        layers = nn.ModuleList(_layerModules);
        RegisterComponents();
    }

    public IReadOnlyList<LayerSpec> Spec { get; }

    public IReadOnlyList<nn.Module<Tensor, Tensor>> Layers => _layerModules;

    private static nn.Module<Tensor, Tensor> Create(LayerSpec spec) => spec switch
    {
        ConvSpec c => nn.Conv2d(c.In, c.Out, 3, padding: 1),
        BatchNormSpec { Spatial: true } b => nn.BatchNorm2d(b.Features),
        BatchNormSpec b => nn.BatchNorm1d(b.Features),
        ReluSpec => nn.ReLU(),
        MaxPoolSpec => nn.MaxPool2d(2),
        FlattenSpec => nn.Flatten(),
        LinearSpec l => nn.Linear(l.In, l.Out),
        DropoutSpec d => nn.Dropout(d.P),
        _ => throw new NotSupportedException(spec.ToString()),
    };

    /// <summary>Raw pixels (N×784, 0..255 as floats) → logits (N×classes).</summary>
    public override Tensor forward(Tensor pixels)
    {
        using var scope = NewDisposeScope();
        // The same affine normalisation the ONNX export writes as its first nodes.
        var x = pixels.reshape(-1, 1, EmnistImage.Size, EmnistImage.Size) * EmnistNormalization.Scale + EmnistNormalization.Offset;
        foreach (var layer in _layerModules) x = layer.forward(x);
        return x.MoveToOuterDisposeScope();
    }
}
