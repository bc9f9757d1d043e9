using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Clerk.AspNetCore.Feeds;

namespace Clerk.AspNetCore.Tests.Feeds;

/// <summary>Feed items in the shape Clerk's extensions send: plain text, absolute web URLs, IDs of their type, e-mails on purpose.</summary>
public sealed class FeedItemWriterTests
{
    private static readonly Uri Shop = new("https://shop.example/");

    private static JsonElement Write<T>(FeedItemWrite<T> write, T item, bool collectEmails = true, Uri? baseUrl = null)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer, item, new FeedWriteContext(baseUrl ?? Shop, collectEmails));
        }

        return JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
    }

    private static JsonElement Product(ClerkFeedProduct product) => Write<ClerkFeedProduct>(FeedItemWriter.WriteProduct, product);

    [Theory]
    [InlineData("Plain words", "Plain words")]
    [InlineData("<p>Warm <b>wool</b> sweater.</p><p>Hand wash.</p>", "Warm wool sweater. Hand wash.")]
    [InlineData("The <b>3</b>rd edition", "The 3rd edition")]
    [InlineData("Line<br>break", "Line break")]
    [InlineData("<script>alert(1)</script>Safe<style>p{}</style> text", "Safe text")]
    [InlineData("<!-- note -->Visible", "Visible")]
    [InlineData("Fish &amp; chips &lt;3 &quot;fresh&quot;", "Fish & chips <3 \"fresh\"")]
    [InlineData("price < 100 & stock > 5", "price < 100 & stock > 5")]
    [InlineData("<img src=x onerror=alert(1)>Nice", "Nice")]
    [InlineData("Unclosed <script>alert(1)", "Unclosed")]
    [InlineData("  many   <i>spaces</i>\n\tand lines ", "many spaces and lines")]
    public void PlainText_Html_IsReducedToItsText(string html, string text)
    {
        Assert.Equal(text, FeedItemWriter.PlainText(html));
    }

    [Fact]
    public void PlainText_AnyInput_IsTrimmedCollapsedNeverLongerAndKeepsTextWithoutMarkup()
    {
        var pieces = Gen.OneOf<string>(
            "<", ">", "&", ";", "#", "/", "!", "?", "-", " ", "\n", "\t", "\u00a0", "a", "B", "1", "x", "é", "😀",
            "<p>", "</p>", "<b>", "</b>", "<br/>", "<script>", "</script>", "<style x>", "</STYLE >", "<!--", "-->", "<!DOCTYPE html>",
            "&amp;", "&lt;", "&nbsp;", "&#65;", "&#x1F600;", "&bogus;", "&amp", "< 3", "<3", "a<b", "li");
        var html = pieces.Array[0, 30].Select(string.Concat);

        html.Sample(input =>
        {
            var text = FeedItemWriter.PlainText(input);
            Assert.True(text.Length <= input.Length, input);
            if (input.AsSpan().IndexOfAny('<', '&') < 0)
            {
                Assert.Equal(input, text);
                return;
            }

            Assert.Equal(text.Trim(), text);
            Assert.DoesNotContain("  ", text, StringComparison.Ordinal);
            Assert.False(text.Any(c => char.IsWhiteSpace(c) && c != ' '), input);
        }, iter: 20_000);
    }

    [Fact]
    public void PlainText_WordsInInlineAndBlockTags_AreTheWordsWithSpacesFromBlocks()
    {
        var words = Gen.String[Gen.Char['a', 'z'], 1, 8].Array[1, 12];
        var inline = Gen.OneOf<string>("b", "i", "em", "span", "a href=\"/x\"", "strong");

        Gen.Select(words, inline, Gen.Bool).Sample((list, tag, block) =>
        {
            var name = tag.Split(' ')[0];
            var html = block
                ? string.Concat(list.Select(w => $"<p>{w}</p>"))
                : string.Join(' ', list.Select(w => $"<{tag}>{w}</{name}>"));

            Assert.Equal(string.Join(' ', list), FeedItemWriter.PlainText(html));
        }, iter: 2_000);
    }

    [Fact]
    public void WriteProduct_Description_IsPlainText()
    {
        var json = Product(new ClerkFeedProduct { Id = 1, Name = "A", Description = "<p>Soft &amp; <em>warm</em></p>" });

        Assert.Equal("Soft & warm", json.GetProperty("description").GetString());
    }

    [Theory]
    [InlineData("/products/1", "https://shop.example/products/1")]
    [InlineData("products/1", "https://shop.example/products/1")]
    [InlineData("~/products/1", "https://shop.example/products/1")]
    [InlineData("//cdn.example/a.jpg", "https://cdn.example/a.jpg")]
    [InlineData("http://other.example/a.jpg", "http://other.example/a.jpg")]
    [InlineData("https://shop.example/a b.jpg", "https://shop.example/a%20b.jpg")]
    public void AbsoluteUrl_WebOrRelative_IsAbsolute(string url, string absolute)
    {
        Assert.Equal(absolute, FeedItemWriter.AbsoluteUrl(url, Shop));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("JaVaScRiPt:alert(1)")]
    [InlineData(" javascript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("vbscript:msgbox(1)")]
    [InlineData("mailto:a@example.com")]
    [InlineData("")]
    [InlineData("   ")]
    public void AbsoluteUrl_NotAWebUrl_IsLeftOut(string url)
    {
        Assert.Null(FeedItemWriter.AbsoluteUrl(url, Shop));
    }

    [Fact]
    public void AbsoluteUrl_AnyUrl_IsWhatUriMakesOfIt()
    {
        // The fast path for plain URLs must give exactly what parsing them with Uri gives, for any URL and base.
        var pieces = Gen.OneOf<string>(
            "/", "//", "a", "Z", "0", "1", "7", ".", "..", "-", "_", "~", "~/", "?", "#", "=", "&", "+", ",", ";", ":", "@", "!", "$", "*", "(", ")", "'",
            "%", "%20", "%2F", " ", "\\", "\"", "<", "{", "|", "^", "[", "]", "é", "\t", "\u2028",
            "http://", "https://", "HTTPS://", "javascript:", "data:", "shop.example", "CDN.Example", "127.1", "0x7f.0.0.1", "010.0.0.1", "xn--bcher-kva.example",
            ":443", ":8080", "user@", "products", "p.jpg", "/./", "/../", "index.html");
        var urls = pieces.Array[1, 8].Select(string.Concat);
        Uri[] bases = [new("https://shop.example/"), new("https://Shop.Example:8443/store/"), new("http://localhost:5000/a/b"), new("https://shop.example/x/?q=1")];

        urls.Sample(url =>
        {
            foreach (var baseUrl in bases)
            {
                var context = new FeedWriteContext(baseUrl, false);
                if (FeedItemWriter.PlainUrl(url, context) is { } fast)
                {
                    Assert.Equal(FeedItemWriter.AbsoluteUrlByUri(url, baseUrl), fast);
                }
            }
        }, iter: 20_000);
    }

    [Fact]
    public void WriteProduct_JavascriptUrl_LeavesTheFieldOut()
    {
        var json = Product(new ClerkFeedProduct { Id = 1, Name = "A", Url = "javascript:alert(document.cookie)", Image = "javascript:x" });

        Assert.False(json.TryGetProperty("url", out _));
        Assert.False(json.TryGetProperty("image", out _));
    }

    [Fact]
    public void AbsoluteUrl_RelativeWithoutBase_IsLeftOut()
    {
        Assert.Null(FeedItemWriter.AbsoluteUrl("/products/1", null));
        Assert.Equal("https://x.example/p", FeedItemWriter.AbsoluteUrl("https://x.example/p", null));
    }

    [Fact]
    public void WriteProduct_AbsentValues_AreLeftOutAndOnSaleFollowsThePrices()
    {
        var plain = Product(new ClerkFeedProduct { Id = 1, Name = "A", Price = 10m });
        var reduced = Product(new ClerkFeedProduct { Id = 2, Name = "B", Price = 8m, ListPrice = 10m });

        Assert.Equal(["id", "name", "price", "categories", "on_sale"], plain.EnumerateObject().Select(p => p.Name));
        Assert.False(plain.GetProperty("on_sale").GetBoolean());
        Assert.True(reduced.GetProperty("on_sale").GetBoolean());
    }

    [Fact]
    public void WriteProduct_ExtraFields_AreWrittenWithTheirJsonTypes()
    {
        var json = Product(new ClerkFeedProduct
        {
            Id = 1,
            Name = "A",
            Fields = new Dictionary<string, object?>
            {
                ["color"] = "red",
                ["rating"] = 4.5,
                ["weight"] = 0.1f,
                ["reviews"] = 12,
                ["big"] = ulong.MaxValue,
                ["vegan"] = true,
                ["sizes"] = new[] { "S", "M" },
                ["released"] = DateTimeOffset.FromUnixTimeSeconds(1_600_000_000),
                ["related"] = new ClerkProductId[] { 2, 3 },
                ["spec"] = JsonNode.Parse("""{"a":[1,2]}"""),
                ["nothing"] = null,
                ["kind"] = DayOfWeek.Monday,
            },
        });

        Assert.Equal("red", json.GetProperty("color").GetString());
        Assert.Equal(4.5, json.GetProperty("rating").GetDouble());
        Assert.Equal("0.1", json.GetProperty("weight").GetRawText());
        Assert.Equal(12, json.GetProperty("reviews").GetInt32());
        Assert.Equal(ulong.MaxValue, json.GetProperty("big").GetUInt64());
        Assert.True(json.GetProperty("vegan").GetBoolean());
        Assert.Equal(["S", "M"], json.GetProperty("sizes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1_600_000_000, json.GetProperty("released").GetInt64());
        Assert.Equal("[2,3]", json.GetProperty("related").GetRawText());
        Assert.Equal("""{"a":[1,2]}""", json.GetProperty("spec").GetRawText());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("nothing").ValueKind);
        Assert.Equal("Monday", json.GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData("price")]
    [InlineData("id")]
    [InlineData("categories")]
    [InlineData("created_at")]
    public void WriteProduct_ExtraFieldWithAStandardName_Throws(string name)
    {
        var product = new ClerkFeedProduct { Id = 1, Name = "A", Fields = new Dictionary<string, object?> { [name] = 1 } };

        var exception = Assert.Throws<InvalidOperationException>(() => Product(product));

        Assert.Contains($"'{name}' has the name of a standard field", exception.Message);
    }

    [Fact]
    public void WriteCustomer_EmailAsAnExtraField_Throws()
    {
        // Otherwise a shop could send e-mails with CollectEmails off.
        var customer = new ClerkFeedCustomer { Id = "42", Fields = new Dictionary<string, object?> { ["email"] = "a@example.com" } };

        Assert.Throws<InvalidOperationException>(() => Write<ClerkFeedCustomer>(FeedItemWriter.WriteCustomer, customer, collectEmails: false));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void WriteProduct_ExtraFieldNotFinite_ThrowsSayingWhatIsAccepted(double value)
    {
        var product = new ClerkFeedProduct { Id = 1, Name = "A", Fields = new Dictionary<string, object?> { ["score"] = value } };

        var exception = Assert.Throws<InvalidOperationException>(() => Product(product));

        Assert.Contains("must be finite", exception.Message);
    }

    [Fact]
    public void WriteProduct_ExtraFieldOfAnotherType_ThrowsSayingWhatIsAccepted()
    {
        var product = new ClerkFeedProduct { Id = 1, Name = "A", Fields = new Dictionary<string, object?> { ["when"] = new object() } };

        var exception = Assert.Throws<InvalidOperationException>(() => Product(product));

        Assert.Contains("'when' holds a Object", exception.Message);
    }

    [Fact]
    public void WriteOrder_Email_IsWrittenOnlyWithCollectEmails()
    {
        var order = new ClerkFeedOrder { Id = "1001", Time = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), Email = "buyer@example.com", Customer = "42", Products = [new ClerkSaleLine(7, 9.5m, 2)] };

        var with = Write<ClerkFeedOrder>(FeedItemWriter.WriteOrder, order, collectEmails: true);
        var without = Write<ClerkFeedOrder>(FeedItemWriter.WriteOrder, order, collectEmails: false);

        Assert.Equal("buyer@example.com", with.GetProperty("email").GetString());
        Assert.False(without.TryGetProperty("email", out _));
        Assert.Equal("""{"id":"1001","time":1700000000,"customer":"42","products":[{"id":7,"quantity":2,"price":9.5}]}""", without.GetRawText());
    }

    [Fact]
    public void WriteCustomer_Email_IsWrittenOnlyWithCollectEmails()
    {
        var customer = new ClerkFeedCustomer { Id = "42", Name = "Ada", Email = "ada@example.com" };

        Assert.Equal("ada@example.com", Write<ClerkFeedCustomer>(FeedItemWriter.WriteCustomer, customer).GetProperty("email").GetString());
        Assert.Equal("""{"id":"42","name":"Ada"}""", Write<ClerkFeedCustomer>(FeedItemWriter.WriteCustomer, customer, collectEmails: false).GetRawText());
    }

    [Fact]
    public void WriteProduct_Ids_KeepTheirJsonType()
    {
        var numbers = Product(new ClerkFeedProduct { Id = 104, Name = "A", Categories = [1, 2] });
        var strings = Product(new ClerkFeedProduct { Id = "104", Name = "A", Categories = ["shoes"] });

        Assert.Equal(JsonValueKind.Number, numbers.GetProperty("id").ValueKind);
        Assert.Equal("[1,2]", numbers.GetProperty("categories").GetRawText());
        Assert.Equal(JsonValueKind.String, strings.GetProperty("id").ValueKind);
        Assert.Equal("104", strings.GetProperty("id").GetString());
        Assert.Equal("""["shoes"]""", strings.GetProperty("categories").GetRawText());
    }

    [Fact]
    public void WriteCategory_IdsAndSubcategories_KeepTheirJsonType()
    {
        var json = Write<ClerkFeedCategory>(FeedItemWriter.WriteCategory, new ClerkFeedCategory { Id = 5, Name = "Shoes", Url = "/c/5", Subcategories = [6, 7] });

        Assert.Equal("""{"id":5,"name":"Shoes","url":"https://shop.example/c/5","subcategories":[6,7]}""", json.GetRawText());
    }

    [Fact]
    public void WriteProduct_DefaultId_ThrowsSayingEveryItemNeedsItsId()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Product(new ClerkFeedProduct { Id = default, Name = "A" }));

        Assert.Contains("give every item its catalog ID", exception.Message);
    }

    [Fact]
    public void WriteProduct_HostileText_RoundTripsThroughJson()
    {
        const string name = "\"Quote\" </script><img src=x onerror=alert(1)> ÆØÅ 日本語 😀 \u2028\u0001\u001f\t";
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            FeedItemWriter.WriteProduct(writer, new ClerkFeedProduct { Id = 1, Name = name, Brand = name }, new FeedWriteContext(Shop, true));
        }

        var raw = Encoding.UTF8.GetString(buffer.ToArray());
        var json = JsonDocument.Parse(raw).RootElement;

        Assert.Equal(name, json.GetProperty("name").GetString());
        Assert.Equal(name, json.GetProperty("brand").GetString());
        Assert.DoesNotContain("</script>", raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", raw, StringComparison.OrdinalIgnoreCase);
    }
}
