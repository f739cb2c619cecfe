package load

import "github.com/smlint/smlint/internal/load/input"

// Input and the types below are the normalised input, which lives in
// package input where every format writes it (and where each is
// documented); these names keep it where check, live and report read it.
//
//nolint:revive // exported: aliases, documented at their definitions
type (
	Input             = input.Input
	Principal         = input.Principal
	BucketFacts       = input.BucketFacts
	KeyFacts          = input.KeyFacts
	AliasFacts        = input.AliasFacts
	GrantFacts        = input.GrantFacts
	AccessKey         = input.AccessKey
	Unresolved        = input.Unresolved
	FileError         = input.FileError
	TagList           = input.TagList
	Organization      = input.Organization
	Attachment        = input.Attachment
	PolicyVersion     = input.PolicyVersion
	ManagedPolicyInfo = input.ManagedPolicyInfo
	SCPInfo           = input.SCPInfo
	SCPList           = input.SCPList
	SCPRef            = input.SCPRef
	Deployment        = input.Deployment
)

// SCP levels of an organisation (input.LevelRoot, ...).
const (
	LevelRoot    = input.LevelRoot
	LevelOU      = input.LevelOU
	LevelAccount = input.LevelAccount
)
