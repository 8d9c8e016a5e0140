using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MySecureApi.Features.DevIssuer;
using MySecureApi.Tests.Fixtures;

namespace MySecureApi.Tests.Features;

/// <summary>
/// <c>MySecureApi.http</c> stays true: every request in it is sent, in order, to a development-issuer host on a fresh
/// database, with each token variable minted by the token command written above it, and answers the status its title
/// names. The file's own syntax is read as the editors read it: <c>@name = value</c> variables, <c>###</c> between
/// requests, headers, a blank line, the body, and <c># @name</c> with <c>{{name.response.body.$.member}}</c>.
/// </summary>
public sealed partial class HttpFileTests(AppFixture app)
{
    private static readonly string FilePath = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "MySecureApi.http"));

    private sealed record HttpFileRequest(string Title, HttpStatusCode Expected, string? Name, string Method, string Url,
        List<(string Name, string Value)> Headers, string Body);

    [Fact]
    public async Task Every_request_in_the_http_file_gets_the_answer_its_title_names()
    {
        var text = await File.ReadAllTextAsync(FilePath, Ct);
        var (variables, commands) = Variables(text);
        var requests = Requests(text);
        Assert.True(requests.Count >= 20, $"{requests.Count} requests");
        Assert.NotEmpty(commands);

        await using var dev = new DevIssuerHost(app, ("Database:SqlitePath", TestFiles.NewSqlitePath()));
        var client = dev.CreateClient();
        foreach (var (variable, command) in commands)
            variables[variable] = Mint(dev, command);
        variables["baseUrl"] = client.BaseAddress!.ToString().TrimEnd('/');

        var named = new Dictionary<string, JsonElement>();
        var answers = new List<string>();
        foreach (var request in requests)
        {
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), Substitute(request.Url, variables, named));
            if (request.Body.Length > 0)
                message.Content = new StringContent(Substitute(request.Body, variables, named), Encoding.UTF8);
            foreach (var (name, value) in request.Headers)
            {
                var substituted = Substitute(value, variables, named);
                if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                    message.Content!.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(substituted);
                else
                    Assert.True(message.Headers.TryAddWithoutValidation(name, substituted), name);
            }
            var response = await client.SendAsync(message, Ct);
            answers.Add($"{request.Title}: {(int)response.StatusCode}");
            if (request.Name is not null)
                named[request.Name] = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
        }

        Assert.Equal(requests.Select(r => $"{r.Title}: {(int)r.Expected}"), answers);
    }

    /// <summary>Runs the token command line written above a variable (<c>dotnet run -v q -- token …</c>) in the host.</summary>
    private static string Mint(DevIssuerHost dev, string commandLine)
    {
        var args = Arguments(commandLine["dotnet run -v q -- token".Length..]);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Assert.Equal(0, TokenCommand.Run([.. args], dev.Factory.Services, stdout, stderr));
        return stdout.ToString().Trim();
    }

    /// <summary>Splits a shell command line on spaces, keeping double-quoted parts together.</summary>
    private static List<string> Arguments(string line) =>
        [.. ArgumentPattern().Matches(line).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)];

    [GeneratedRegex("\"([^\"]*)\"|(\\S+)")]
    private static partial Regex ArgumentPattern();

    private static (Dictionary<string, string> Values, List<(string Variable, string Command)> Commands) Variables(string text)
    {
        var values = new Dictionary<string, string>();
        var commands = new List<(string, string)>();
        string? comment = null;
        foreach (var line in text[..text.IndexOf("###", StringComparison.Ordinal)].Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith("# dotnet run -v q -- token", StringComparison.Ordinal))
                comment = line[2..];
            else if (VariablePattern().Match(line) is { Success: true } variable)
            {
                values[variable.Groups[1].Value] = variable.Groups[2].Value;
                if (comment is not null)
                    commands.Add((variable.Groups[1].Value, comment));
                comment = null;
            }
        }
        return (values, commands);
    }

    [GeneratedRegex(@"^@(\w+)\s*=\s*(.*)$")]
    private static partial Regex VariablePattern();

    private static List<HttpFileRequest> Requests(string text)
    {
        var requests = new List<HttpFileRequest>();
        foreach (var block in text.Split("\n###").Skip(1))
        {
            var lines = block.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            var title = lines[0].Trim();
            var expected = (HttpStatusCode)int.Parse(TitlePattern().Match(title).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var i = 1;
            string? name = null;
            for (; i < lines.Count && (lines[i].StartsWith('#') || lines[i].Length == 0); i++)
                if (lines[i].StartsWith("# @name ", StringComparison.Ordinal))
                    name = lines[i]["# @name ".Length..].Trim();
            var requestLine = lines[i++].Split(' ');
            var headers = new List<(string, string)>();
            for (; i < lines.Count && lines[i].Length > 0; i++)
                headers.Add((lines[i][..lines[i].IndexOf(':')].Trim(), lines[i][(lines[i].IndexOf(':') + 1)..].Trim()));
            var body = string.Join('\n', lines.Skip(i)).Trim();
            requests.Add(new HttpFileRequest(title, expected, name, requestLine[0], requestLine[1], headers, body));
        }
        return requests;
    }

    [GeneratedRegex(@"→ (\d{3})")]
    private static partial Regex TitlePattern();

    /// <summary><c>{{variable}}</c> and <c>{{request.response.body.$.member}}</c>, as the editors substitute them.</summary>
    private static string Substitute(string text, Dictionary<string, string> variables, Dictionary<string, JsonElement> named) =>
        PlaceholderPattern().Replace(text, match =>
        {
            var expression = match.Groups[1].Value;
            if (variables.TryGetValue(expression, out var value))
                return value;
            var parts = expression.Split(".response.body.$.");
            Assert.True(parts.Length == 2 && named.ContainsKey(parts[0]), $"unknown placeholder {{{{{expression}}}}}");
            return named[parts[0]].GetProperty(parts[1]).ToString();
        });

    [GeneratedRegex(@"\{\{([^}]+)\}\}")]
    private static partial Regex PlaceholderPattern();
}
