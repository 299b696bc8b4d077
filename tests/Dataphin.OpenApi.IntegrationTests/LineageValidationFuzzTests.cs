using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Dataphin.OpenApi.IntegrationTests.Support;
using Dataphin.OpenApi.Serialization;
using Dataphin.OpenApi.Testing;
using Dataphin.OpenApi.Testing.Lineage;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using Xunit.Abstractions;

namespace Dataphin.OpenApi.IntegrationTests;

/// <summary>
/// Property-based agreement between the SDK's validator and the emulator's independent parser (the oracle of what
/// the service accepts): 10,000 generated add and delete commands, seeded and reproducible. Every command goes through
/// the emulator's parser; a seeded sample goes through the real client to an emulator over HTTP.
/// </summary>
public sealed class LineageValidationFuzzTests(ITestOutputHelper output)
{
    /// <summary>The fixed seed; a failure prints it (and FsCheck's replay) together with the failing command.</summary>
    private const ulong Seed = 0x13_2026_0613UL;
    private const int Cases = 10_000;
    private const int HttpEvery = 32;
    private const long Tenant = 300001234;

    private static readonly HashSet<string> KnownRules = typeof(DataphinValidationRules)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);

    [Fact]
    public async Task Client_valid_commands_are_accepted_by_the_emulator_and_client_invalid_ones_name_a_rule_the_emulator_also_enforces()
    {
        var cases = 0;
        var valid = 0;
        var rules = new Dictionary<string, int>(StringComparer.Ordinal);
        var sample = new List<FuzzCase>();
        var property = Prop.ForAll(Arb.From(Generators.Case()), (FuzzCase fuzz) =>
        {
            fuzz.Index = cases++;
            var errors = CheckAgainstParser(fuzz);
            if (errors.Count == 0)
            {
                valid++;
            }

            foreach (var rule in errors.Select(e => e.Rule).Distinct())
            {
                rules[rule] = rules.GetValueOrDefault(rule) + 1;
            }

            if (fuzz.Index % HttpEvery == 0)
            {
                sample.Add(fuzz);
            }
        });

        var config = Config.QuickThrowOnFailure
            .WithMaxTest(Cases)
            .WithQuietOnSuccess(true)
            .WithName($"lineage validation fuzz, seed 0x{Seed:X}")
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(Seed), FSharpOption<int>.None)));
        Check.One(config, property);

        output.WriteLine($"seed 0x{Seed:X}: {cases} cases, {valid} client-valid, {cases - valid} client-invalid; commands per rule: "
            + string.Join(", ", rules.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value}")));

        // The generator must exercise both sides and every rule of a lineage command, or the property proves little.
        Assert.Equal(Cases, cases);
        Assert.InRange(valid, Cases / 5, Cases * 4 / 5);
        // Malformed is a manifest rule, TooLarge is checked on the encoded body when a call is made: neither is a rule of the command validator.
        foreach (var rule in KnownRules.Where(r => r is not (DataphinValidationRules.Malformed or DataphinValidationRules.TooLarge)))
        {
            Assert.True(rules.GetValueOrDefault(rule) >= 20, $"The generator produced only {rules.GetValueOrDefault(rule)} commands breaking {rule} (seed 0x{Seed:X}).");
        }

        await SendSampleOverHttpAsync(sample);
    }

    /// <summary>The property for one command, against the emulator's parser; returns the client's errors.</summary>
    private static IReadOnlyList<DataphinValidationError> CheckAgainstParser(FuzzCase fuzz)
    {
        var errors = LineageCommandValidator.Validate(Tenant, fuzz.Command);
        var field = fuzz.Command is AddRegisterLineageCommand ? "AddRegisterLineageCommand" : "DeleteRegisterLineageCommand";
        if (errors.Count == 0)
        {
            // Exactly the JSON the client sends.
            var json = DataphinJson.Serialize(fuzz.Command);
            Assert.DoesNotContain("\\uFFFD", json, StringComparison.OrdinalIgnoreCase);
            var rejection = LineageCommandParser.Parse(field, json, out var parsed);
            if (rejection is not null)
            {
                Assert.Fail($"{fuzz}: the client found no problem, but the emulator answered {rejection.Code}: {rejection.Message}");
            }

            Assert.Equal(fuzz.Command.DetailedLineages.Count, parsed!.FieldLineages.Count);
            return errors;
        }

        foreach (var error in errors)
        {
            if (error.Path.Length == 0 || !KnownRules.Contains(error.Rule) || !error.Message.Contains(error.Path, StringComparison.Ordinal) || error.Message.Any(char.IsSurrogate))
            {
                Assert.Fail($"{fuzz}: an error without a path, with an unknown rule, or with a message that does not name its path or holds a surrogate: {error}");
            }
        }

        // The command as written, unpaired surrogates included, reaches the emulator, which must refuse it and name
        // every field the client named.
        var rejected = LineageCommandParser.Parse(field, Generators.FaithfulJson(fuzz.Command), out _);
        if (rejected is null)
        {
            Assert.Fail($"{fuzz}: the client reported [{string.Join("; ", errors)}], but the emulator accepted the command.");
        }

        Assert.Equal(400, rejected.Status);
        Assert.Equal("InvalidParameter", rejected.Code);
        foreach (var error in errors)
        {
            if (!rejected.Message.Contains($"{field}.{error.Path} ", StringComparison.Ordinal))
            {
                Assert.Fail($"{fuzz}: the client reported {error}, but the emulator's answer does not name {error.Path}: {rejected.Message}");
            }
        }

        return errors;
    }

    private async Task SendSampleOverHttpAsync(List<FuzzCase> sample)
    {
        await using var emulator = await DataphinEmulator.StartAsync(new DataphinEmulatorOptions { Quotas = EmulatorQuotas.Disabled });
        using var client = Lineages.Client(emulator, configure: options =>
        {
            Lineages.SingleAttempt(options);
            options.RateLimit.Enabled = false;
        });

        var sent = 0;
        foreach (var fuzz in sample)
        {
            var expected = LineageCommandValidator.Validate(emulator.DefaultTenantId, fuzz.Command);
            var before = emulator.RequestsReceived;
            Task<DataphinResponse> Send() => fuzz.Command switch
            {
                AddRegisterLineageCommand add => client.AddRegisterLineageAsync(emulator.DefaultTenantId, add),
                DeleteRegisterLineageCommand delete => client.DeleteRegisterLineageAsync(emulator.DefaultTenantId, delete),
                _ => throw new InvalidOperationException(),
            };

            if (expected.Count == 0)
            {
                try
                {
                    var response = await Send();
                    Assert.Equal("OK", response.Code);
                }
                catch (DataphinException error)
                {
                    Assert.Fail($"{fuzz}: the client found no problem, but the emulator refused it over HTTP: {error.Message}");
                }

                if (!emulator.Requests[^1].Applied)
                {
                    Assert.Fail($"{fuzz}: accepted but not applied.");
                }

                sent++;
            }
            else
            {
                var error = await Assert.ThrowsAsync<DataphinValidationException>(Send);
                Assert.Equal(expected.Select(e => e.ToString()), error.Errors.Select(e => e.ToString()));
                if (emulator.RequestsReceived != before)
                {
                    Assert.Fail($"{fuzz}: an invalid command was sent.");
                }
            }
        }

        output.WriteLine($"over HTTP: {sample.Count} sampled commands, {sent} sent and accepted, {sample.Count - sent} refused by the client before sending.");
        Assert.InRange(sent, sample.Count / 5, sample.Count * 4 / 5);
    }

    /// <summary>A generated command; printed (with the seed) when the property fails.</summary>
    public sealed class FuzzCase(LineageCommand command)
    {
        public LineageCommand Command { get; } = command;

        public int Index { get; set; }

        public override string ToString()
            => $"case #{Index} (seed 0x{Seed:X}) {Command.OperationName} {Ascii(Generators.FaithfulJson(Command))}";

        private static string Ascii(string json)
        {
            var text = new StringBuilder(json.Length);
            foreach (var c in json)
            {
                if (c is >= ' ' and <= '~')
                {
                    text.Append(c);
                }
                else
                {
                    text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                }
            }

            return text.ToString();
        }
    }

    /// <summary>
    /// The generators. A case draws a corruption weight: 0 (a clean command, though with tricky valid text: inner
    /// white space, CJK, emoji, blank optional names, unknown values of the open value sets), or a few per thousand up
    /// to one in ten per slot; every slot (a name, a value-set value, a reference, a map entry...) is then bad with
    /// that weight. The generators of each weight are built once (generation stays cheap: 10,000 cases in seconds).
    /// </summary>
    private sealed class Generators
    {
        private static readonly char[] WordChars = "abcdefghijklmnopqrstuvwxyz0123456789_".ToCharArray();

        private static readonly string[] SubTypes =
        [
            "PHYSICAL_TABLE", "PHYSICAL_VIEW", "PHYSICAL_MATERIALIZED_VIEW", "DATASOURCE_TABLE", "DATASOURCE_VIEW",
            "DATASOURCE_MATERIALIZED_VIEW", "DIM_NORMAL", "DIM_LEVEL", "DIM_ENUM", "DIM_VIRTUAL", "FACT_EVENT",
            "FACT_PROCESS", "FACT_SNAPSHOT", "SUM_BIZ_UNIT",
        ];

        /// <summary>A word of 1 to 8 characters of <c>[a-z0-9_]</c>, drawn as one number (one draw per word keeps generation fast).</summary>
        private static readonly Gen<string> Word = Gen.Choose(0, int.MaxValue).Select(ToWord);

        /// <summary>Names the client accepts: plain, with inner white space, CJK, an emoji (a valid surrogate pair), long.</summary>
        private static readonly Gen<string> GoodName = Gen.Frequency(
            (12, Word),
            (1, Word.Select(w => w + " " + w)),
            (1, Word.Select(w => "表_" + w)),
            (1, Word.Select(w => w + "\U0001F600")),
            (1, Word.Select(w => w + "\u00E9t\u00E9")),
            (1, Gen.Choose(60, 200).Select(n => new string('x', n))));

        /// <summary>Names with white space around them, control characters, or unpaired surrogates (never U+FFFD itself).</summary>
        private static readonly Gen<string> BadName = Gen.OneOf(
            Word.Select(w => " " + w),
            Word.Select(w => w + "\t"),
            Word.Select(w => w + "\u3000"),
            Word.Select(w => "\u00A0" + w),
            Word.Select(w => w + "\u0001" + w),
            Word.Select(w => w + "\u007F"),
            Word.Select(w => w + "\u0085" + w),
            Word.Select(w => w + "\n" + w),
            Word.Select(w => w + "\uD800"),
            Word.Select(w => "\uDC00" + w),
            Word.Select(w => w + "\uDBFF\uDBFF" + w),
            Word.Select(w => w + "\uDE00\uD83D"),
            Gen.Elements("\uDFFF", "\uD83D"));

        private static readonly Gen<string> Blank = Gen.Elements(string.Empty, " ", "\t", "\u3000", "  ");

        private static readonly Gen<string?> NoText = Gen.Constant<string?>(null);

        private static readonly Generators[] ByWeight = [new(0), new(4), new(12), new(30), new(100)];

        private readonly int _weight;
        private readonly Gen<AssetReference?> _table;
        private readonly Gen<AssetReference?> _field;
        private readonly Gen<Dictionary<string, JsonNode?>> _map;

        private Generators(int weight)
        {
            _weight = weight;
            _map = BuildMap();
            _table = Reference(isField: false);
            _field = Reference(isField: true);
            var lineage =
                from source in Slot(_field, Gen.Constant<AssetReference?>(null))
                from target in Slot(_field, Gen.Constant<AssetReference?>(null))
                from direct in Gen.Elements<bool?>(null, true, false)
                from missing in Slot(weight / 4, Gen.Constant(false), Gen.Constant(true))
                select missing ? null! : new FieldLineage { Source = source, Target = target, IsDirect = direct };
            var counts = Slot(
                weight == 0 ? 0 : 12,
                Gen.Frequency((80, Gen.Choose(0, 3)), (15, Gen.Choose(4, 15)), (5, Gen.Choose(16, 100))),
                Gen.Choose(101, 120));
            var common =
                from source in Slot(_table, Gen.Constant<AssetReference?>(null))
                from target in Slot(_table, Gen.Constant<AssetReference?>(null))
                from tenant in Slot(Gen.Elements<long?>(null, Tenant, 1, long.MaxValue), Gen.Elements<long?>(0, -1, long.MinValue))
                from user in Slot(Maybe(Gen.OneOf(Word, Gen.Constant("300004567")), 30), Gen.OneOf(BadName, Blank).Select(u => (string?)u))
                from count in counts
                from lineages in Gen.ListOf(lineage, count)
                select new Common(source, target, tenant, user, lineages);
            var relations = Gen.Frequency((7, Gen.Constant<Dictionary<string, JsonNode?>?>(null)), (3, _map.Select(m => (Dictionary<string, JsonNode?>?)m)));
            var add =
                from c in common
                from check in Gen.Elements<bool?>(null, true, false)
                from relation in relations
                select (LineageCommand)Fill(new AddRegisterLineageCommand { CheckAssetExist = check, RelationProperties = relation ?? new Dictionary<string, JsonNode?>() }, c);
            var delete =
                from c in common
                from cascade in Gen.Elements<bool?>(null, true, false)
                select (LineageCommand)Fill(new DeleteRegisterLineageCommand { CascadeDeleteLineage = cascade }, c);
            Command = Gen.OneOf(add, delete);
        }

        private Gen<LineageCommand> Command { get; }

        public static Gen<FuzzCase> Case() =>
            from generators in Gen.Frequency((8, Gen.Constant(ByWeight[0])), (3, Gen.Constant(ByWeight[1])), (3, Gen.Constant(ByWeight[2])), (3, Gen.Constant(ByWeight[3])), (3, Gen.Constant(ByWeight[4])))
            from command in generators.Command
            select new FuzzCase(command);

        private static string ToWord(int number)
        {
            Span<char> chars = stackalloc char[8];
            var length = 1 + (number & 7);
            number >>= 3;
            for (var i = 0; i < length; i++)
            {
                chars[i] = WordChars[number % WordChars.Length];
                number = (number / WordChars.Length) ^ (i * 7919);
            }

            return new string(chars[..length]);
        }

        /// <summary>The JSON of a command as written: the SDK's JSON, with each unpaired surrogate (which the JSON writer turns into U+FFFD) escaped as one again.</summary>
        public static string FaithfulJson(LineageCommand command)
            => DataphinJson.Serialize(command)
                .Replace("\\uFFFD", "\\uDC00", StringComparison.Ordinal)
                .Replace("\uFFFD", "\\uDC00", StringComparison.Ordinal);

        private static Gen<string?> Maybe(Gen<string> value, int presentPercent)
            => Gen.Frequency((presentPercent, value.Select(v => (string?)v)), (100 - presentPercent, NoText));

        private static T Fill<T>(T command, Common common)
            where T : LineageCommand
        {
            command.Source = common.Source;
            command.Target = common.Target;
            command.TenantId = common.TenantId;
            command.UserId = common.UserId;
            command.DetailedLineages = common.Lineages;
            return command;
        }

        private static AssetReference Build(string? referenceType, string? metadataType, string? guid, string? name, string? schema, string? catalog, string? parentGuid, string? env, string? subType, Dictionary<string, JsonNode?>? ext)
        {
            // "\0default" stands for the struct's default value: not set (ReferenceType and MetadataType are then
            // omitted from the JSON, Env and MetadataSubType written as null).
            var reference = new AssetReference { Guid = guid, Name = name, Schema = schema, Catalog = catalog, ParentGuid = parentGuid, ExtProperties = ext };
            if (referenceType is not (null or "\0default"))
            {
                reference.ReferenceType = referenceType;
            }

            if (metadataType is not (null or "\0default"))
            {
                reference.MetadataType = metadataType;
            }

            reference.Env = env switch { null => (DataphinEnvironment?)null, "\0default" => default(DataphinEnvironment), _ => new DataphinEnvironment(env) };
            reference.MetadataSubType = subType switch { null => (MetadataSubType?)null, "\0default" => default(MetadataSubType), _ => new MetadataSubType(subType) };
            return reference;
        }

        /// <summary>Good with weight 1000 - w, bad with w (per thousand), w the case's corruption weight.</summary>
        private Gen<T> Slot<T>(Gen<T> good, Gen<T> bad) => Slot(_weight, good, bad);

        private static Gen<T> Slot<T>(int weight, Gen<T> good, Gen<T> bad)
            => weight == 0 ? good : Gen.Frequency((1000 - weight, good), (weight, bad));

        private Gen<AssetReference?> Reference(bool isField)
        {
            var byGuid = Shape(isField, byGuid: true);
            var byProperty = Shape(isField, byGuid: false);
            return Gen.OneOf(byGuid, byProperty);
        }

        private Gen<AssetReference?> Shape(bool isField, bool byGuid)
        {
            var referenceType = ValueSet(byGuid ? "BY_GUID" : "BY_PROPERTY", closedOthers: ["BY_FOO", "GUID", "PROPERTY", "BY_GUID\u0000", byGuid ? "BY_PROPERTY" : "BY_GUID"], unknownGood: []);
            var metadataType = ValueSet(isField ? "COLUMN" : "TABLE", closedOthers: [], unknownGood: ["BI_DATASET", "VIEW"]);
            var blankOrNone = Gen.Frequency((9, NoText), (1, Blank.Select(b => (string?)b)));
            var badOrBlank = Gen.OneOf(BadName, Blank).Select(g => (string?)g).Or(NoText);
            var guid = byGuid
                ? Slot(Word.Select(w => (string?)("odps.300001234.p." + w)), badOrBlank)
                : Slot(blankOrNone, BadName.Select(g => (string?)g));
            var name = byGuid
                ? Slot(blankOrNone, BadName.Select(n => (string?)n))
                : Slot(GoodName.Select(n => (string?)n), badOrBlank);
            var schema = Slot(Maybe(Gen.OneOf(Word, GoodName, Blank), byGuid ? 5 : 60), BadName.Select(v => (string?)v));
            var catalog = Slot(Maybe(Gen.Elements("dataphin", "pg_warehouse", " "), byGuid ? 5 : 50), BadName.Select(v => (string?)v));
            var parentGuid = isField
                ? Slot(Maybe(Word.Select(w => "odps.300001234.p." + w), 40), BadName.Select(v => (string?)v))
                : Slot(NoText, Gen.OneOf(Word, BadName).Select(v => (string?)v));
            var env = Slot(
                Maybe(Gen.Elements("DEV", "PROD", "STAGING"), 40),
                Gen.OneOf(Gen.Elements("prod", "Dev", " PROD", "DEV\n", "STAGING "), Blank, BadName).Select(e => (string?)e).Or(Gen.Constant<string?>("\0default")));
            var subType = isField || byGuid
                ? Slot(NoText, Gen.Elements(SubTypes).Select(v => (string?)v))
                : Slot(
                    Maybe(Gen.Frequency((9, Gen.Elements(SubTypes)), (1, Gen.Elements("EXTERNAL_TABLE", "BI_FUTURE"))), 50),
                    Gen.OneOf(Gen.Elements("physical_table", "Dim_Normal", "PHYSICAL_VIEW ", " FACT_EVENT"), Blank, BadName).Select(v => (string?)v).Or(Gen.Constant<string?>("\0default")));
            var ext = Gen.Frequency((19, Gen.Constant<Dictionary<string, JsonNode?>?>(null)), (1, _map.Select(m => (Dictionary<string, JsonNode?>?)m)));
            return from t in referenceType
                   from m in metadataType
                   from g in guid
                   from n in name
                   from s in schema
                   from c in catalog
                   from p in parentGuid
                   from e in env
                   from st in subType
                   from x in ext
                   select (AssetReference?)Build(t, m, g, n, s, c, p, e, st, x);
        }

        /// <summary>
        /// A value-set value: the canonical one (or an unknown one the open sets accept), or when bad a case
        /// variant, a padded, blank or unpaired-surrogate form, another closed-set word, or none at all.
        /// </summary>
        private Gen<string?> ValueSet(string canonical, string[] closedOthers, string[] unknownGood)
        {
            var good = unknownGood.Length == 0
                ? Gen.Constant<string?>(canonical)
                : Gen.Frequency((19, Gen.Constant<string?>(canonical)), (1, Gen.Elements(unknownGood).Select(u => (string?)u)));
            var variants = new List<string> { canonical.ToLowerInvariant(), char.ToUpperInvariant(canonical[0]) + canonical[1..].ToLowerInvariant(), " " + canonical, canonical + " ", canonical + "\t", canonical + "\uD800" };
            variants.AddRange(closedOthers);
            var bad = Gen.OneOf(Gen.Elements(variants.ToArray()), Blank, Gen.Constant("\0default")).Select(v => (string?)v);
            return Slot(good, bad);
        }

        /// <summary>A free-form map (ExtProperties, RelationProperties): strings, numbers, booleans, nested objects and arrays.</summary>
        private Gen<Dictionary<string, JsonNode?>> BuildMap()
        {
            var key = Slot(Word, BadName);
            var leafText = Slot(Gen.OneOf(GoodName, Blank), BadName).Select(s => (JsonNode?)JsonValue.Create(s));
            var leaf = Gen.OneOf(
                leafText,
                leafText,
                Gen.Choose(-5, 1000).Select(n => (JsonNode?)JsonValue.Create(n)),
                Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b)),
                Gen.Constant(0).Select(_ => (JsonNode?)null));
            var nested = Gen.Frequency(
                (4, leaf),
                (1, from k in key from v in leaf select (JsonNode?)new JsonObject { [k] = v }),
                (1, from items in Gen.ListOf(leaf, 2) select (JsonNode?)new JsonArray(items.ToArray())));
            var value = Gen.Frequency(
                (4, nested),
                (1, from k in key from v in nested select (JsonNode?)new JsonObject { [k] = v }),
                (1, from items in Gen.ListOf(nested, 2) select (JsonNode?)new JsonArray(items.ToArray())));
            var entry = from k in key from v in value select (k, v);
            return from count in Gen.Choose(1, 3)
                   from entries in Gen.ListOf(entry, count)
                   select entries.GroupBy(e => e.k, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().v, StringComparer.Ordinal);
        }
    }

    private sealed record Common(AssetReference? Source, AssetReference? Target, long? TenantId, string? UserId, List<FieldLineage> Lineages);
}
