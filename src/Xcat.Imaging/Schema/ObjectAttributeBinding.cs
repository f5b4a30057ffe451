namespace Xcat.Imaging.Schema;

/// <summary>Where an object attribute is stored (xCAT's <c>%defspec</c> <c>access_tabentry</c>, xCAT's Schema.pm, %defspec).</summary>
/// <param name="Attribute">The attribute name in the object view.</param>
/// <param name="Table">The table holding it.</param>
/// <param name="Column">The column holding it.</param>
/// <param name="LinuxOnly">Whether it exists only when <c>imagetype</c> is exactly <c>linux</c> (<c>only_if</c>).</param>
internal sealed record ObjectAttributeBinding(string Attribute, string Table, string Column, bool LinuxOnly = false);
