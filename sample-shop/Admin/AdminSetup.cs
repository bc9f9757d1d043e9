using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SampleShop.Admin;

/// <summary>
/// The shop's admin pages (<c>/admin/products</c>, <c>/admin/products/{id}</c>, <c>/admin/key</c>): mapped only when
/// <c>Admin:Key</c> is set (<c>Admin__Key=…</c>); otherwise they do not exist, for every method (404, as for any
/// unknown path). Every admin page is behind <see cref="AdminGate"/>.
/// </summary>
public static class AdminSetup
{
    private const string Folder = "/Admin";

    public static void AddShopAdmin(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<AdminAccess>();
        builder.Services.AddOptions<RazorPagesOptions>().Configure<AdminAccess>((options, access) =>
        {
            options.Conventions.AddFolderRouteModelConvention(Folder, model =>
            {
                if (!access.IsEnabled)
                {
                    model.Selectors.Clear();
                }
            });
            options.Conventions.AddFolderApplicationModelConvention(Folder, model => model.Filters.Add(new AdminGate()));
        });
    }
}
