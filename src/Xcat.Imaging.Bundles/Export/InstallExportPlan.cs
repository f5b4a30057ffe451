using Xcat.Imaging.Definitions;

namespace Xcat.Imaging.Bundles.Export;

/// <summary>An install image (xCAT's imgport.pm, get_files): its template, found as xCAT would when unset; the media must be copied on import.</summary>
internal static class InstallExportPlan
{
    /// <exception cref="FileNotFoundException">The image has no template and none is found.</exception>
    public static ExportSources Plan(ExportContext context, ImageDefinition image)
    {
        if (string.IsNullOrEmpty(image.LinuxImage.Template))
        {
            var found = context.LookForFile("tmpl", "install") ?? throw new FileNotFoundException($"Couldn't find install template for {context.ImageName}");
            context.Messages.Add($"The image '{context.ImageName}' has no template; exporting {found}.");
            image = image with { LinuxImage = image.LinuxImage with { Template = found } };
        }

        return new ExportSources(image) { MediaRequired = true };
    }
}
