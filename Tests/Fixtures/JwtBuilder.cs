using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace MySecureApi.Tests.Fixtures;

/// <summary>The JSON header and payload of a JWT being built, with the edits every hostile or failing case needs.</summary>
public abstract class JwtBuilder<TSelf>(JsonObject header, JsonObject payload) where TSelf : JwtBuilder<TSelf>
{
    public JsonObject Header { get; } = header;
    public JsonObject Payload { get; } = payload;

    public string SigningInput => $"{Encode(Header)}.{Encode(Payload)}";

    public TSelf With(string claim, JsonNode? value)
    {
        Payload[claim] = value;
        return (TSelf)this;
    }

    public TSelf Without(string claim)
    {
        Payload.Remove(claim);
        return (TSelf)this;
    }

    public TSelf WithHeader(string name, JsonNode? value)
    {
        Header[name] = value;
        return (TSelf)this;
    }

    public TSelf WithoutHeader(string name)
    {
        Header.Remove(name);
        return (TSelf)this;
    }

    public abstract string Build();

    public override string ToString() => Build();

    public static string Encode(JsonNode node) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(node.ToJsonString()));
}
