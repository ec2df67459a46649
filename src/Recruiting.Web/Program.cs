using Recruiting.Core;
using Recruiting.Infrastructure;
using Recruiting.Infrastructure.Setup;
using Recruiting.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
var dataDirectory = DataDirectory.From(builder.Configuration, builder.Environment.ContentRootPath);

builder.Services
    .AddRecruitingCore(builder.Configuration)
    .AddRecruitingInfrastructure(builder.Configuration, dataDirectory)
    .AddRecruitingWeb();

var app = builder.Build();
await app.PrepareAsync();
app.UseRecruitingPipeline();
await app.RunAsync();

public partial class Program;
