namespace MySecureApi.Features.Org.GetOrg;

internal sealed class Request
{
    public string OrgId { get; set; } = "";
}
