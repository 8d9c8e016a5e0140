// The bare reference: a minimal API with stock JwtBearer settings (Authority + Audience), and for the messages scenarios
// EF Core doing the same insert and the same first-page select as MySecureApi, on the same kind of database with the
// same durability settings (SQLite: WAL, synchronous=FULL; PostgreSQL), without validation rules, ETags or idempotency.
// BENCH_CORS=1 adds MySecureApi's default CORS policy (any origin, its headers) so that both do the same CORS work.
using System.Data.Common;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
{
    o.Authority = $"https://{builder.Configuration["AUTH0_DOMAIN"]}/";
    o.Audience = builder.Configuration["AUTH0_AUDIENCE"];
});
var cors = builder.Configuration["BENCH_CORS"] == "1";
if (cors)
    builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.AllowAnyOrigin().AllowAnyMethod()
        .WithHeaders("Authorization", "Content-Type", "DPoP").WithExposedHeaders("WWW-Authenticate", "Retry-After", "DPoP-Nonce")));
builder.Services.AddAuthorizationBuilder()
    .AddPolicy("admin", p => p.RequireAssertion(c => c.User.FindFirstValue("scope")?.Split(' ').Contains("admin:access") == true
                                                      && c.User.IsInRole("admin")))
    .AddPolicy("read:messages", p => p.RequireAssertion(c => c.User.FindFirstValue("scope")?.Split(' ').Contains("read:messages") == true))
    .AddPolicy("write:messages", p => p.RequireAssertion(c => c.User.FindFirstValue("scope")?.Split(' ').Contains("write:messages") == true));
var sqlite = builder.Configuration["BENCH_SQLITE"];
var postgres = builder.Configuration["BENCH_POSTGRES"];
if (sqlite is not null || postgres is not null)
    builder.Services.AddDbContextPool<MessagesDb>(o =>
    {
        if (sqlite is not null)
            o.UseSqlite($"Data Source={sqlite}").AddInterceptors(new Durable());
        else
            o.UseNpgsql(postgres);
    });
var app = builder.Build();
if (cors)
    app.UseCors();
app.UseAuthentication();
app.UseAuthorization();
app.MapGet("/health", () => new { status = "healthy" });
app.MapGet("/api/public", () => new { message = "Public endpoint - no authentication required" });
app.MapGet("/api/private", (ClaimsPrincipal user) => new { message = "Private endpoint", user = user.FindFirstValue(ClaimTypes.NameIdentifier) })
    .RequireAuthorization();
app.MapGet("/api/admin", (ClaimsPrincipal user) => new { message = "Admin access granted", userId = user.FindFirstValue(ClaimTypes.NameIdentifier) })
    .RequireAuthorization("admin");
if (sqlite is null && postgres is null)
{
    app.MapGet("/api/messages", () => new { messages = new[] { new { id = 1, text = "Hello from the API!" } } })
        .RequireAuthorization("read:messages");
}
else
{
    using (var scope = app.Services.CreateScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<MessagesDb>();
        db.Database.EnsureCreated();
        if (sqlite is not null)
            db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
    }
    app.MapGet("/api/messages", async (MessagesDb db) =>
    {
        var page = await db.Messages.AsNoTracking().OrderBy(m => m.Id).Take(51).ToListAsync();
        return new { messages = page.Take(50), nextCursor = page.Count > 50 ? page[49].Id.ToString() : null };
    }).RequireAuthorization("read:messages");
    app.MapPost("/api/messages", async (MessageIn body, MessagesDb db, ClaimsPrincipal user) =>
    {
        var now = DateTime.UtcNow;
        var message = new Message { Text = body.Text.Trim(), Author = user.FindFirstValue(ClaimTypes.NameIdentifier)!, CreatedAt = now, UpdatedAt = now, Version = 1 };
        db.Messages.Add(message);
        await db.SaveChangesAsync();
        return Results.Created($"/api/messages/{message.Id}", message);
    }).RequireAuthorization("write:messages");
}
app.Run($"http://127.0.0.1:{builder.Configuration["PORT"] ?? "3000"}");

sealed record MessageIn(string Text);

sealed class Message
{
    public long Id { get; set; }
    public string Text { get; set; } = "";
    public string Author { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }
}

sealed class MessagesDb(DbContextOptions<MessagesDb> options) : DbContext(options)
{
    public DbSet<Message> Messages => Set<Message>();

    protected override void OnModelCreating(ModelBuilder model) => model.Entity<Message>(m =>
    {
        m.ToTable("messages");
        m.Property(x => x.Text).HasMaxLength(2000);
        m.Property(x => x.Version).IsConcurrencyToken();
    });
}

sealed class Durable : DbConnectionInterceptor
{
    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;";
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
        ConnectionOpenedAsync(connection, eventData).GetAwaiter().GetResult();
}
