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
{
    await app.DisposeAsync(); // flushes the console logger's queue: the reason must reach the console before the exit
    return 1;
}
app.UseRecruitingPipeline();
await app.RunAsync();
return 0;

public partial class Program;
