using CollabCanvas.Server.Access;
using CollabCanvas.Server.Ai;
using CollabCanvas.Server.Backend;
using CollabCanvas.Server.Canvases;
using CollabCanvas.Server.Auth;
using CollabCanvas.Server.Features;
using CollabCanvas.Server.History;
using CollabCanvas.Server.Observability;
using CollabCanvas.Server.Realtime;
using CollabCanvas.Server.Web;

var builder = WebApplication.CreateBuilder(args);
if (await BackendExtensions.RunCommandAsync(args, builder.Configuration) is { } exitCode) return exitCode;

builder.Services.AddHttpSecurity(builder.Configuration);
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.AddBackend(builder.Configuration);
builder.Services.AddSignIn(builder.Configuration);
builder.Services.AddFeatureFlags(builder.Configuration);
builder.Services.AddAccess();
builder.Services.AddCanvases();
builder.Services.AddRealtime(builder.Configuration);
builder.Services.AddAi(builder.Configuration);
builder.Services.AddHistory();
builder.Services.AddHealth(builder.Configuration);

var app = builder.Build();

app.Services.PrepareBackend();
app.UseHttpSecurity();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseSignIn();
app.UseWebSockets();
app.UseEditor();

app.MapOpenApi();
app.MapHealth();
app.MapSignIn();
app.MapFeatures();
app.MapCanvases();
app.MapRealtime();
app.MapAi();
app.MapHistory();
app.MapEditor();

app.Run();
return 0;
