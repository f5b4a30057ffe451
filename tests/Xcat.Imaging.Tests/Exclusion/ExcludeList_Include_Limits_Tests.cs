using System.IO.Abstractions;
using System.IO.Abstractions.TestingHelpers;
using Xcat.Imaging.Exclusion;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Exclusion;

/// <summary>
/// <c>#INCLUDE:</c> reads only regular files, each of bounded size, and the expansion of nested includes is bounded
/// (issue 9, item 8). Each case that could hang runs with a time limit, so a regression fails instead of hanging.
/// </summary>
public sealed class ExcludeList_Include_Limits_Tests : IDisposable
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [Trait("Category", "Interop")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Load_IncludeOfFifo_RefusedByNameWithoutOpening(bool async)
    {
        var fifo = _temp.Combine("pipe.exlist");
        HostCommand.Run("mkfifo", fifo);
        var main = Write("main.exlist", "./a\n#INCLUDE:pipe.exlist#\n");

        var thrown = await LoadFailsAsync<InvalidDataException>(main, async);

        thrown.Message.Should().Contain("pipe.exlist").And.Contain("a FIFO").And.Contain(main);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Load_IncludeOfDevZero_RefusedByName(bool async)
    {
        var main = Write("main.exlist", "./a\n#INCLUDE:/dev/zero#\n");

        var thrown = await LoadFailsAsync<InvalidDataException>(main, async);

        thrown.Message.Should().Contain("/dev/zero").And.Contain("a character device").And.Contain(main);
    }

    [Fact]
    public async Task Load_TopLevelExlistIsADevice_RefusedByName()
    {
        var thrown = await LoadFailsAsync<InvalidDataException>("/dev/zero", async: true);
        thrown.Message.Should().Be("The exlist '/dev/zero' is a character device, not a regular file; refused.");
    }

    [Fact]
    public async Task Load_IncludeIsASymlinkToARegularFile_Works()
    {
        Write("real.exlist", "./real\n");
        File.CreateSymbolicLink(_temp.Combine("link.exlist"), "real.exlist");
        var main = Write("main.exlist", "#INCLUDE:link.exlist#\n");

        var list = await Task.Run(() => ExcludeList.Load(new FileSystem(), [main])).WaitAsync(s_limit);

        list.IsExcluded("./real").Should().BeTrue();
    }

    [Fact]
    [Trait("Category", "Interop")]
    public async Task Load_IncludeIsASymlinkToAFifo_Refused()
    {
        HostCommand.Run("mkfifo", _temp.Combine("pipe"));
        File.CreateSymbolicLink(_temp.Combine("link.exlist"), "pipe");
        var main = Write("main.exlist", "#INCLUDE:link.exlist#\n");

        var thrown = await LoadFailsAsync<InvalidDataException>(main, async: false);

        thrown.Message.Should().Contain("link.exlist").And.Contain("a FIFO");
    }

    [Fact]
    public async Task Load_IncludeIsADirectory_Refused()
    {
        Directory.CreateDirectory(_temp.Combine("dir.exlist"));
        var main = Write("main.exlist", "#INCLUDE:dir.exlist#\n");

        var thrown = await LoadFailsAsync<InvalidDataException>(main, async: false);

        thrown.Message.Should().Contain("dir.exlist").And.Contain("a directory");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Load_IncludeLargerThanTheLimit_Refused(bool async)
    {
        Write("big.exlist", new string('x', ExcludeList.MaxFileLength + 1));
        var main = Write("main.exlist", "#INCLUDE:big.exlist#\n");

        var thrown = await LoadFailsAsync<InvalidDataException>(main, async);

        thrown.Message.Should().Contain("big.exlist").And.Contain($"longer than {ExcludeList.MaxFileLength} characters").And.Contain(main);
    }

    [Fact]
    public void Load_IncludeAtTheLimit_Works()
    {
        var fs = new MockFileSystem(new Dictionary<string, MockFileData>
        {
            ["/x/main.exlist"] = new("#INCLUDE:big.exlist#"),
            ["/x/big.exlist"] = new("./b" + new string('x', ExcludeList.MaxFileLength - 3)),
        });

        ExcludeList.Load(fs, ["/x/main.exlist"]).Rules[0].Pattern.Should().HaveLength(ExcludeList.MaxFileLength);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Load_DiamondOfIncludes_RefusedNamingTheChain(bool async)
    {
        // d0 includes d1 twice, d1 includes d2 twice, ...: 2^30 copies of the leaf's lines without a cycle.
        var files = new Dictionary<string, MockFileData>(StringComparer.Ordinal);
        for (var level = 0; level < 30; level++)
        {
            files[$"/x/d{level}.exlist"] = new($"./level{level}\n#INCLUDE:d{level + 1}.exlist#\n#INCLUDE:d{level + 1}.exlist#\n");
        }

        files["/x/d30.exlist"] = new(string.Join('\n', Enumerable.Range(0, 100).Select(static i => $"./leaf{i}")));
        var fs = new MockFileSystem(files);

        var act = () => async ? ExcludeList.LoadAsync(fs, ["/x/d0.exlist"]) : Task.FromResult(ExcludeList.Load(fs, ["/x/d0.exlist"]));

        var thrown = (await act.Should().ThrowAsync<InvalidDataException>().WaitAsync(s_limit)).Which;
        thrown.Message.Should().Contain($"longer than {ExcludeList.MaxExpandedLines} lines").And.Contain("/x/d0.exlist -> /x/d1.exlist -> ");
    }

    [Fact]
    public void Parse_DiamondThroughTheResolver_Refused()
    {
        var act = () => ExcludeList.Parse("#INCLUDE:d0#", name =>
            name == "d20" ? "./leaf" : $"#INCLUDE:d{int.Parse(name[1..], System.Globalization.CultureInfo.InvariantCulture) + 1}# #INCLUDE:d{int.Parse(name[1..], System.Globalization.CultureInfo.InvariantCulture) + 1}#");

        act.Should().Throw<InvalidDataException>().WithMessage("*characters with its includes expanded*d0 -> d1*");
    }

    [Fact]
    public void Load_ChainDeeperThanTheLimit_Refused()
    {
        var files = new Dictionary<string, MockFileData>(StringComparer.Ordinal);
        for (var level = 0; level <= ExcludeList.MaxIncludeDepth + 5; level++)
        {
            files[$"/x/c{level}.exlist"] = new($"./c{level}\n#INCLUDE:c{level + 1}.exlist#\n");
        }

        files[$"/x/c{ExcludeList.MaxIncludeDepth + 6}.exlist"] = new("./end");
        var act = () => ExcludeList.Load(new MockFileSystem(files), ["/x/c0.exlist"]);

        act.Should().Throw<InvalidDataException>().WithMessage($"*nest more than {ExcludeList.MaxIncludeDepth} deep: /x/c0.exlist -> /x/c1.exlist -> *");
    }

    [Fact]
    public void Load_ChainAtTheLimit_Works()
    {
        var files = new Dictionary<string, MockFileData>(StringComparer.Ordinal);
        for (var level = 0; level < ExcludeList.MaxIncludeDepth; level++)
        {
            files[$"/x/c{level}.exlist"] = new($"./c{level}\n#INCLUDE:c{level + 1}.exlist#\n");
        }

        files[$"/x/c{ExcludeList.MaxIncludeDepth}.exlist"] = new("./end");

        ExcludeList.Load(new MockFileSystem(files), ["/x/c0.exlist"]).IsExcluded("./end").Should().BeTrue();
    }

    [Fact]
    public void Parse_EndlessChainOfNewNames_RefusedByDepth()
    {
        var act = () => ExcludeList.Parse("#INCLUDE:n0#", name => $"./{name}\n#INCLUDE:{name}x#");
        act.Should().Throw<InvalidDataException>().WithMessage($"*nest more than {ExcludeList.MaxIncludeDepth} deep: n0 -> n0x -> *");
    }

    [Fact]
    public void Load_ManyTagsOnOneLine_BoundedByLength()
    {
        var line = string.Concat(Enumerable.Repeat("#INCLUDE:b.exlist#", 200));
        var fs = new MockFileSystem(new Dictionary<string, MockFileData>
        {
            ["/x/a.exlist"] = new(string.Join('\n', Enumerable.Repeat(line, 200))),
            ["/x/b.exlist"] = new(new string('y', 1000)),
        });

        var act = () => ExcludeList.Load(fs, ["/x/a.exlist"]);

        act.Should().Throw<InvalidDataException>().WithMessage("*characters with its includes expanded*/x/a.exlist*");
    }

    [Fact]
    public void Load_MissingInclude_SaysSoInOwnWords()
    {
        var main = Write("main.exlist", "#INCLUDE:gone.exlist#\n");
        var act = () => ExcludeList.Load(new FileSystem(), [main]);
        act.Should().Throw<FileNotFoundException>()
            .WithMessage($"Cannot read 'gone.exlist' ({_temp.Combine("gone.exlist")}), included by the exlist '{main}': it does not exist.");
    }

    private string Write(string name, string text)
    {
        var path = _temp.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<T> LoadFailsAsync<T>(string path, bool async)
        where T : Exception
    {
        var fs = new FileSystem();
        var load = async ? ExcludeList.LoadAsync(fs, [path]) : Task.Run(() => ExcludeList.Load(fs, [path]));
        var act = () => load.WaitAsync(s_limit);
        return (await act.Should().ThrowAsync<T>()).Which;
    }
}
