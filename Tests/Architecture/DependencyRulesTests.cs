using System.Reflection;
using System.Reflection.Emit;

namespace MySecureApi.Tests.Architecture;

/// <summary>
/// The one-way dependencies between the app's folders, read from the compiled code: every type a type's signatures,
/// attributes and method bodies (IL) refer to. Constants are inlined by the compiler and so are not dependencies.
/// </summary>
public sealed class DependencyRulesTests
{
    private const string Root = "MySecureApi.";
    private const string Infrastructure = "MySecureApi.Infrastructure";

    private const string Auth = $"{Infrastructure}.Auth";

    /// <summary>Who may not depend on whom: a namespace (and those below it) and the namespaces it must not reach.</summary>
    public static TheoryData<string, string> Forbidden => new()
    {
        { Infrastructure, "MySecureApi.Features" },
        { $"{Infrastructure}.Errors", Auth },
        { $"{Infrastructure}.Errors", $"{Infrastructure}.RateLimiting" },
        { $"{Infrastructure}.Errors", $"{Infrastructure}.Redis" },
        { $"{Infrastructure}.Errors", $"{Infrastructure}.OpenApi" },
        { Auth, $"{Infrastructure}.OpenApi" },
        { Auth, $"{Infrastructure}.RateLimiting" },
        { $"{Infrastructure}.Hosting", Auth },
        { $"{Infrastructure}.Telemetry", Auth },
        // Inside Auth, from the bottom up: Settings, Keys, DPoP and Mtls (neither knows the other), Tokens, Challenges,
        // Access; the root wires them.
        { $"{Auth}.Settings", $"{Auth}.Keys" },
        { $"{Auth}.Settings", $"{Auth}.DPoP" },
        { $"{Auth}.Settings", $"{Auth}.Tokens" },
        { $"{Auth}.Settings", $"{Auth}.Challenges" },
        { $"{Auth}.Settings", $"{Auth}.Access" },
        { $"{Auth}.Keys", $"{Auth}.DPoP" },
        { $"{Auth}.Keys", $"{Auth}.Tokens" },
        { $"{Auth}.Keys", $"{Auth}.Challenges" },
        { $"{Auth}.Keys", $"{Auth}.Access" },
        { $"{Auth}.Settings", $"{Auth}.Mtls" },
        { $"{Auth}.Keys", $"{Auth}.Mtls" },
        { $"{Auth}.DPoP", $"{Auth}.Mtls" },
        { $"{Auth}.Mtls", $"{Auth}.DPoP" },
        { $"{Auth}.Mtls", $"{Auth}.Tokens" },
        { $"{Auth}.Mtls", $"{Auth}.Challenges" },
        { $"{Auth}.Mtls", $"{Auth}.Access" },
        { $"{Auth}.DPoP", $"{Auth}.Tokens" },
        { $"{Auth}.DPoP", $"{Auth}.Challenges" },
        { $"{Auth}.DPoP", $"{Auth}.Access" },
        { $"{Auth}.Tokens", $"{Auth}.Challenges" },
        { $"{Auth}.Tokens", $"{Auth}.Access" },
        { $"{Auth}.Challenges", $"{Auth}.Access" },
    };

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void A_namespace_never_reaches_one_it_must_not(string from, string to) =>
        Assert.Empty(Violations(Edges(), from, to));

    /// <summary>
    /// Each rule can fail: an edge from a real type of <paramref name="from"/> to a real type of <paramref name="to"/> is
    /// reported as a violation (so neither namespace is misspelt or empty, and the rule is not vacuous).
    /// </summary>
    [Theory]
    [MemberData(nameof(Forbidden))]
    public void Each_rule_reports_an_edge_that_breaks_it(string from, string to)
    {
        var source = Assert.Single(TypesIn(from).Take(1));
        var target = Assert.Single(TypesIn(to).Take(1));

        Assert.NotEmpty(Violations([(source, target)], from, to));
    }

    /// <summary>Auth's root only wires Auth together (its set-up and its settings as bound): nothing but <c>Program</c> reaches it.</summary>
    [Fact]
    public void Only_Program_reaches_the_wiring_of_Auth() => Assert.Empty(WiringViolations(Edges()));

    [Fact]
    public void The_wiring_rule_reports_an_edge_that_breaks_it()
    {
        var wiring = typeof(Program).Assembly.GetType($"{Auth}.AuthSetup")!;
        var room = Assert.Single(TypesIn($"{Auth}.Tokens").Take(1));

        Assert.NotEmpty(WiringViolations([(room, wiring)]));
        Assert.NotEmpty(WiringViolations([(typeof(Program).Assembly.GetType("MySecureApi.Features.Messages.MessagesSetup")!, wiring)]));
        Assert.Empty(WiringViolations([(typeof(Program), wiring)]));
    }

    private static List<string> Violations(IEnumerable<(Type From, Type To)> edges, string from, string to) =>
        edges.Where(e => Within(e.From.Namespace, from) && Within(e.To.Namespace, to))
            .Select(e => $"{e.From.FullName} -> {e.To.FullName}").Distinct().Order().ToList();

    private static List<string> WiringViolations(IEnumerable<(Type From, Type To)> edges) =>
        edges.Where(e => e.To.Namespace == Auth && e.From.Namespace != Auth && Outermost(e.From) != typeof(Program))
            .Select(e => $"{e.From.FullName} -> {e.To.FullName}").Distinct().Order().ToList();

    private static IEnumerable<Type> TypesIn(string ns) =>
        typeof(Program).Assembly.GetTypes().Where(t => Within(t.Namespace, ns) && !t.IsNested && t.FullName?.Contains('<') != true);

    /// <summary>The scanner itself: it must see dependencies that exist, or the rules above would pass vacuously.</summary>
    [Theory]
    [InlineData("MySecureApi.Features.WellKnown.GetProtectedResource", $"{Infrastructure}.Auth.Challenges")]
    [InlineData("MySecureApi.Features.Health.GetReady", $"{Infrastructure}.Errors")]
    [InlineData("MySecureApi.Features.DevIssuer", $"{Infrastructure}.Auth.Keys")]
    [InlineData($"{Infrastructure}.Auth.Tokens", $"{Infrastructure}.Auth.DPoP")]
    [InlineData($"{Infrastructure}.Auth.Tokens", $"{Infrastructure}.Auth.Mtls")]
    [InlineData($"{Infrastructure}.Auth.Mtls", $"{Infrastructure}.Hosting")]
    [InlineData($"{Infrastructure}.Auth.Access", $"{Infrastructure}.Auth.Challenges")]
    [InlineData($"{Infrastructure}.Auth.Challenges", $"{Infrastructure}.Errors")]
    public void The_scanner_sees_dependencies_that_exist(string from, string to) =>
        Assert.Contains(Edges(), e => Within(e.From.Namespace, from) && Within(e.To.Namespace, to));

    private static bool Within(string? ns, string prefix) => ns is not null && (ns == prefix || ns.StartsWith(prefix + ".", StringComparison.Ordinal));

    private static readonly Lazy<List<(Type From, Type To)>> AllEdges = new(() =>
    {
        var assembly = typeof(Program).Assembly;
        return assembly.GetTypes()
            .SelectMany(type => Referenced(type).Select(to => (From: type, To: Outermost(to))))
            .Where(e => e.To.Assembly == assembly && e.To.FullName?.StartsWith(Root, StringComparison.Ordinal) == true && e.To != Outermost(e.From))
            .ToList();
    });

    private static List<(Type From, Type To)> Edges() => AllEdges.Value;

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer)
            type = outer;
        return type;
    }

    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static IEnumerable<Type> Referenced(Type type)
    {
        var found = new List<Type>();
        if (type.BaseType is { } baseType)
            found.Add(baseType);
        found.AddRange(type.GetInterfaces());
        found.AddRange(type.GetCustomAttributesData().Select(a => a.AttributeType));
        found.AddRange(type.GetFields(All).Select(f => f.FieldType));
        found.AddRange(type.GetProperties(All).Select(p => p.PropertyType));
        foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (method is MethodInfo info)
                found.Add(info.ReturnType);
            found.AddRange(method.GetParameters().Select(p => p.ParameterType));
            found.AddRange(method.GetMethodBody()?.LocalVariables.Select(v => v.LocalType) ?? []);
            found.AddRange(FromBody(method));
        }
        return found.SelectMany(Expand);
    }

    /// <summary>A type with its element and generic arguments (<c>IOptions&lt;Auth0Options&gt;</c> depends on <c>Auth0Options</c>).</summary>
    private static IEnumerable<Type> Expand(Type type)
    {
        if (type.IsGenericParameter)
            yield break;
        if (type.HasElementType)
        {
            foreach (var element in Expand(type.GetElementType()!))
                yield return element;
            yield break;
        }
        yield return type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (type.IsGenericType)
            foreach (var argument in type.GetGenericArguments().SelectMany(Expand))
                yield return argument;
    }

    private static readonly Dictionary<int, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(op => (int)(ushort)op.Value);

    /// <summary>The types, fields and methods the IL of <paramref name="method"/> names (calls, news, field access, typeof, casts).</summary>
    private static IEnumerable<Type> FromBody(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
            yield break;
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            var code = il[i] == 0xFE ? 0xFE00 | il[i + 1] : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            var op = OpCodesByValue[code];
            switch (op.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + 4 * BitConverter.ToInt32(il, i);
                    break;
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    var member = Resolve(method.Module, BitConverter.ToInt32(il, i), typeArguments, methodArguments);
                    i += 4;
                    foreach (var type in Types(member))
                        yield return type;
                    break;
                default:
                    i += 4;
                    break;
            }
        }
    }

    private static MemberInfo? Resolve(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            return module.ResolveMember(token, typeArguments, methodArguments);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static IEnumerable<Type> Types(MemberInfo? member) => member switch
    {
        Type type => [type],
        FieldInfo field => [field.DeclaringType!, field.FieldType],
        MethodInfo method => [method.DeclaringType!, method.ReturnType, .. method.GetParameters().Select(p => p.ParameterType),
            .. method.IsGenericMethod ? method.GetGenericArguments() : []],
        ConstructorInfo constructor => [constructor.DeclaringType!],
        _ => [],
    };
}
