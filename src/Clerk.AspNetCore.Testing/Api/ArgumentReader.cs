using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Clerk.AspNetCore.Testing;

/// <summary>
/// Reads a call's arguments as one JSON object: the query string of a GET, where lists and objects are JSON-encoded
/// as Clerk requires, or the JSON body of a POST. Sizes and depth are bounded.
/// </summary>
internal static class ArgumentReader
{
    /// <returns>
    /// The arguments, or the error to answer; and the names whose values came from the query string as plain text,
    /// whose JSON type the caller could not say (<c>?product=104</c> may mean 104 or "104").
    /// </returns>
    public static async Task<(JsonObject? Arguments, EmulatorResponse? Error, IReadOnlySet<string> Untyped)> ReadAsync(HttpRequest request, int maxJsonDepth, int maxBodyBytes)
    {
        var untyped = new HashSet<string>(StringComparer.Ordinal);
        var documentOptions = new JsonNodeOptions { PropertyNameCaseInsensitive = false };
        // Duplicate names are refused as Clerk refuses them (and a JsonObject cannot hold them).
        var parseOptions = new JsonDocumentOptions { MaxDepth = maxJsonDepth, AllowDuplicateProperties = false };

        var arguments = new JsonObject();
        foreach (var (name, values) in request.Query)
        {
            if (name == "callback")
            {
                continue;
            }

            var value = values.Count > 0 ? values[^1] ?? string.Empty : string.Empty;
            var trimmed = value.AsSpan().TrimStart();
            if (trimmed.StartsWith("[") || trimmed.StartsWith("{"))
            {
                var (parsed, problem) = Parse(() => JsonNode.Parse(value, documentOptions, parseOptions));
                if (problem is not null)
                {
                    return (null, EmulatorResponse.Parsing($"Invalid Syntax In Argument: {name} ({(problem.LoneSurrogate ? NotText : "not valid JSON")})"), untyped);
                }

                arguments[name] = parsed;
            }
            else
            {
                arguments[name] = value == "null" ? null : JsonValue.Create(value);
                untyped.Add(name);
            }
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            return (arguments, null, untyped);
        }

        if (request.ContentLength > maxBodyBytes)
        {
            return (null, TooLarge(maxBodyBytes), untyped);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBodyBytes)
            {
                return (null, TooLarge(maxBodyBytes), untyped);
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return (arguments, null, untyped);
        }

        var (body, bodyProblem) = Parse(() => JsonNode.Parse(buffer.ToArray(), documentOptions, parseOptions));
        if (bodyProblem is not null)
        {
            return (null, EmulatorResponse.Parsing($"Invalid JSON in request body: {(bodyProblem.LoneSurrogate ? NotText + "." : bodyProblem.Message)}"), untyped);
        }

        if (body is not JsonObject bodyObject)
        {
            return (null, EmulatorResponse.Parsing("The request body must be a JSON object of arguments."), untyped);
        }

        foreach (var (name, value) in bodyObject.ToList())
        {
            bodyObject.Remove(name);
            arguments[name] = value;
            untyped.Remove(name);
        }

        return (arguments, null, untyped);
    }

    /// <summary>Why a value is refused: not JSON (the parser's message), or JSON that escapes a lone surrogate.</summary>
    private sealed record ParseProblem(bool LoneSurrogate, string Message);

    /// <summary>Parses, and refuses what would throw later: invalid JSON, or JSON escaping a lone surrogate.</summary>
    private static (JsonNode? Node, ParseProblem? Problem) Parse(Func<JsonNode?> parse)
    {
        JsonNode? node;
        try
        {
            node = parse();
        }
        catch (JsonException exception)
        {
            return (null, new ParseProblem(LoneSurrogate: false, exception.Message));
        }
        catch (InvalidOperationException)
        {
            // Checking names for duplicates reads them, and a name that is a lone surrogate cannot be read.
            return (null, new ParseProblem(LoneSurrogate: true, NotText));
        }

        return IsText(node) ? (node, null) : (null, new ParseProblem(LoneSurrogate: true, NotText));
    }

    private const string NotText = "a string or name escapes a lone UTF-16 surrogate (such as \\ud800), which is not valid UTF-16 text";

    /// <summary>
    /// JSON's escapes can spell a lone UTF-16 surrogate ("\ud800"): valid JSON syntax, but no text. Clerk answers a
    /// parsing error; reading such a string later would throw, so the call is refused here, once, for every name and
    /// string in it.
    /// </summary>
    private static bool IsText(JsonNode? node)
    {
        try
        {
            Read(node);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        static void Read(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (_, value) in obj)
                    {
                        Read(value);
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        Read(item);
                    }

                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    _ = value.GetValue<string>();
                    break;
            }
        }
    }

    private static EmulatorResponse TooLarge(int maxBodyBytes) =>
        EmulatorResponse.Error(StatusCodes.Status413PayloadTooLarge, "ParsingError", $"The request body is larger than {maxBodyBytes} bytes.");
}
