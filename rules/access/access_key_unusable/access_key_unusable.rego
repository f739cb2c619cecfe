# METADATA
# title: The access key cannot be used by the vendor
# description: >-
#   The access-key method needs a long-term access key of an IAM user
#   (AKIA...). A key starting ASIA is a temporary STS credential that expires
#   within hours and needs a session token; a root user's key is not an IAM
#   user's key and must never be handed to a third party
#   (reference_identifiers.html#identifiers-prefixes; root-user-best-practices).
#   Supermetrics: "access keys generated using different methods can't be used".
#   When the user's keys are listed (iam list-access-keys, or a live read),
#   the configured key must be one of them and Active; a key older than 90
#   days or unused for 90 days is a warning: Supermetrics holds it, so it
#   should be rotated (IAM "Managing access keys for IAM users";
#   id_credentials_access-keys.html#Using_RotateAccessKey).
# schemas:
#   - input: schema.input
# custom:
#   id: access-key-unusable
#   severity: error
#   remediation: >-
#     Create a dedicated IAM user with only the upload permissions and give
#     Supermetrics a new access key of that user (aws iam create-access-key
#     --user-name NAME), or use the IAM role method instead.
#   docs: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-prefixes
#   example: |
#     auth: access-key
#     user: supermetrics-upload
#     access_key_id: AKIAIOSFODNN7EXAMPLE
package smlint.rules.access_key_unusable

import data.smlint.lib
import rego.v1

access_key if input.setup.auth == "access-key"

loc := {"file": input.principal.file, "line": input.principal.line} if input.principal != null

loc := lib.edit_location if input.principal == null

findings contains lib.finding(msg, loc) if {
	access_key
	smlint.id_shape(input.setup.access_key_id).temporary_access_key
	msg := sprintf("access key %s is a temporary STS credential (ASIA...): it expires and needs a session token, so Supermetrics' uploads stop working; give a long-term IAM user key (AKIA...)", [input.setup.access_key_id])
}

findings contains lib.finding(msg, loc) if {
	access_key
	some id in input.principal.access_key_ids
	smlint.id_shape(id).temporary_access_key
	id != input.setup.access_key_id
	msg := sprintf("access key %s of %s is a temporary STS credential (ASIA...), not an IAM user key: it cannot be given to Supermetrics", [id, input.principal.arn])
}

root_arn(a) if {
	p := smlint.arn(a)
	p.valid
	p.service == "iam"
	p.region == ""
	p.account_id
	p.resource == "root"
}

findings contains lib.finding(msg, loc) if {
	access_key
	some a in {input.caller.arn, object.get(input, ["principal", "arn"], "")}
	root_arn(a)
	msg := sprintf("the access key belongs to the account root user (%s), not an IAM user: root keys can do anything in the account and cannot be limited by policies; create an IAM user for Supermetrics", [a])
}

findings contains lib.finding(msg, loc) if {
	access_key
	lower(input.setup.user) == "root"
	msg := "the configured user is the account root user: a root access key cannot be limited by policies; create an IAM user for Supermetrics"
}

# The user's keys as the input lists them (iam list-access-keys).
keys := object.get(input, ["principal", "access_keys"], [])

listed if object.get(input, ["principal", "access_keys_listed"], false)

configured := input.setup.access_key_id

user_label := sprintf("user %s", [object.get(input, ["principal", "name"], input.setup.user)])

findings contains lib.finding(msg, loc) if {
	access_key
	listed
	configured != ""
	not smlint.id_shape(configured).temporary_access_key
	every k in keys { k.id != configured }
	msg := sprintf("access key %s is not a key of %s (its keys: %s): Supermetrics would be given a key of another user, or one that was deleted", [configured, user_label, concat(", ", [k.id | some k in keys])])
}

findings contains lib.finding(msg, loc) if {
	access_key
	some k in keys
	k.id == configured
	k.status == "Inactive"
	msg := sprintf("access key %s of %s is Inactive: AWS refuses every request signed with it; activate it (aws iam update-access-key --status Active) or create a new one", [k.id, user_label])
}

findings contains lib.finding(msg, loc) if {
	access_key
	listed
	configured == ""
	every k in keys { k.status != "Active" }
	msg := sprintf("%s has no active access key: there is no key Supermetrics could use", [user_label])
}

# The keys Supermetrics holds: the configured one, else every active key.
held contains k if {
	some k in keys
	k.id == configured
}

held contains k if {
	configured == ""
	some k in keys
	k.status == "Active"
}

findings contains object.union(lib.finding(msg, loc), {"severity": "warning"}) if {
	access_key
	some k in held
	k.status == "Active"
	k.age_days >= 90
	msg := sprintf("access key %s of %s was created %d days ago (%s): rotate it, since Supermetrics holds it (create a second key, update it in Supermetrics, then deactivate the old one)", [k.id, user_label, k.age_days, k.create_date])
}

findings contains object.union(lib.finding(msg, loc), {"severity": "warning"}) if {
	access_key
	some k in held
	k.status == "Active"
	k.unused_days >= 90
	msg := sprintf("access key %s of %s has not been used for %d days: if Supermetrics no longer uploads with it, deactivate it", [k.id, user_label, k.unused_days])
}
