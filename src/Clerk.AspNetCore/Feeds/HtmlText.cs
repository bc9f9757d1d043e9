using System.Buffers;
using System.Net;

namespace Clerk.AspNetCore.Feeds;

/// <summary>
/// HTML reduced to its text in one pass, for product descriptions (Clerk shows them as text): comments, scripts and
/// styles go; tags go, those of elements that break a line (<c>p</c>, <c>br</c>, <c>li</c> ...) leaving a space;
/// entities are decoded; white space is collapsed and trimmed. Only what looks like a tag (<c>&lt;</c> and a letter,
/// <c>/</c> and a letter, <c>!</c> or <c>?</c>) is one, so <c>price &lt; 100</c> stays text. It makes one string and
/// nothing else (a regular expression per step cost a product feed most of its time).
/// </summary>
internal static class HtmlText
{
    // Elements that break a line: their tags become a space ("<p>One</p><p>Two</p>" is "One Two"); other tags go
    // without one ("<b>3</b>rd" is "3rd").
    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table",
        "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> BlockNames = Blocks.GetAlternateLookup<ReadOnlySpan<char>>();

    public static string ToPlainText(string html)
    {
        if (html.AsSpan().IndexOfAny('<', '&') < 0)
        {
            return html;
        }

        // The text is never longer than the HTML: a tag gives at most one space, an entity at most its own length.
        var buffer = ArrayPool<char>.Shared.Rent(html.Length);
        try
        {
            var text = new PlainTextBuilder(buffer);
            var i = 0;
            while (i < html.Length)
            {
                var c = html[i];
                if (c == '<' && i + 1 < html.Length && TagAt(html, i) is var (end, space) && end > i)
                {
                    if (space)
                    {
                        text.Space();
                    }

                    i = end;
                    continue;
                }

                if (c == '&' && Entity(html, i, ref text) is var length and > 0)
                {
                    i += length;
                    continue;
                }

                text.Add(c);
                i++;
            }

            return text.ToString();
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>Where the tag, comment or hidden element at <paramref name="start"/> ends, and whether it leaves a space; (start, _) when it is no tag.</summary>
    private static (int End, bool Space) TagAt(string html, int start)
    {
        var next = html[start + 1];
        if (next is '!' or '?')
        {
            if (html.AsSpan(start).StartsWith("<!--", StringComparison.Ordinal))
            {
                var close = html.IndexOf("-->", start + 4, StringComparison.Ordinal);
                return (close < 0 ? html.Length : close + 3, true);
            }

            return (After(html, start + 2), true);
        }

        var closing = next == '/';
        var nameStart = start + (closing ? 2 : 1);
        if (nameStart >= html.Length || !char.IsAsciiLetter(html[nameStart]))
        {
            return (start, false);
        }

        var nameEnd = nameStart + 1;
        while (nameEnd < html.Length && char.IsAsciiLetterOrDigit(html[nameEnd]))
        {
            nameEnd++;
        }

        var name = html.AsSpan(nameStart, nameEnd - nameStart);
        var end = After(html, nameEnd);
        if (!closing && (name.Equals("script", StringComparison.OrdinalIgnoreCase) || name.Equals("style", StringComparison.OrdinalIgnoreCase)))
        {
            // Everything up to its closing tag is code, not text; an element never closed hides the rest.
            return (HiddenEnd(html, end, name), true);
        }

        return (end, BlockNames.Contains(name));
    }

    private static int After(string html, int from)
    {
        var close = html.IndexOf('>', from);
        return close < 0 ? html.Length : close + 1;
    }

    private static int HiddenEnd(string html, int from, ReadOnlySpan<char> name)
    {
        var i = from;
        while ((i = html.IndexOf("</", i, StringComparison.Ordinal)) >= 0)
        {
            var nameEnd = i + 2 + name.Length;
            if (nameEnd <= html.Length && html.AsSpan(i + 2, name.Length).Equals(name, StringComparison.OrdinalIgnoreCase)
                && (nameEnd == html.Length || !char.IsAsciiLetterOrDigit(html[nameEnd])))
            {
                return After(html, nameEnd);
            }

            i += 2;
        }

        return html.Length;
    }

    /// <summary>Decodes the entity at <paramref name="start"/> into <paramref name="text"/>; returns its length, or 0 when it is none.</summary>
    private static int Entity(string html, int start, ref PlainTextBuilder text)
    {
        // An entity is '&', a name or a number, ';' (as WebUtility.HtmlDecode reads them), at most 32 characters.
        var end = start + 1;
        while (end < html.Length && end - start < 32 && (char.IsAsciiLetterOrDigit(html[end]) || html[end] == '#'))
        {
            end++;
        }

        if (end >= html.Length || html[end] != ';' || end == start + 1)
        {
            return 0;
        }

        var entity = html.AsSpan(start, end - start + 1);
        switch (entity)
        {
            case "&amp;":
                text.Add('&');
                return entity.Length;
            case "&lt;":
                text.Add('<');
                return entity.Length;
            case "&gt;":
                text.Add('>');
                return entity.Length;
            case "&quot;":
                text.Add('"');
                return entity.Length;
            case "&#39;" or "&apos;":
                text.Add('\'');
                return entity.Length;
            case "&nbsp;":
                text.Add('\u00a0');
                return entity.Length;
        }

        var decoded = WebUtility.HtmlDecode(entity.ToString());
        if (decoded.Length == entity.Length)
        {
            return 0;
        }

        foreach (var c in decoded)
        {
            text.Add(c);
        }

        return entity.Length;
    }

    /// <summary>The text being built: white space collapsed to one space between words, none at either end.</summary>
    private ref struct PlainTextBuilder(char[] buffer)
    {
        private int _length;
        private bool _space;

        public void Space() => _space = true;

        public void Add(char c)
        {
            if (char.IsWhiteSpace(c))
            {
                _space = true;
                return;
            }

            if (_space && _length > 0)
            {
                buffer[_length++] = ' ';
            }

            _space = false;
            buffer[_length++] = c;
        }

        public override readonly string ToString() => new(buffer, 0, _length);
    }
}
