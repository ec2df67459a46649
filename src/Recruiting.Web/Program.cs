using Recruiting.Core;
using Recruiting.Infrastructure;
using Recruiting.Infrastructure.Setup;
using Recruiting.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
var dataDirectory = DataDirectory.From(builder.Configuration, builder.Environment.ContentRootPath);

builder.Services
    .AddRecruitingCore(builder.Configuration)
    .AddRecruitingInfrastructure(builder.Configuration, dataDirectory)
    .AddRecruitingWeb(builder.Configuration);

var app = builder.Build();
if (args.Contains("migrate"))
    return await app.MigrateAsync();
if (!await app.PrepareAsync())
    return 1;
app.UseRecruitingPipeline();
await app.RunAsync();
return 0;

public partial class Program;
