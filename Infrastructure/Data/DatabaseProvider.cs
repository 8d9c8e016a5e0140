namespace MySecureApi.Infrastructure.Data;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSQL,
}
