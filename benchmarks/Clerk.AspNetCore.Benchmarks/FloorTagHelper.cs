using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Clerk.AspNetCore.Benchmarks;

/// <summary>
/// Razor's own cost of a tag helper: this one only removes its marker attribute, so a view that puts
/// <c>bench-floor</c> on the elements Clerk's tag helpers would run on renders the hand-written HTML at the price of
/// the tag helper machinery alone. Nothing can be cheaper than this and still be a tag helper.
/// </summary>
[HtmlTargetElement("*", Attributes = MarkerAttributeName)]
public sealed class FloorTagHelper : TagHelper
{
    private const string MarkerAttributeName = "bench-floor";

    public override void Process(TagHelperContext context, TagHelperOutput output) =>
        output.Attributes.RemoveAll(MarkerAttributeName);
}
