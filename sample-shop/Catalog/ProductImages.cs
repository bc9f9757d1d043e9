using System.Globalization;
using System.Security;
using Microsoft.EntityFrameworkCore;
using SampleShop.Data;

namespace SampleShop.Catalog;

/// <summary>Product pictures drawn on the fly as SVG placeholders: no image files, no CDN.</summary>
public static class ProductImages
{
    public static IEndpointRouteBuilder MapProductImages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/images/products/{id:long}.svg", async (long id, ShopDbContext db, HttpContext context) =>
        {
            var name = await db.Products.Where(p => p.Id == id).Select(p => p.Name).FirstOrDefaultAsync(context.RequestAborted);
            if (name is null)
            {
                return Results.NotFound();
            }

            context.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.Text(Draw(id, name), "image/svg+xml");
        });
        return endpoints;
    }

    internal static string Draw(long id, string name)
    {
        var hue = (int)(id * 47 % 360);
        var initials = string.Concat(name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2).Select(w => char.ToUpperInvariant(w[0])));

        // Text in SVG is XML: escaped like any other markup.
        return string.Create(CultureInfo.InvariantCulture, $"""
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" role="img">
              <rect width="400" height="300" fill="hsl({hue}, 35%, 86%)"/>
              <circle cx="200" cy="150" r="90" fill="hsl({hue}, 40%, 70%)"/>
              <text x="200" y="172" font-family="Georgia, serif" font-size="64" text-anchor="middle" fill="hsl({hue}, 45%, 25%)">{SecurityElement.Escape(initials)}</text>
            </svg>
            """);
    }
}
