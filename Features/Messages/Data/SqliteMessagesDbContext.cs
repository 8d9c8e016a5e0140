using Microsoft.EntityFrameworkCore;

namespace MySecureApi.Features.Messages.Data;

/// <summary>The messages store on SQLite (the default: a file under <c>data/</c>).</summary>
internal sealed class SqliteMessagesDbContext(DbContextOptions<SqliteMessagesDbContext> options) : MessagesDbContext(options);
