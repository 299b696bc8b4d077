namespace Dataphin.OpenApi;

/// <summary>
/// A credential source is set up for a RAM role (ECS instance RAM role, RAM role ARN, OIDC role ARN, or the
/// <c>aliyun</c> CLI modes EcsRamRole, RamRoleArn, ChainableRamRoleArn, OIDC). The Dataphin OpenAPI does not accept
/// RAM roles: only the AccessKey of a RAM user or of the account, or a key issued by a semi-managed Dataphin, can call
/// it. The role is refused here, before any request, rather than failing later with an authorization error.
/// </summary>
public sealed class DataphinRamRoleNotSupportedException : DataphinCredentialException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="credentialSource">The source, e.g. <c>credentials file /home/me/.alibabacloud/credentials, section [default]</c>.</param>
    /// <param name="profileType">The type or mode found, e.g. <c>ram_role_arn</c> or <c>EcsRamRole</c>.</param>
    /// <param name="fix">What to use instead, for this kind of source.</param>
    public DataphinRamRoleNotSupportedException(string credentialSource, string profileType, string fix)
        : base(credentialSource, $"it is set up for a RAM role ({profileType}), and the Dataphin OpenAPI does not accept RAM roles: only the AccessKey of a RAM user or of the account (or a key issued by a semi-managed Dataphin) can call it. {fix}")
    {
        ProfileType = profileType;
    }

    /// <summary>The role type or mode found, e.g. <c>ram_role_arn</c>, <c>ecs_ram_role</c>, <c>oidc_role_arn</c>, <c>EcsRamRole</c>.</summary>
    public string ProfileType { get; }
}
