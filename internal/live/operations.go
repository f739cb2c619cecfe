package live

// Operation is one AWS API operation simulate may call, with the IAM action
// that authorises it (the Service Authorization Reference: an S3 operation
// is not always authorised by the action of the same name).
type Operation struct {
	// API is "SERVICE:Operation" with the SDK's service id, as CallLog and
	// ObservedOperations record it.
	API string
	// Action is the IAM action the caller needs ("" when none is needed:
	// sts:GetCallerIdentity works for any valid credentials).
	Action string
}

// Operations is every AWS operation simulate can call: the methods of
// IAMAPI, S3API, KMSAPI and STSAPI, which are the only way the rest of the
// code reaches AWS (Clients holds nothing else). Tests prove the three agree
// and that each one only reads (Get*, List*, Describe*, Simulate*,
// GetContextKeysFor*, sts:GetCallerIdentity); README.md lists them with the
// minimal read-only policy built from Action.
var Operations = []Operation{
	{"STS:GetCallerIdentity", ""},
	{"IAM:ListRoles", "iam:ListRoles"},
	{"IAM:GetRole", "iam:GetRole"},
	{"IAM:ListRolePolicies", "iam:ListRolePolicies"},
	{"IAM:GetRolePolicy", "iam:GetRolePolicy"},
	{"IAM:ListAttachedRolePolicies", "iam:ListAttachedRolePolicies"},
	{"IAM:GetPolicy", "iam:GetPolicy"},
	{"IAM:GetPolicyVersion", "iam:GetPolicyVersion"},
	{"IAM:GetUser", "iam:GetUser"},
	{"IAM:ListUserPolicies", "iam:ListUserPolicies"},
	{"IAM:GetUserPolicy", "iam:GetUserPolicy"},
	{"IAM:ListAttachedUserPolicies", "iam:ListAttachedUserPolicies"},
	{"IAM:ListGroupsForUser", "iam:ListGroupsForUser"},
	{"IAM:ListGroupPolicies", "iam:ListGroupPolicies"},
	{"IAM:GetGroupPolicy", "iam:GetGroupPolicy"},
	{"IAM:ListAttachedGroupPolicies", "iam:ListAttachedGroupPolicies"},
	{"IAM:ListAccessKeys", "iam:ListAccessKeys"},
	{"IAM:GetAccessKeyLastUsed", "iam:GetAccessKeyLastUsed"},
	{"IAM:SimulatePrincipalPolicy", "iam:SimulatePrincipalPolicy"},
	{"IAM:GetContextKeysForPrincipalPolicy", "iam:GetContextKeysForPrincipalPolicy"},
	// GetBucketEncryption is authorised by s3:GetEncryptionConfiguration
	// (list_amazons3.html).
	{"S3:GetBucketPolicy", "s3:GetBucketPolicy"},
	{"S3:GetBucketEncryption", "s3:GetEncryptionConfiguration"},
	{"S3:GetBucketLocation", "s3:GetBucketLocation"},
	{"Organizations:DescribeOrganization", "organizations:DescribeOrganization"},
	{"Organizations:ListParents", "organizations:ListParents"},
	{"Organizations:ListPoliciesForTarget", "organizations:ListPoliciesForTarget"},
	{"Organizations:DescribePolicy", "organizations:DescribePolicy"},
	{"KMS:GetKeyPolicy", "kms:GetKeyPolicy"},
	{"KMS:DescribeKey", "kms:DescribeKey"},
}

// UnlistedOperations lists the operations this process has started that
// are not in Operations: empty unless the code calls something it does not
// declare. The command's test suite checks it after every test has run.
func UnlistedOperations() []string {
	known := map[string]bool{}
	for _, op := range Operations {
		known[op.API] = true
	}
	var out []string
	for _, op := range ObservedOperations() {
		if !known[op] {
			out = append(out, op)
		}
	}
	return out
}
