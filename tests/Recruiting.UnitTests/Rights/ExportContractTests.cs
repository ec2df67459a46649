using System.Collections;
using System.Reflection;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Recruiting.Core.Data;
using Recruiting.Core.Privacy;
using Recruiting.Core.Rights;

namespace Recruiting.UnitTests.Rights;

/// <summary>
/// No personal-data field is left out of the export: every field the personal-data registry marks has a place in data.json (or is
/// listed as not exported, with the reason), and every place the contract names is a real field of data.json's records.
/// </summary>
public sealed class ExportContractTests
{
    private static RecruitingDbContext Context() => new(Recruiting.Migrations.Sqlite.DesignTimeDbContextFactory.Options());

    private static HashSet<string> Registry()
    {
        using var db = Context();
        return PersonalData.Properties(db.Model).Select(x => $"{x.Entity.DisplayName()}.{x.Property.Name}").ToHashSet();
    }

    [Fact]
    public void Every_marked_personal_data_field_has_a_path_in_data_json_or_a_reason_it_is_left_out()
    {
        var unmapped = Registry()
            .Where(key => !ExportContract.PersonalDataPaths.ContainsKey(key) && !ExportContract.NotExported.ContainsKey(key))
            .ToList();
        Assert.True(unmapped.Count == 0,
            "Add these marked fields to data.json and to ExportContract.PersonalDataPaths (or to NotExported with a reason): "
            + string.Join(", ", unmapped));
    }

    [Fact]
    public void The_contract_names_only_fields_the_registry_marks()
    {
        var registry = Registry();
        var stale = ExportContract.PersonalDataPaths.Keys.Concat(ExportContract.NotExported.Keys).Where(k => !registry.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "Not in the personal-data registry any more: " + string.Join(", ", stale));
        Assert.All(ExportContract.NotExported.Values, reason => Assert.False(string.IsNullOrWhiteSpace(reason)));
    }

    [Fact]
    public void Every_contract_path_is_a_field_of_the_data_json_records()
    {
        var broken = ExportContract.PersonalDataPaths.Where(p => !Resolves(typeof(ExportData), p.Value)).Select(p => $"{p.Key} -> {p.Value}").ToList();
        Assert.True(broken.Count == 0, "These paths name no field of ExportData: " + string.Join(", ", broken));
    }

    [Fact]
    public void Data_json_is_camel_case_and_carries_its_format_version()
    {
        var json = JsonSerializer.Serialize(Sample(), ExportBuilder.Json);
        using var parsed = JsonDocument.Parse(json);
        Assert.Equal(ExportData.CurrentFormatVersion, parsed.RootElement.GetProperty("formatVersion").GetInt32());
        Assert.Equal("Åse Ødegård & co", parsed.RootElement.GetProperty("profile").GetProperty("fullName").GetString());
        Assert.Contains("\"Åse Ødegård & co\"", json); // readable, not \u-escaped
        Assert.True(parsed.RootElement.GetProperty("profile").GetProperty("account").TryGetProperty("emailConfirmed", out _));
    }

    [Fact]
    public void The_summary_encodes_every_value_and_names_transfers_outside_the_eu_eea()
    {
        var privacy = new PrivacyOptions
        {
            ControllerName = "Acme <b>AS</b>",
            SupervisoryAuthority = "DPA \"quoted\"",
            SubProcessors =
            [
                new SubProcessor { Name = "Hosting <script>", Purpose = "hosting", Location = "EU/EEA" },
                new SubProcessor { Name = "Mail Inc", Purpose = "mail", Location = "United States" },
            ],
        };
        var html = ExportSummary.Render(Sample(), privacy);
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<b>AS</b>", html);
        Assert.Contains("Acme &lt;b&gt;AS&lt;/b&gt;", html);
        Assert.Contains("DPA &quot;quoted&quot;", html);
        Assert.Contains("&lt;script&gt; alert", ExportSummary.Render(Sample() with
        {
            Applications = [Sample().Applications[0] with { PostingTitle = "<script> alert" }],
        }, privacy));
        Assert.Contains("Mail Inc (United States)", html);
        Assert.DoesNotContain("Hosting &lt;script&gt; (", html);
    }

    [Theory]
    [InlineData("cv.pdf", "cv.pdf")]
    [InlineData("Ada's CV (final).pdf", "Ada_s_CV_final_.pdf")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\Users\\ada\\cv.docx", "cv.docx")]
    [InlineData(".hidden", "hidden")]
    [InlineData("Søknad – Ødegård.odt", "Søknad_Ødegård.odt")]
    [InlineData("\u202Egpj.exe", "gpj.exe")]
    [InlineData("", "document")]
    public void Zip_names_are_safe(string original, string expected) => Assert.Equal(expected, ExportBuilder.SafeFileName(original));

    [Fact]
    public void Long_names_are_cut_keeping_the_extension() =>
        Assert.Equal(new string('a', 96) + ".pdf", ExportBuilder.SafeFileName(new string('a', 300) + ".pdf"));

    [Fact]
    public void Staff_sign_in_names_in_a_note_are_taken_out() =>
        Assert.Equal("Called her with [staff member] on Monday.",
            ExportBuilder.Redact("Called her with Kari@Staff.example on Monday.", ["kari@staff.example"]));

    private static ExportData Sample()
    {
        var at = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
        return new ExportData(ExportData.CurrentFormatVersion, at, Guid.NewGuid(),
            new ExportProfile("Åse Ødegård & co", "ase@example.test", "+47 1", null, at, at,
                new ExportAccount(Guid.NewGuid(), "ase@example.test", "ase@example.test", true, null, false, false, at, null, null, null)),
            [new ExportApplication(Guid.NewGuid(), Guid.NewGuid(), "Engineer", "Received", at, null, null, null, "Rule.", "v1",
                "Agreement", false, false, false, "Hello", [], [])],
            [], [], [], [], []);
    }

    /// <summary>Follows "a[].b.c" through the records' properties by their camelCase names; [] steps into a list's items.</summary>
    private static bool Resolves(Type type, string path)
    {
        foreach (var part in path.Split('.'))
        {
            var name = part.TrimEnd('[', ']');
            var property = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .SingleOrDefault(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name) == name);
            if (property is null)
                return false;
            type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (part.EndsWith("[]"))
            {
                if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type) || !type.IsGenericType)
                    return false;
                type = type.GetGenericArguments()[0];
            }
        }
        return true;
    }
}
