using System.IO.Compression;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Recruiting.Core.Applications;
using Recruiting.Core.Consent;
using Recruiting.Core.Data;
using Recruiting.Core.Identity;
using Recruiting.Core.Privacy;
using Recruiting.Core.Retention;
using Recruiting.Core.Rights;
using Recruiting.Core.Review;
using Recruiting.Core.Storage;
using Recruiting.IntegrationTests.Fixtures;

namespace Recruiting.IntegrationTests.Rights;

/// <summary>
/// No personal-data field is left out of the access export: every text field the personal-data registry marks, planted with a unique
/// marker in one applicant's rows, comes back in data.json at the path the export contract names for it.
/// A newly marked field fails here until this test plants it and the export carries it.
/// </summary>
public sealed class ExportPersonalDataTests : IDisposable
{
    private readonly PortalFactory _portal = new();

    public void Dispose() => _portal.Dispose();

    [Fact]
    public async Task Every_marked_text_field_of_the_applicant_is_in_data_json_where_the_contract_says()
    {
        var postingId = await _portal.CreatePostingAsync("Marker posting");
        var (_, applicationId) = await _portal.ApplyAsync(postingId, "marker@example.test");
        var recruiter = await _portal.CreateStaffAsync(Roles.Recruiter);
        var now = DateTimeOffset.UtcNow;

        // One row of every kind the applicant can have, then a marker in every marked text field of those rows.
        var planted = new Dictionary<string, string>();
        var requestId = await _portal.WithDbAsync(async db =>
        {
            var applicant = await db.Applicants.SingleAsync();
            db.Notes.Add(RecruiterNote.Write(applicationId, recruiter.Id, "placeholder", now));
            db.Consents.Add(ConsentRecord.Give(applicant.Id, applicationId, ConsentPurpose.TalentPool, now));
            db.LegalHolds.Add(LegalHold.OnApplicant(applicant.Id, "placeholder", recruiter.Id, now));
            var answered = DataSubjectRequest.File(RequestType.Question, applicant.Id, now, details: "placeholder");
            answered.Extend(now.AddMonths(2), "placeholder", now);
            answered.Complete(now, answer: "placeholder");
            db.Requests.Add(answered);
            var access = DataSubjectRequest.File(RequestType.Access, applicant.Id, now);
            access.MarkEnqueued(now); // the test runs the job itself
            db.Requests.Add(access);
            await db.SaveChangesAsync();

            var rows = new List<object> { applicant, await db.Users.SingleAsync(u => u.Id == applicant.UserId) };
            rows.AddRange(await db.Applications.Where(a => a.ApplicantId == applicant.Id).ToListAsync());
            rows.AddRange(await db.Documents.Where(d => d.ApplicationId == applicationId).ToListAsync());
            rows.AddRange(await db.Notes.Where(n => n.ApplicationId == applicationId).ToListAsync());
            rows.AddRange(await db.Requests.Where(r => r.ApplicantId == applicant.Id).ToListAsync());
            rows.AddRange(await db.LegalHolds.Where(h => h.ApplicantId == applicant.Id).ToListAsync());
            rows.AddRange(await db.Consents.Where(c => c.ApplicantId == applicant.Id).ToListAsync());
            foreach (var row in rows)
            {
                var entry = db.Entry(row);
                foreach (var property in entry.Metadata.GetProperties().Where(p => PersonalData.IsPersonal(p) && p.ClrType == typeof(string)))
                {
                    var key = $"{entry.Metadata.DisplayName()}.{property.Name}";
                    var marker = planted.GetValueOrDefault(key) ?? $"MARK{planted.Count:D2}{Guid.NewGuid():N}";
                    planted[key] = marker;
                    entry.Property(property.Name).CurrentValue = marker;
                }
            }
            await db.SaveChangesAsync();
            return access.Id;
        });

        // Every marked text field of the model was planted: a new one needs a row above.
        var marked = await _portal.WithDbAsync(db => Task.FromResult(PersonalData.Properties(db.Model)
            .Where(x => x.Property.ClrType == typeof(string))
            .Select(x => $"{x.Entity.DisplayName()}.{x.Property.Name}")
            .Where(key => !ExportContract.NotExported.ContainsKey(key))
            .ToHashSet()));
        Assert.True(marked.SetEquals(planted.Keys),
            "Plant a marker for: " + string.Join(", ", marked.Except(planted.Keys)));

        await using (var scope = _portal.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<ExportJob>().RunAsync(requestId, CancellationToken.None);

        var blobName = await _portal.WithDbAsync(db => db.Requests.Where(r => r.Id == requestId).Select(r => r.ExportBlobName).SingleAsync());
        await using var blob = await _portal.Services.GetRequiredService<IBlobStore>().OpenReadAsync(blobName!);
        using var zip = new ZipArchive(blob!, ZipArchiveMode.Read);
        var json = ExportTests.Read(zip, "data.json");
        using var data = JsonDocument.Parse(json);

        var missing = new List<string>();
        foreach (var (key, marker) in planted)
        {
            var path = ExportContract.PersonalDataPaths[key];
            if (!ValuesAt(data.RootElement, path).Any(v => v.ValueKind == JsonValueKind.String && v.GetString()!.Contains(marker)))
                missing.Add($"{key} (expected at {path})");
        }
        Assert.True(missing.Count == 0, "Missing from data.json: " + string.Join(", ", missing));

        // The author of the note is a role, never a person.
        var recruiterEmail = recruiter.Email;
        Assert.DoesNotContain(recruiterEmail, json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(recruiter.Id.ToString(), json, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(Roles.Recruiter, ValuesAt(data.RootElement, "applications[].recruiterNotes[].authorRole").Single().GetString());
    }

    /// <summary>The values at a contract path such as "applications[].documents[].originalName".</summary>
    internal static IEnumerable<JsonElement> ValuesAt(JsonElement root, string path)
    {
        IEnumerable<JsonElement> current = [root];
        foreach (var part in path.Split('.'))
        {
            var name = part.TrimEnd('[', ']');
            current = current.Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out _))
                .Select(e => e.GetProperty(name));
            if (part.EndsWith("[]"))
                current = current.Where(e => e.ValueKind == JsonValueKind.Array).SelectMany(e => e.EnumerateArray());
        }
        return current.ToList();
    }
}
