package smlint.rules.role_arn_wrong_test

import data.smlint.rules.role_arn_wrong
import rego.v1

vendor := {"display_name": "Supermetrics", "account": "043417694514"}

role := {"type": "role", "arn": "arn:aws:iam::111122223333:role/supermetrics-upload", "name": "supermetrics-upload", "account": "111122223333", "file": "role.json", "line": 2}

inp(arn, principal) := {"setup": {"role_arn": arn, "auth": "role"}, "vendor": vendor, "principal": principal}

test_hit_malformed if {
	fs := role_arn_wrong.findings with input as inp("arn:aws:iam::111122223333:supermetrics-upload", null)
	count(fs) == 1
	some f in fs
	contains(f.message, "not an IAM role ARN")
}

test_hit_user_arn if {
	some f in role_arn_wrong.findings with input as inp("arn:aws:iam::111122223333:user/supermetrics", null)
	contains(f.message, "names a user")
}

# The hint reads the ARN's resource type (smlint.arn), not ":user/"
# anywhere in the text: a malformed role ARN whose path holds ":user/" names
# no user (here the account is short).
test_near_miss_user_inside_role_name if {
	fs := role_arn_wrong.findings with input as inp("arn:aws:iam::11112222333:role/x:user/y", null)
	some f in fs
	contains(f.message, "not an IAM role ARN")
	every g in fs {
		not contains(g.message, "names a user")
	}
}

test_hit_assumed_role_arn if {
	some f in role_arn_wrong.findings with input as inp("arn:aws:sts::111122223333:assumed-role/r/session", null)
	contains(f.message, "role session ARN")
}

test_hit_short_account if {
	some f in role_arn_wrong.findings with input as inp("arn:aws:iam::11112222333:role/r", null)
	contains(f.message, "12 digits")
}

test_hit_vendor_account if {
	fs := role_arn_wrong.findings with input as inp("arn:aws:iam::043417694514:role/SupermetricsS3IntegrationRole", null)
	count(fs) == 1
	some f in fs
	contains(f.message, "own account")
}

test_hit_other_role_than_checked if {
	fs := role_arn_wrong.findings with input as inp("arn:aws:iam::111122223333:role/other", role)
	count(fs) == 1
	some f in fs
	f.file == "role.json"
	contains(f.message, "not the role whose policies were checked")
}

test_hit_name_differs_when_arn_unknown if {
	p := object.union(role, {"arn": ""})
	some f in role_arn_wrong.findings with input as inp("arn:aws:iam::111122223333:role/other", p)
	contains(f.message, "names role \"other\"")
}

test_near_miss_matching_role if {
	count(role_arn_wrong.findings) == 0 with input as inp(role.arn, role)
}

test_near_miss_path if {
	p := object.union(role, {"arn": "arn:aws:iam::111122223333:role/vendors/supermetrics-upload"})
	count(role_arn_wrong.findings) == 0 with input as inp(p.arn, p)
}

test_near_miss_not_configured if {
	count(role_arn_wrong.findings) == 0 with input as inp("", role)
}

test_near_miss_access_key_method if {
	i := inp("arn:aws:iam::043417694514:role/x", null)
	count(role_arn_wrong.findings) == 0 with input as object.union(i, {"setup": {"auth": "access-key"}})
}

# A colon in the role path is printable ASCII, so still well formed, and the
# account is the ARN's fifth field (smlint.arn, policy.IsRoleARN).
test_near_miss_colon_in_path if {
	count(role_arn_wrong.findings) == 0 with input as inp("arn:aws:iam::111122223333:role/a:b/supermetrics-upload", null)
	role_arn_wrong.account == "111122223333" with input as inp("arn:aws:iam::111122223333:role/a:b/supermetrics-upload", null)
}

test_hit_bare_unique_id if {
	some f in role_arn_wrong.findings with input as inp("AROA3XFRBF535PLBIFPI4", null)
	contains(f.message, "bare unique id")
}

# A capital A and digits is no IAM unique id (those have a four-letter prefix).
test_near_miss_not_unique_id_shape if {
	some f in role_arn_wrong.findings with input as inp("A1234567890123456", null)
	not contains(f.message, "unique id")
}

test_hit_name_differs_with_path if {
	p := object.union(role, {"arn": ""})
	some f in role_arn_wrong.findings with input as inp("arn:aws:iam::111122223333:role/a/b/other", p)
	contains(f.message, "names role \"other\"")
}
