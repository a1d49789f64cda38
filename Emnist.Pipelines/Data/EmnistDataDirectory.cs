namespace Emnist.Pipelines.Data;

/// <summary>The image, label and mapping files of one split part.</summary>
public sealed record EmnistPartFiles(EmnistSplit Split, EmnistPart Part, string ImagesPath, string LabelsPath, string MappingPath);

/// <summary>
/// Finds EMNIST files in a folder (and its direct sub-folders, e.g. <c>other-splits/</c>), gzip or plain.
/// </summary>
public sealed class EmnistDataDirectory
{
    /// <summary>Environment variable that points at the data folder.</summary>
    public const string EnvironmentVariable = "EMNIST_DATA";

    /// <summary>Folder used when neither an option nor <see cref="EnvironmentVariable"/> is given.</summary>
    public const string DefaultPath = "datasets/emnist";

    private EmnistDataDirectory(string root) => Root = root;

    /// <summary>The folder searched.</summary>
    public string Root { get; }

    /// <summary>Resolves the data folder: explicit option, then <c>EMNIST_DATA</c>, then <c>datasets/emnist</c>.</summary>
    public static string ResolvePath(string? option) =>
        !string.IsNullOrWhiteSpace(option) ? option
        : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env ? env
        : DefaultPath;

    /// <summary>Opens a data folder.</summary>
    /// <exception cref="EmnistFormatException">The folder does not exist or holds no EMNIST image file.</exception>
    public static EmnistDataDirectory Open(string path)
    {
        if (!Directory.Exists(path))
            throw new EmnistFormatException(path, $"data folder not found (set --data or {EnvironmentVariable}, or run 'emnist download')");
        var dir = new EmnistDataDirectory(Path.GetFullPath(path));
        if (dir.FindAll().Count == 0)
            throw new EmnistFormatException(path, "no EMNIST image files (emnist-<split>-<part>-images-idx3-ubyte[.gz]) in this folder");
        return dir;
    }

    /// <summary>Every split part whose image file is present, in split and part order.</summary>
    public IReadOnlyList<EmnistPartFiles> FindAll() =>
        [.. from split in Enum.GetValues<EmnistSplit>()
            from part in Enum.GetValues<EmnistPart>()
            let files = Find(split, part)
            where files is not null
            select files];

    /// <summary>The files of one part, or null when its image file is absent.</summary>
    /// <exception cref="EmnistFormatException">The images are present but the labels or the mapping are not.</exception>
    public EmnistPartFiles? Find(EmnistSplit split, EmnistPart part)
    {
        var images = FindFile(EmnistFileNames.Images(split, part), gz: true);
        if (images is null) return null;
        var labelName = EmnistFileNames.Labels(split, part);
        // Labels beside the images first: reference/ holds full official label files for other image sets.
        var labels = FindIn(Path.GetDirectoryName(images)!, labelName, gz: true)
            ?? throw new EmnistFormatException(images, $"label file {labelName}[.gz] is missing beside the images");
        var mappingName = EmnistFileNames.Mapping(split);
        var mapping = FindIn(Path.GetDirectoryName(images)!, mappingName, gz: false) ?? FindFile(mappingName, gz: false)
            ?? throw new EmnistFormatException(images, $"mapping file {mappingName} is missing");
        return new EmnistPartFiles(split, part, images, labels, mapping);
    }

    /// <summary>
    /// The fullest label file of a part (e.g. <c>reference/</c>'s official train labels when the image set is partial),
    /// used for class priors. Null when there is none.
    /// </summary>
    public string? FindReferenceLabels(EmnistSplit split, EmnistPart part)
    {
        var name = EmnistFileNames.Labels(split, part);
        return FindIn(Path.Combine(Root, "reference"), name, gz: true) ?? FindFile(name, gz: true);
    }

    private string? FindFile(string baseName, bool gz)
    {
        var found = FindIn(Root, baseName, gz);
        if (found is not null) return found;
        foreach (var sub in Directory.EnumerateDirectories(Root).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(sub) == "reference") continue;
            found = FindIn(sub, baseName, gz);
            if (found is not null) return found;
        }
        return null;
    }

    private static string? FindIn(string dir, string baseName, bool gz)
    {
        if (!Directory.Exists(dir)) return null;
        if (gz && File.Exists(Path.Combine(dir, baseName + ".gz"))) return Path.Combine(dir, baseName + ".gz");
        return File.Exists(Path.Combine(dir, baseName)) ? Path.Combine(dir, baseName) : null;
    }
}
