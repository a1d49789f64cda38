namespace Emnist.Pipelines.Data;

/// <summary>The six official EMNIST splits.</summary>
public enum EmnistSplit
{
    /// <summary>62 unbalanced classes: digits, upper- and lower-case letters.</summary>
    ByClass,
    /// <summary>47 classes: case-twins that look alike are merged.</summary>
    ByMerge,
    /// <summary>47 balanced classes.</summary>
    Balanced,
    /// <summary>26 letter classes, case merged.</summary>
    Letters,
    /// <summary>10 digit classes.</summary>
    Digits,
    /// <summary>10 digit classes, MNIST-compatible.</summary>
    Mnist,
}

/// <summary>Which part of a split a file holds.</summary>
public enum EmnistPart
{
    /// <summary>The official training part.</summary>
    Train,
    /// <summary>The official test part.</summary>
    Test,
    /// <summary>
    /// ByClass training samples whose upper/lower case is unknown: each label is the upper-case class and means
    /// "this upper-case letter or its lower-case twin".
    /// </summary>
    TrainCaseAmbiguous,
}

/// <summary>File-name conventions of the official distribution.</summary>
public static class EmnistFileNames
{
    /// <summary>The split's name as it appears in official file names, e.g. <c>byclass</c>.</summary>
    public static string Name(this EmnistSplit split) => split.ToString().ToLowerInvariant();

    /// <summary>Parses a split name such as <c>byclass</c> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">The name is not one of the six splits.</exception>
    public static EmnistSplit ParseSplit(string name) =>
        Enum.TryParse<EmnistSplit>(name, ignoreCase: true, out var split) && Enum.IsDefined(split)
            ? split
            : throw new ArgumentException(
                $"Unknown EMNIST split '{name}'. Expected one of: {string.Join(", ", Enum.GetValues<EmnistSplit>().Select(Name))}.",
                nameof(name));

    /// <summary>The part's infix in official file names.</summary>
    public static string Name(this EmnistPart part) => part switch
    {
        EmnistPart.Train => "train",
        EmnistPart.Test => "test",
        EmnistPart.TrainCaseAmbiguous => "train-caseambiguous",
        _ => throw new ArgumentOutOfRangeException(nameof(part)),
    };

    /// <summary>Base name (without <c>.gz</c>) of the image file, e.g. <c>emnist-byclass-test-images-idx3-ubyte</c>.</summary>
    public static string Images(EmnistSplit split, EmnistPart part) => $"emnist-{split.Name()}-{part.Name()}-images-idx3-ubyte";

    /// <summary>Base name (without <c>.gz</c>) of the label file.</summary>
    public static string Labels(EmnistSplit split, EmnistPart part) => $"emnist-{split.Name()}-{part.Name()}-labels-idx1-ubyte";

    /// <summary>Name of the split's mapping file, e.g. <c>emnist-byclass-mapping.txt</c>.</summary>
    public static string Mapping(EmnistSplit split) => $"emnist-{split.Name()}-mapping.txt";
}
