namespace MySecureApi.Infrastructure.Auth.Access;

/// <summary>An access rule an endpoint declares beyond scopes and named claim rules (e.g. a resource rule); the API documentation lists it.</summary>
public interface IDescribedAccessRule
{
    string Description { get; }
}
