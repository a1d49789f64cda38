using Emnist.Pipelines;

// Usage: ConsoleSample <model.zip> <image.png> [more images...]
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: ConsoleSample <model.zip> <image.png> [...]");
    return 2;
}

using var recognizer = CharacterRecognizer.Load(args[0]);
Console.WriteLine($"model {recognizer.Info.Name}: {recognizer.Info.Labels.Count} classes");
foreach (var path in args.Skip(1))
{
    var result = recognizer.Predict(File.ReadAllBytes(path), top: 3);
    Console.WriteLine(result.HasInk
        ? $"{Path.GetFileName(path)}: {result.Prediction} ({result.Confidence:P1}); then {string.Join(", ", result.Top.Skip(1).Select(t => $"{t.Label} {t.Probability:P1}"))}"
        : $"{Path.GetFileName(path)}: no ink");
}
return 0;
