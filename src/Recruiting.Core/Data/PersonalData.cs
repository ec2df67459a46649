using System.Reflection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Recruiting.Core.Data;

/// <summary>
/// The registry of personal-data fields, so that no field is left out of the export or the erasure: every entity
/// property marked with Identity's <see cref="PersonalDataAttribute"/> (or <see cref="ProtectedPersonalDataAttribute"/>).
/// Export and erasure derive from it.
/// </summary>
public static class PersonalData
{
    public static IReadOnlyList<(IEntityType Entity, IProperty Property)> Properties(IModel model) =>
        model.GetEntityTypes()
            .SelectMany(e => e.GetProperties().Select(p => (Entity: e, Property: p)))
            .Where(x => IsPersonal(x.Property))
            .ToList();

    public static bool IsPersonal(IProperty property) =>
        property.PropertyInfo?.GetCustomAttribute<PersonalDataAttribute>(inherit: true) is not null;
}
