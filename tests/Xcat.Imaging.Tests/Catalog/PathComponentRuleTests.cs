using Xcat.Imaging.Catalog;
using Xcat.Imaging.Definitions;
using Xcat.Imaging.Schema;
using Xcat.Imaging.TestKit;

namespace Xcat.Imaging.Tests.Catalog;

/// <summary>Names that become directories are one path component, whoever writes them (ImageNaming's one rule).</summary>
public sealed class PathComponentRuleTests
{
    private readonly InMemoryImageCatalog _catalog = new();

    [Theory]
    [InlineData("compute", null)]
    [InlineData("rhels9.4", null)]
    [InlineData("...", null)]
    [InlineData("", "is empty")]
    [InlineData(".", "is '.'")]
    [InlineData("..", "is '..'")]
    [InlineData("a/b", "contains '/'")]
    [InlineData("/", "contains '/'")]
    [InlineData("a\0b", "contains the control character U+0000")]
    [InlineData("a\u001bb", "contains the control character U+001B")]
    public void PathComponentProblem_names_what_is_wrong(string value, string? problem) =>
        ImageNaming.PathComponentProblem(value).Should().Be(problem);

    [Theory]
    [InlineData("osimage", "profile", "../../x")]
    [InlineData("osimage", "osvers", "rhels9/..")]
    [InlineData("osimage", "osarch", "..")]
    [InlineData("osimage", "provmethod", "netboot/../..")]
    [InlineData("osimage", "imagename", ".")]
    [InlineData("linuximage", "imagename", "a/b")]
    [InlineData("kit", "kitname", "/")]
    [InlineData("nodelist", "node", "../x")]
    [InlineData("nodetype", "node", "a/b")]
    [InlineData("postscripts", "node", "..")]
    public async Task Every_catalog_write_refuses_a_name_that_is_not_one_path_component(string table, string column, string value)
    {
        var schema = XcatSchema.GetTable(table);
        var key = schema.Keys[0];
        var values = new Dictionary<string, string?> { [column] = value };
        var changes = column == key
            ? new CatalogChanges().Insert(table, new Dictionary<string, string?>(values))
            : new CatalogChanges().Upsert(table, new Dictionary<string, string> { [key] = "ok" }, values);
        var before = await CatalogSnapshot.TakeAsync(_catalog);

        var act = async () => await _catalog.ApplyAsync(changes);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should()
            .StartWith($"The {table} attribute '{column}' is '{value}', which ").And.EndWith("; it must be a single path component.");
        (await CatalogSnapshot.TakeAsync(_catalog)).Should().Be(before);
    }

    [Fact]
    public async Task Clearing_a_column_and_deleting_a_bad_row_are_allowed()
    {
        await _catalog.ApplyAsync(new CatalogChanges().Upsert("osimage", new Dictionary<string, string> { ["imagename"] = "img" },
            new Dictionary<string, string?> { ["profile"] = null, ["osvers"] = "" }));

        await _catalog.ApplyAsync(new CatalogChanges().Delete("osimage", new Dictionary<string, string> { ["imagename"] = "../bad" }));

        (await _catalog.ReadTableAsync("osimage")).Should().ContainSingle().Which["imagename"].Should().Be("img");
    }

    [Fact]
    public void Validate_names_each_attribute_and_the_image_name()
    {
        var definition = ImageDefinition.FromColumns(
            new Dictionary<string, string> { ["imagename"] = "..", ["imagetype"] = "linux", ["provmethod"] = "netboot", ["profile"] = "../x", ["osvers"] = "a/b", ["osarch"] = "x86_64" },
            new Dictionary<string, string> { ["imagename"] = ".." });

        definition.Validate().Select(static p => p.ToString()).Should().BeEquivalentTo(
            "imagename: The name '..' is '..'; it must be a single path component.",
            "profile: '../x' contains '/'; it must be a single path component.",
            "osvers: 'a/b' contains '/'; it must be a single path component.");
    }
}
