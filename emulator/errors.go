package emulator

import (
	"github.com/iamlocal/iamlocal/emulator/policy"
	"github.com/iamlocal/iamlocal/wire"
)

// Every AWS error text iamlocal answers with lives in this file; see
// ../shared/aws-facts.md for where each one comes from.

func noSuchUser(name string) error {
	return wire.Errorf("NoSuchEntity", "The user with name %s cannot be found.", name)
}

func userExists(name string) error {
	return wire.Errorf("EntityAlreadyExists", "User with name %s already exists.", name)
}

func noSuchGroup(name string) error {
	return wire.Errorf("NoSuchEntity", "The group with name %s cannot be found.", name)
}

func groupExists(name string) error {
	return wire.Errorf("EntityAlreadyExists", "Group with name %s already exists.", name)
}

// groupHasMembers is DeleteGroup's refusal while the group has members, and
// DeleteUser's while the user is in a group: AWS answers both with this one
// text (users posted it from real AWS for either call).
func groupHasMembers() error { return deleteConflict("remove users from group") }

// groupsQuota's quota name is not evidenced from AWS: it follows AWS's
// UsersPerAccount and GroupsPerUser.
func groupsQuota() error { return quotaExceeded("GroupsPerAccount", maxGroups) }

// noSuchInlinePolicy: kind is "user", "group" or "role". The group and
// role texts are recorded on AWS (aws-facts §4 Groups); the user text
// follows them and is what other emulators and users' scripts quote.
func noSuchInlinePolicy(kind, name string) error {
	return wire.Errorf("NoSuchEntity", "The %s policy with name %s cannot be found.", kind, name)
}

// inlinePolicySizeExceeded is AWS's text for a principal whose inline
// policies together pass their quota (real-aws-reports: users 2048,
// "for user <name>", e.g. aws-cli output quoted in danvk/mapsnap#483 and a
// CloudFormation event with status 409; groups 5120, "for group <name>",
// HumanCellAtlas/data-store#1963; roles 10240, aws-amplify/amplify-backend#2615).
func inlinePolicySizeExceeded(limit int, kind, name string) error {
	return wire.Errorf("LimitExceeded", "Maximum policy size of %d bytes exceeded for %s %s", limit, kind, name)
}

// malformedPolicyDocument answers a document the policy package refused,
// with its text (policy.Error's Message) verbatim.
func malformedPolicyDocument(message string) error {
	return wire.Errorf("MalformedPolicyDocument", "%s", message)
}

func noSuchAccessKey(id string) error {
	return wire.Errorf("NoSuchEntity", "The Access Key with id %s cannot be found.", id)
}

func quotaExceeded(quota string, limit int) error {
	return wire.Errorf("LimitExceeded", "Cannot exceed quota for %s: %d", quota, limit)
}

func deleteConflict(what string) error {
	return wire.Errorf("DeleteConflict", "Cannot delete entity, must %s first.", what)
}

func userNameRequired() error {
	return wire.Errorf("ValidationError", "Must specify userName when calling with non-User credentials")
}

func duplicateTagKeys() error {
	return wire.Errorf("InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
}

func invalidMarker() error {
	return wire.Errorf("ValidationError", "Invalid Marker.")
}

func notAuthorized(callerARN, action, resource string) error {
	return wire.Errorf("AccessDenied", "User: %s is not authorized to perform %s on resource: %s", callerARN, action, resource)
}

// accessDenied is AWS's denial by policy (aws-facts §4, §8), with reason
// from denialReason.
func accessDenied(callerARN, permission, resource, reason string) error {
	return wire.Errorf("AccessDenied", "User: %s is not authorized to perform: %s on resource: %s %s", callerARN, permission, resource, reason)
}

// denialReason is the end of AWS's denial text for the engine's reason.
// Verified on AWS: the identity-based ones and "because no permissions
// boundary allows"; the others follow their pattern.
func denialReason(r policy.Reason, permission string) string {
	switch r {
	case policy.DeniedNoIdentityAllow:
		return "because no identity-based policy allows the " + permission + " action"
	case policy.DeniedNoBoundaryAllow:
		return "because no permissions boundary allows the " + permission + " action"
	case policy.DeniedNoSessionAllow:
		return "because no session policy allows the " + permission + " action"
	case policy.DeniedNoResourceAllow:
		return "because no resource-based policy allows the " + permission + " action"
	}
	return r.String()
}

func boundaryNotAttachable(arn string) error {
	return wire.Errorf("NoSuchEntity", "Scope ARN: %s does not exist or is not attachable.", arn)
}

func invalidAccessKeyID() error {
	return wire.Errorf("InvalidParameterValue", "Invalid access key id")
}

func loginProfileExists(user string) error {
	return wire.Errorf("EntityAlreadyExists", "Login Profile for user %s already exists.", user)
}

func noSuchLoginProfile(user string) error {
	return wire.Errorf("NoSuchEntity", "Login Profile for User %s cannot be found.", user)
}

// passwordRequired is the required-member text for Password: the model
// makes every member of CreateLoginProfile optional (UserName may be the
// caller's own), yet a password must be given.
func passwordRequired() error {
	return wire.Errorf("ValidationError", "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null")
}

func passwordPolicyViolation() error {
	return wire.Errorf("PasswordPolicyViolation", "Password does not conform to the account password policy.")
}

func noPasswordPolicy(account string) error {
	return wire.Errorf("NoSuchEntity", "The Password Policy with domain name %s cannot be found.", account)
}

func noPasswordPolicyToDelete() error {
	return wire.Errorf("NoSuchEntity", "The account policy with name PasswordPolicy cannot be found.")
}

// The ChangePassword texts below are not evidenced from AWS (aws-facts §10):
// the codes and statuses follow the model and the common errors.

func invalidUserType() error {
	return wire.Errorf("InvalidUserType", "Only IAM users can change their own password.")
}

func wrongOldPassword() error {
	return wire.Errorf("AccessDenied", "The old password is incorrect.")
}

func passwordExpiredHard() error {
	return wire.Errorf("AccessDenied", "The password has expired and can only be reset by an administrator.")
}

func mfaDeviceExists() error {
	return wire.Errorf("EntityAlreadyExists", "MFA device already exists.")
}

func noSuchMFADevice(serial string) error {
	return wire.Errorf("NoSuchEntity", "MFA Device with serial number %s does not exist.", serial)
}

func mfaDeviceInUse() error {
	return wire.Errorf("EntityAlreadyExists", "MFA Device is already in use.")
}

func invalidAuthenticationCode() error {
	return wire.Errorf("InvalidAuthenticationCode", "Authentication code for device is not valid.")
}

func noSuchServerCertificate(name string) error {
	return wire.Errorf("NoSuchEntity", "The Server Certificate with name %s cannot be found.", name)
}

func serverCertificateExists(name string) error {
	return wire.Errorf("EntityAlreadyExists", "The Server Certificate with name %s already exists.", name)
}

// certificateUnparsable is AWS's answer for a body that is not a PEM
// certificate (real-aws-report). AWS answers a certificate not valid yet
// with a MalformedCertificate whose text its service team called
// misleading (aws-sdk-go#2586); iamlocal gives it this text too (inferred).
func certificateUnparsable() error {
	return wire.Errorf("MalformedCertificate", "Unable to parse certificate. Please ensure the certificate is in PEM format.")
}

func certificateExpired() error {
	return wire.Errorf("MalformedCertificate", "Certificate is no longer valid. The 'Not After' date restriction on the certificate has passed.")
}

// certificateChainInvalid: index is the chain entry that does not sign the
// one before it, -1 when the first does not sign the body (the texts are
// real-aws-reports; what the index counts is inferred).
func certificateChainInvalid(index int) error {
	return wire.Errorf("MalformedCertificate", "Unable to validate certificate chain. The certificate chain must start with the immediate signing certificate, followed by any intermediaries in order. The index within the chain of the invalid certificate is: %d", index)
}

// The two texts below are not evidenced from AWS: the first mirrors the
// certificate's, the second is the model's description of the error.

func privateKeyUnparsable() error {
	return wire.Errorf("MalformedCertificate", "Unable to parse private key. Please ensure the private key is in PEM format.")
}

func keyPairMismatch() error {
	return wire.Errorf("KeyPairMismatch", "The request was rejected because the public key certificate and the private key do not match.")
}

func accountAliasExists(alias string) error {
	return wire.Errorf("EntityAlreadyExists", "The account alias %s already exists.", alias)
}

// noSuchAccountAlias is not evidenced from AWS: it follows IAM's other
// NoSuchEntity texts.
func noSuchAccountAlias(alias string) error {
	return wire.Errorf("NoSuchEntity", "The account alias %s cannot be found.", alias)
}

// Signing certificates: the texts of malformedCertificate, noSuchCertificate
// and the quota were recorded on AWS (LocalStack's
// test_iam_signing_certificates snapshot, 2026-02); AWS's quota is named
// CertificatesPerUser there, SigningCertificatesPerUser in GetAccountSummary.
// invalidCertificate and duplicateCertificate are not evidenced: their
// codes and statuses follow the model, their texts its descriptions.

func malformedCertificate(body string) error {
	return wire.Errorf("MalformedCertificate", "Certificate %s is malformed.", body)
}

func invalidCertificate() error {
	return wire.Errorf("InvalidCertificate", "The certificate is invalid.")
}

func duplicateCertificate() error {
	return wire.Errorf("DuplicateCertificate", "The same certificate is associated with an IAM user in the account.")
}

func noSuchCertificate(id string) error {
	return wire.Errorf("NoSuchEntity", "The Certificate with id %s cannot be found.", id)
}

// SSH public keys: noSuchSSHPublicKey was recorded on AWS (LocalStack's
// test_iam_ssh_public_keys snapshot, 2026-02). The other texts are not
// evidenced: codes and statuses from the model, texts from its
// descriptions.

func noSuchSSHPublicKey(id string) error {
	return wire.Errorf("NoSuchEntity", "The Public Key with id %s cannot be found.", id)
}

func unrecognizedPublicKeyEncoding() error {
	return wire.Errorf("UnrecognizedPublicKeyEncoding", "The public key encoding format is unsupported or unrecognized.")
}

func invalidPublicKey() error {
	return wire.Errorf("InvalidPublicKey", "The public key is malformed or otherwise invalid.")
}

func shortPublicKey(bits, min int) error {
	return wire.Errorf("InvalidPublicKey", "The public key has %d bits; the minimum is %d.", bits, min)
}

func duplicateSSHPublicKey() error {
	return wire.Errorf("DuplicateSSHPublicKey", "The SSH public key is already associated with the specified IAM user.")
}

// invalidStatus refuses Expired, which only IAM sets.
func invalidStatus(status string) error {
	return wire.Errorf("InvalidInput", "Status %s cannot be set; use Active or Inactive.", status)
}

// Service-specific credentials: no text is evidenced (the DeleteUser
// conflict is, see userDependents). Codes and statuses follow the model.

func serviceNotSupported() error {
	return wire.Errorf("NotSupportedService", "The specified service does not support service-specific credentials.")
}

func noSuchServiceCredential(id string) error {
	return wire.Errorf("NoSuchEntity", "The Service Specific Credential with id %s cannot be found.", id)
}

// The credential report. GenerateCredentialReport's STARTED description
// is recorded from AWS (the AWS CLI's example; users' reports, as in
// prowler#272, where COMPLETE came without one). AWS answers
// ReportNotPresent with no message at all (aws-facts §2) and so
// ReportInProgress too (users' botocore errors end in "Unknown", its
// stand-in for a missing message, as goldfiglabs/introspector#17 shows);
// ReportExpired is not evidenced and is given none, as its siblings.

const reportStarted = "No report exists. Starting a new report generation task"

func reportNotPresent() error { return wire.Errorf("ReportNotPresent", "") }

func reportExpiredError() error { return wire.Errorf("ReportExpired", "") }

// iamlocal's own refusals (the request guard): AccessDenied as AWS shapes
// it, with a text that says what was refused and how to allow it.

func hostNotAllowed(host string) *wire.Error {
	return wire.Errorf("AccessDenied", "iamlocal refused a request for host %s: it serves only loopback names and addresses, its listen address and allowed hosts (a guard against DNS rebinding). To allow this name, start iamlocal with --allow-host %s (or IAMLOCAL_ALLOW_HOSTS).", host, host)
}

func crossSiteRefused(site string) *wire.Error {
	return wire.Errorf("AccessDenied", "iamlocal refused a request a web page sent (Sec-Fetch-Site: %s): browsers may not drive the emulator. Call it from an SDK, the AWS CLI or curl.", site)
}

func originNotAllowed(origin string) *wire.Error {
	return wire.Errorf("AccessDenied", "iamlocal refused a request from the web origin %s: browsers may not drive the emulator. Call it from an SDK, the AWS CLI or curl; a host name you reach the server by can be allowed with --allow-host NAME.", origin)
}

func browserFormRefused(contentType string) *wire.Error {
	return wire.Errorf("AccessDenied", "iamlocal refused an admin request with a %s body from a browser: a web page can send one without asking. Send no body or Content-Type: application/json (curl -X POST URL).", contentType)
}

func adminTokenRequired() *wire.Error {
	return wire.Errorf("AccessDenied", "iamlocal's admin endpoints need the admin token: send Authorization: Bearer TOKEN or X-Iamlocal-Admin-Token: TOKEN, with the token set by --admin-token or IAMLOCAL_ADMIN_TOKEN, or the one printed at start when the server listens beyond loopback.")
}

// Managed policies and attachments (aws-facts §4 "Managed policies and
// attachment", recorded on AWS unless a comment says otherwise).

// invalidPolicyARN is AWS's text since 2026 (it was `Invalid ARN:  Could
// not be parsed!` before; aws-facts §8), recorded for AttachUserPolicy and
// AttachRolePolicy; iamlocal answers it for every PolicyArn.
func invalidPolicyARN(arn string) error {
	return wire.Errorf("ValidationError", "ARN %s is not valid.", arn)
}

func policyExists(name string) error {
	return wire.Errorf("EntityAlreadyExists", "A policy called %s already exists. Duplicate names are not allowed.", name)
}

// noSuchPolicy is recorded for DeletePolicy, DetachUserPolicy, TagPolicy
// and UntagPolicy; iamlocal answers it for every action on a missing
// policy that has no text of its own on record.
func noSuchPolicy(arn string) error {
	return wire.Errorf("NoSuchEntity", "Policy %s was not found.", arn)
}

// policyNotAttachable is recorded for attaching and for
// ListEntitiesForPolicy.
func policyNotAttachable(arn string) error {
	return wire.Errorf("NoSuchEntity", "Policy %s does not exist or is not attachable.", arn)
}

// noSuchPolicyVersion is recorded for GetPolicyVersion, DeletePolicyVersion
// and SetDefaultPolicyVersion, for a missing version and a missing policy
// alike.
func noSuchPolicyVersion(arn, version string) error {
	return wire.Errorf("NoSuchEntity", "Policy %s version %s does not exist or is not attachable.", arn, version)
}

func policyInUse() error {
	return wire.Errorf("DeleteConflict", "Cannot delete a policy attached to entities.")
}

// policyHasVersions is a real-aws-report (rebuy-de/aws-nuke#1, 2016;
// ubicloud#6244, 2026). That AWS checks attachments first is inferred.
func policyHasVersions() error {
	return wire.Errorf("DeleteConflict", "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
}

func defaultVersionUndeletable() error {
	return wire.Errorf("DeleteConflict", "Cannot delete the default version of a policy.")
}

func policyVersionsQuota() error {
	return wire.Errorf("LimitExceeded", "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
}

func awsPolicyUndeletable() error {
	return wire.Errorf("AccessDenied", "Cannot delete policies outside your own account.")
}

// awsPolicyReadOnly refuses changing an AWS managed policy (a version, a
// default or tags). Not evidenced: AWS refuses the caller as it refuses
// any action on a resource of another account; the text is IAM's denial
// without a reason.
func awsPolicyReadOnly(callerARN, action, arn string) error {
	return wire.Errorf("AccessDenied", "User: %s is not authorized to perform: %s on resource: policy %s", callerARN, action, arn)
}

// policySizeQuota is the text users posted from real AWS (2017 to 2025);
// one 2025 report reads `Cannot exceed the quota for PolicySize: 6144.`.
func policySizeQuota() error { return quotaExceeded("PolicySize", maxPolicySize) }

// duplicatePolicyTagKeys: policy tag keys are case-sensitive (a and A are
// two keys on AWS), and the text has no second sentence.
func duplicatePolicyTagKeys() error {
	return wire.Errorf("InvalidInput", "Duplicate tag keys found.")
}

// boundaryARNInvalid is recorded for a role's boundary that is not a
// policy ARN.
func boundaryARNInvalid(arn string) error {
	return wire.Errorf("InvalidInput", "ARN %s is not valid.", arn)
}

// serviceRolePolicyNotAttachable refuses a service-linked role's policy
// (path /aws-service-role/) to a principal of the customer's. The text for
// a role is a real-aws-report (aws-cdk#6131: "Customer Role"); the noun for
// users and groups is inferred.
func serviceRolePolicyNotAttachable(principal string) error {
	return wire.Errorf("PolicyNotAttachable", "Cannot attach a Service Role Policy to a %s.", principal)
}

// policiesAttached is DeleteUser's and DeleteGroup's refusal while managed
// policies are attached.
func policiesAttached() error { return deleteConflict("detach all policies") }

// invalidSimulationPolicy answers a document given to the policy simulator
// that the policy package refused, with its text. The code is the one
// AWS's model lists for SimulateCustomPolicy and
// GetContextKeysForCustomPolicy (InvalidInput); no response of AWS to a
// malformed simulated document is evidenced, so the message is inferred.
func invalidSimulationPolicy(message string) error {
	return wire.Errorf("InvalidInput", "%s", message)
}

// OpenID Connect providers: the texts are recorded on AWS (LocalStack
// test_iam_oidc.snapshot.json, 2026-02) unless a comment says otherwise.

func oidcProviderExists(url string) error {
	return wire.Errorf("EntityAlreadyExists", "Provider with url %s already exists.", url)
}

// noSuchOIDCProvider is GetOpenIDConnectProvider's text; the client id,
// thumbprint and tag actions answer it too (inferred: not recorded).
func noSuchOIDCProvider(arn string) error {
	return wire.Errorf("NoSuchEntity", "OpenIDConnect Provider not found for arn %s", arn)
}

// noSuchOIDCProviderToDelete is DeleteOpenIDConnectProvider's own wording.
func noSuchOIDCProviderToDelete(arn string) error {
	return wire.Errorf("NoSuchEntity", "OpenId connect Provider %s cannot be found.", arn)
}

func invalidOIDCProviderURL() error {
	return wire.Errorf("ValidationError", "Invalid Open ID Connect Provider URL")
}

// tooManyThumbprints is AWS's text for six thumbprints, though five are
// allowed.
func tooManyThumbprints() error {
	return wire.Errorf("InvalidInput", "Thumbprint list must contain fewer than 5 entries.")
}

func clientIDsQuota() error {
	return quotaExceeded("ClientIdsPerOpenIdConnectProvider", maxClientIDsPerOIDCProvider)
}

// oidcProvidersQuota's quota name is inferred from the client ids' one.
func oidcProvidersQuota() error {
	return quotaExceeded("OpenIdConnectProvidersPerAccount", maxOIDCProviders)
}

// providerTagsQuota is the OIDC providers' answer to a 51st tag; SAML
// providers answer it too (inferred).
func providerTagsQuota() error {
	return wire.Errorf("LimitExceeded", "The number of tags has reached the maximum limit.")
}

// SAML providers: the NoSuchEntity text is recorded on AWS for
// GetSAMLProvider and DeleteSAMLProvider (LocalStack
// test_iam_saml_providers.snapshot.json, 2026-02); the others are not
// evidenced: the metadata text is what users quote from AWS consoles and
// Terraform runs, the duplicate text follows the OIDC provider's.

func noSuchSAMLProvider(arn string) error {
	return wire.Errorf("NoSuchEntity", "Manifest not found for arn %s", arn)
}

func samlProviderExists(name string) error {
	return wire.Errorf("EntityAlreadyExists", "SAMLProvider %s already exists.", name)
}

func samlMetadataInvalid() error {
	return wire.Errorf("InvalidInput", "Could not parse metadata")
}

// samlProvidersQuota's quota name is inferred from AWS's others.
func samlProvidersQuota() error { return quotaExceeded("SAMLProvidersPerAccount", maxSAMLProviders) }

// Web identity tokens (AssumeRoleWithWebIdentity): the texts are
// real-aws-reports (InvalidIdentityToken: mozilla-aws-cli#127 raw STS XML,
// amazon-eks-irsa-cfn#18, aws-sdk-ruby#2698, aws-sdk-js-v3#3052 with its
// two spaces; ExpiredTokenException: aws-sdk-java-v2#5709) unless a
// comment says otherwise.

func noOIDCProviderFor(issuer string) error {
	return wire.Errorf("InvalidIdentityToken", "No OpenIDConnect provider found in your account for %s", issuer)
}

func incorrectTokenAudience() error {
	return wire.Errorf("InvalidIdentityToken", "Incorrect token audience")
}

func missingTokenClaim(claim string) error {
	return wire.Errorf("InvalidIdentityToken", "Missing a required claim: %s", claim)
}

// verificationKeyUnavailable is AWS's answer when it cannot get the key
// that signed a token; iamlocal, without network, knows only its own test
// issuer's key, so every other signer gets it.
func verificationKeyUnavailable() error {
	return wire.Errorf("InvalidIdentityToken", "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements")
}

// identityTokenInvalid answers a token that is not a well-formed JWT, whose
// signature does not verify, or that is not valid yet. Not evidenced: it is
// the text an emulator maintainer quoted from STS (external-secrets#6648).
func identityTokenInvalid() error {
	return wire.Errorf("InvalidIdentityToken", "The web identity token provided could not be validated")
}

func identityTokenExpired(now, exp int64) error {
	return wire.Errorf("ExpiredTokenException", "Token expired: current date/time %d must be before the expiration date/time %d", now, exp)
}

// SAML assertions (AssumeRoleWithSAML): "Response signature invalid" and
// the RoleSessionName text are real-aws-reports (aws-google-auth#270,
// MicrosoftDocs/azure-docs#45025). The others are not evidenced: the
// expiry text is the one users quote for stale assertions, the
// unparsable-response text is inferred.

func samlSignatureInvalid() error {
	return wire.Errorf("InvalidIdentityToken", "Response signature invalid")
}

func samlSessionNameInvalid() error {
	return wire.Errorf("InvalidIdentityToken", "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}")
}

func samlResponseInvalid() error {
	return wire.Errorf("InvalidIdentityToken", "Invalid SAML Response")
}

func samlAssertionExpired() error {
	return wire.Errorf("ExpiredTokenException", "Token must be redeemed within 5 minutes of issuance")
}

func samlProviderUnknown(arn string) error {
	return wire.Errorf("InvalidIdentityToken", "Specified provider doesn't exist (Provider: %s)", arn)
}

// STS sessions (aws-facts §4 STS, all verified on AWS unless said).

func rootMayNotAssumeRoles() error {
	return wire.Errorf("AccessDenied", "Roles may not be assumed by root accounts.")
}

// assumeRoleDenied is AssumeRole's refusal, the same whether the trust
// policy, the caller's policies or a missing role refused it (aws-facts
// §7.7); AWS prints no reason here.
func assumeRoleDenied(callerARN, roleARN string) error {
	return stsDenied(callerARN, "sts:AssumeRole", roleARN)
}

// stsDenied is assumeRoleDenied's text for the permissions AssumeRole
// also needs (sts:TagSession, sts:SetSourceIdentity): their texts follow
// it, not evidenced separately.
func stsDenied(callerARN, permission, roleARN string) error {
	return wire.Errorf("AccessDenied", "User: %s is not authorized to perform: %s on resource: %s", callerARN, permission, roleARN)
}

func roleARNInvalid(arn string) error {
	return wire.Errorf("ValidationError", "%s is invalid", arn)
}

func durationExceedsRoleMax() error {
	return wire.Errorf("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
}

func durationExceedsChainLimit() error {
	return wire.Errorf("ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
}

// durationOutOfRange is STS's validation text, which echoes the value
// (aws-facts §4 STS, §6): verified for a value under 900; the upper bound
// (129600 for GetSessionToken and GetFederationToken) follows its pattern.
func durationOutOfRange(value int32, bound string, limit int) error {
	return wire.Errorf("ValidationError", "1 validation error detected: Value '%d' at 'durationSeconds' failed to satisfy constraint: Member must have value %s than or equal to %d", value, bound, limit)
}

// rootSessionTooLong: root's GetSessionToken is capped at one hour (STS
// API reference). The text is not evidenced: it follows the STS range
// message.
func rootSessionTooLong(value int32) error {
	return durationOutOfRange(value, "less", maxRootTokenSeconds)
}

func assumeRoleMFAFailed() error {
	return wire.Errorf("AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code.")
}

// sessionTokenMFAFailed has two spaces after the first sentence, as AWS.
func sessionTokenMFAFailed() error {
	return wire.Errorf("AccessDenied", "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user.")
}

// notWithSessionCredentials: action is GetSessionToken or GetFederationToken.
func notWithSessionCredentials(action string) error {
	return wire.Errorf("AccessDenied", "Cannot call %s with session credentials", action)
}

func transitiveTagNotRequested() error {
	return wire.Errorf("InvalidParameterValue", "The specified transitive tag key must be included in the requested tags.")
}

func transitiveTagConflict() error {
	return wire.Errorf("InvalidParameterValue", "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session.")
}

func duplicateSessionTagKeys() error {
	return wire.Errorf("InvalidParameterValue", "Duplicate tag keys found. Please note that Tag keys are case insensitive.")
}

// packedPolicyTooLarge: code and status from the STS model; the text as
// users quote it from AWS ("Packed policy consumes 157% of allotted
// space"), the rest of the sentence not evidenced.
func packedPolicyTooLarge(percent int) error {
	return wire.Errorf("PackedPolicyTooLarge", "Packed policy consumes %d%% of allotted space, please use smaller policy.", percent)
}

// noSuchRole is recorded on AWS (aws-facts §4 Roles).
func noSuchRole(name string) error {
	return wire.Errorf("NoSuchEntity", "The role with name %s cannot be found.", name)
}

func roleExists(name string) error {
	return wire.Errorf("EntityAlreadyExists", "Role with name %s already exists.", name)
}

// trustPolicySizeExceeded is AWS's answer to a trust policy over
// AssumeRolePolicySize, reported by users of real AWS for CreateRole and
// UpdateAssumeRolePolicy (cloudposse/terraform-aws-components, aws-teams
// "Known Problems"; several Terraform and boto3 error logs).
func trustPolicySizeExceeded() error {
	return quotaExceeded("ACLSizePerRole", maxAssumeRolePolicySize)
}

// The instance profile texts are recorded on AWS (LocalStack's
// test_iam_instance_profiles snapshot, 2026-02).
func noSuchInstanceProfile(name string) error {
	return wire.Errorf("NoSuchEntity", "Instance Profile %s cannot be found.", name)
}

func instanceProfileExists(name string) error {
	return wire.Errorf("EntityAlreadyExists", "Instance Profile %s already exists.", name)
}

func roleNotInInstanceProfile(role, profile string) error {
	return wire.Errorf("NoSuchEntity", "Role %s in Instance Profile %s cannot be found.", role, profile)
}

// roleInInstanceProfile is DeleteRole's refusal while the role is in an
// instance profile, and DeleteInstanceProfile's while it holds a role: AWS
// answers both with this one text (aws-facts §4 Roles; the snapshot).
func roleInInstanceProfile() error { return deleteConflict("remove roles from instance profile") }

// serviceRoleNameTaken is CreateServiceLinkedRole's answer when the role
// exists (real-aws-reports: Service role name AWSServiceRoleForEC2Spot …,
// e.g. in aws-samples' Karpenter guides and terraform-aws-hasura#17).
func serviceRoleNameTaken(name string) error {
	return wire.Errorf("InvalidInput", "Service role name %s has been taken in this account, please try a different suffix.", name)
}

// customSuffixNotAllowed is reported from real AWS through CloudFormation
// for es.amazonaws.com.
func customSuffixNotAllowed(service string) error {
	return wire.Errorf("InvalidInput", "Custom suffix is not allowed for %s", service)
}

// unknownServicePrincipal refuses an AWSServiceName that is no service
// principal (<name>.amazonaws.com). No AWS text is evidenced for it: the
// code is the model's, the message inferred.
func unknownServicePrincipal(service string) error {
	return wire.Errorf("InvalidInput", "Invalid service principal: %s", service)
}

// protectedRole is AWS's answer to changing a service-linked (or other
// AWS-owned) role: real-aws-reports for UpdateAssumeRolePolicy and
// PutRolePolicy on AWSServiceRoleForConfig and AWSReservedSSO_ roles, and
// a CloudTrail record of AWSServiceRoleForTrustedAdvisor.
func protectedRole(name string) error {
	return wire.Errorf("UnmodifiableEntity", "Cannot perform the operation on the protected role '%s' - this role is only modifiable by AWS", name)
}

// notServiceLinked refuses DeleteServiceLinkedRole on a role a customer
// made. No AWS text is evidenced: the code is the model's, the message
// inferred.
func notServiceLinked(name string) error {
	return wire.Errorf("InvalidInput", "Role %s is not a service-linked role.", name)
}

// invalidDeletionTask answers a DeletionTaskId not of AWS's documented
// shape. No AWS text is evidenced: the code is one the model lists, the
// message inferred.
func invalidDeletionTask(id string) error {
	return wire.Errorf("InvalidInput", "Invalid deletion task id %s.", id)
}

// rolesQuota's and instanceProfilesQuota's quota names are not evidenced
// from AWS: they follow AWS's UsersPerAccount and GroupsPerUser.
func rolesQuota() error { return quotaExceeded("RolesPerAccount", maxRoles) }

func instanceProfilesQuota() error {
	return quotaExceeded("InstanceProfilesPerAccount", maxInstanceProfiles)
}

// invalidSimulationSource refuses a PolicySourceArn that names no user,
// group or role of the account. The code is the model's; the text follows
// the recorded one for a boundary ARN that is not a policy's (inferred).
func invalidSimulationSource(arn string) error {
	return wire.Errorf("InvalidInput", "ARN %s is not valid.", arn)
}

// simulationCallerRequired: "CallerArn is required if you include a
// ResourcePolicy and the PolicySourceArn is not the ARN for an IAM user"
// (SimulatePrincipalPolicy's API reference); the text is inferred.
func simulationCallerRequired() error {
	return wire.Errorf("InvalidInput", "CallerArn is required when a ResourcePolicy is simulated for a PolicySourceArn that is not an IAM user.")
}

// federatedNotAuthorized is AWS's AccessDenied for AssumeRoleWithWebIdentity
// and AssumeRoleWithSAML when the trust policy does not allow the token's
// or assertion's identity, or the role does not exist (real-aws-reports in
// many GitHub Actions and EKS threads, e.g. aws-actions/configure-aws-credentials).
func federatedNotAuthorized(action string) error {
	return wire.Errorf("AccessDenied", "Not authorized to perform %s", action)
}
