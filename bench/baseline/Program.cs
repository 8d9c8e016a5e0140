// The bare reference: a minimal API with stock JwtBearer settings (Authority + Audience), nothing else.
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
{
    o.Authority = $"https://{builder.Configuration["AUTH0_DOMAIN"]}/";
    o.Audience = builder.Configuration["AUTH0_AUDIENCE"];
});
builder.Services.AddAuthorizationBuilder().AddPolicy("read:messages", p => p.RequireClaim("scope", "read:messages"));
var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapGet("/health", () => new { status = "healthy" });
app.MapGet("/api/public", () => new { message = "Public endpoint - no authentication required" });
app.MapGet("/api/private", (ClaimsPrincipal user) => new { message = "Private endpoint", user = user.FindFirstValue(ClaimTypes.NameIdentifier) })
    .RequireAuthorization();
app.MapGet("/api/messages", () => new { messages = new[] { new { id = 1, text = "Hello from the API!" } } })
    .RequireAuthorization("read:messages");
app.Run($"http://127.0.0.1:{builder.Configuration["PORT"] ?? "3000"}");
