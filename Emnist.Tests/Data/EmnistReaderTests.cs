using System.IO.Compression;
using Emnist.Pipelines.Data;
using Emnist.Tests.Fixtures;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Emnist.Tests.Data;

public sealed class EmnistReaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private EmnistPartFiles WriteFixture(int count = 40, bool gzip = true)
    {
        var (images, labels) = Glyphs.Set(count, seed: 3);
        IdxWriter.WritePart(_dir.Path, EmnistSplit.ByClass, EmnistPart.Test, images, labels, Glyphs.Labels, gzip);
        return EmnistDataDirectory.Open(_dir.Path).Find(EmnistSplit.ByClass, EmnistPart.Test)!;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Round_trip_returns_the_written_images_and_classes(bool gzip)
    {
        var (images, labels) = Glyphs.Set(40, seed: 3);
        var files = WriteFixture(40, gzip);
        var samples = EmnistReader.Read(files).ToList();
        Assert.Equal(40, samples.Count);
        for (var i = 0; i < samples.Count; i++)
        {
            Assert.Equal(labels[i], samples[i].Class);
            Assert.Equal(images[i], samples[i].Pixels);
        }
        var all = EmnistReader.ReadAll(files);
        Assert.Equal(samples[7].Pixels, all.PixelsOf(7).ToArray());
    }

    [Fact]
    public void Official_transposed_L_comes_out_upright()
    {
        // Write the raw file bytes ourselves in the official column-major layout.
        var upright = Glyphs.L();
        var fileOrder = new byte[784];
        for (var r = 0; r < 28; r++) for (var c = 0; c < 28; c++) fileOrder[c * 28 + r] = upright[r * 28 + c];
        var images = _dir.File("emnist-byclass-test-images-idx3-ubyte");
        using (var f = File.Create(images))
        {
            f.Write([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28]);
            f.Write(fileOrder);
        }
        IdxWriter.WriteLabels(_dir.File("emnist-byclass-test-labels-idx1-ubyte"), [2], gzip: false);
        IdxWriter.WriteMapping(_dir.File("emnist-byclass-mapping.txt"), Glyphs.Labels);
        var sample = EmnistReader.Read(EmnistDataDirectory.Open(_dir.Path).Find(EmnistSplit.ByClass, EmnistPart.Test)!).Single();
        // Upright L: the vertical stroke is on the left (column 8, rows 4..23), the foot at the bottom (row 21).
        Assert.Equal(255, sample.Pixels[10 * 28 + 8]);
        Assert.Equal(255, sample.Pixels[22 * 28 + 18]);
        Assert.Equal(0, sample.Pixels[5 * 28 + 18]);
        Assert.Equal("L", EmnistMapping.Load(_dir.File("emnist-byclass-mapping.txt"))[sample.Class]);
    }

    [Fact]
    public void Truncated_image_file_names_file_and_offset()
    {
        var files = WriteFixture(10, gzip: false);
        var bytes = File.ReadAllBytes(files.ImagesPath);
        File.WriteAllBytes(files.ImagesPath, bytes[..(16 + 784 * 3 + 100)]);
        var e = Assert.Throws<EmnistFormatException>(() => EmnistReader.Read(files).ToList());
        Assert.Equal(files.ImagesPath, e.FilePath);
        Assert.Contains("truncated", e.Message);
        Assert.Equal(16 + 784 * 3 + 100, e.Offset);
    }

    [Fact]
    public void Truncated_gzip_is_reported_as_format_error()
    {
        var files = WriteFixture(200);
        var bytes = File.ReadAllBytes(files.ImagesPath);
        File.WriteAllBytes(files.ImagesPath, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<EmnistFormatException>(() => EmnistReader.ReadAll(files));
        Assert.Equal(files.ImagesPath, e.FilePath);
    }

    [Fact]
    public void Non_gzip_garbage_is_a_wrong_magic_number()
    {
        var files = WriteFixture();
        File.WriteAllText(files.ImagesPath, "this is not an IDX file at all, just some text");
        var e = Assert.Throws<EmnistFormatException>(() => EmnistReader.Read(files).ToList());
        Assert.Contains("magic", e.Message);
        Assert.Equal(0, e.Offset);
    }

    [Fact]
    public void Labels_file_given_as_images_is_rejected_by_magic()
    {
        var files = WriteFixture();
        File.Copy(files.LabelsPath, files.ImagesPath, overwrite: true);
        var e = Assert.Throws<EmnistFormatException>(() => EmnistReader.Read(files).ToList());
        Assert.Contains("2049", e.Message);
    }

    [Fact]
    public void Count_mismatch_is_reported()
    {
        var files = WriteFixture(10);
        IdxWriter.WriteLabels(files.LabelsPath, [0, 1, 2]);
        var e = Assert.Throws<EmnistFormatException>(() => EmnistReader.Read(files).ToList());
        Assert.Contains("3 labels", e.Message);
        Assert.Contains("10 images", e.Message);
    }

    [Fact]
    public void Label_outside_mapping_is_reported_with_offset()
    {
        var files = WriteFixture(4);
        IdxWriter.WriteLabels(files.LabelsPath, [0, 1, 9, 2]);
        var e = Assert.Throws<EmnistFormatException>(() => EmnistReader.Read(files).ToList());
        Assert.Contains("label 9", e.Message);
        Assert.Equal(8 + 2, e.Offset);
    }

    [Fact]
    public void Missing_mapping_and_empty_folder_are_reported()
    {
        var files = WriteFixture();
        File.Delete(files.MappingPath);
        var e = Assert.Throws<EmnistFormatException>(() => EmnistDataDirectory.Open(_dir.Path).Find(EmnistSplit.ByClass, EmnistPart.Test));
        Assert.Contains("mapping", e.Message);

        using var empty = new TempDir();
        Assert.Throws<EmnistFormatException>(() => EmnistDataDirectory.Open(empty.Path));
        Assert.Throws<EmnistFormatException>(() => EmnistDataDirectory.Open(empty.File("missing")));
    }

    [Fact]
    public void Letters_mapping_with_two_codes_and_first_label_one_is_read()
    {
        var path = _dir.File("emnist-letters-mapping.txt");
        File.WriteAllText(path, "1 65 97\r\n2 66 98\r\n");
        var mapping = EmnistMapping.Load(path);
        Assert.Equal(1, mapping.FirstLabel);
        Assert.Equal(["Aa", "Bb"], mapping.Labels);
        Assert.Equal(0, mapping.ClassOf(1));
        Assert.Equal(-1, mapping.ClassOf(0));
    }

    [Fact]
    public void DataView_has_key_label_with_characters_pixels_and_text()
    {
        var (_, labels) = Glyphs.Set(40, seed: 3);
        var files = WriteFixture(40);
        var ml = new MLContext();
        var view = ml.Data.LoadEmnist(files);

        var labelColumn = view.Schema[EmnistDataCatalog.Columns.Label];
        var keyType = Assert.IsType<KeyDataViewType>(labelColumn.Type);
        Assert.Equal((ulong)Glyphs.ClassCount, keyType.Count);
        VBuffer<ReadOnlyMemory<char>> keyValues = default;
        labelColumn.GetKeyValues(ref keyValues);
        Assert.Equal(Glyphs.Labels, keyValues.DenseValues().Select(v => v.ToString()));
        var pixels = Assert.IsType<VectorDataViewType>(view.Schema[EmnistDataCatalog.Columns.Pixels].Type);
        Assert.Equal(784, pixels.Size);

        var characters = view.GetColumn<string>(EmnistDataCatalog.Columns.Character).ToArray();
        var keys = view.GetColumn<uint>(EmnistDataCatalog.Columns.Label).ToArray();
        Assert.Equal(labels.Select(l => Glyphs.Labels[l]), characters);
        Assert.Equal(labels.Select(l => (uint)l + 1), keys);
    }

    [SkippableFact]
    public void Full_ByClass_test_set_streams_116323_rows_with_official_histogram()
    {
        var dir = SharedData.Require();
        var ml = new MLContext();
        var view = ml.Data.LoadEmnist(dir, EmnistSplit.ByClass, EmnistPart.Test);
        var counts = new long[62];
        long rows = 0;
        using (var cursor = view.GetRowCursor(view.Schema.Where(c => c.Name == EmnistDataCatalog.Columns.Label)))
        {
            var getter = cursor.GetGetter<uint>(view.Schema[EmnistDataCatalog.Columns.Label]);
            uint key = 0;
            while (cursor.MoveNext()) { getter(ref key); counts[key - 1]++; rows++; }
        }
        Assert.Equal(116_323, rows);
        var reference = EmnistDataDirectory.Open(dir).FindReferenceLabels(EmnistSplit.ByClass, EmnistPart.Test)!;
        Assert.Equal(EmnistReader.CountClasses(reference, EmnistMapping.ByClass), counts);
    }
}
