package ruleinput

// StatementFacts are what one statement's actions and resources grant,
// decided in Go by internal/check (statement_facts.go) with the evaluation
// core's matching and the Service Authorization Reference table, so that
// the rules that look at every action or resource (action-too-broad,
// action-unknown, resource-too-broad, partition-unsupported) need no
// per-element loops in Rego.
type StatementFacts struct {
	// BeyondNeed are the Action patterns (sorted, each once) that grant
	// actions uploading does not need, with example actions.
	BeyondNeed []ActionExamples `json:"beyond_need"`
	// ExtraReads are the Action patterns that grant none of those but
	// read objects (s3:GetObject, s3:GetObjectVersion).
	ExtraReads []ActionExamples `json:"extra_reads"`
	// UnknownActions are the Action and NotAction entries (each once) that
	// name no action of the table: a typo, or a wildcard matching nothing.
	UnknownActions []UnknownAction `json:"unknown_actions"`
	// GrantsS3: an Allow whose Action reaches an S3 action ("*", a pattern
	// whose service prefix matches s3), or an Allow with NotAction.
	GrantsS3 bool `json:"grants_s3"`
	// S3BeyondDestination are, for a statement granting S3 actions other
	// than only the account-level ones (which take "*" by definition), the
	// Resource entries that reach past the configured bucket and prefix;
	// empty when no bucket is configured.
	S3BeyondDestination []S3Reach `json:"s3_beyond_destination"`
	// ForeignPartition are the Resource ARNs whose partition is definite (no
	// wildcard or variable) and not the vendor's.
	ForeignPartition []PartitionOf `json:"foreign_partition"`
	// CoversAssume (trust policies only): the statement's Action matches
	// the vendor's assume action, or it has a NotAction that does not list
	// it (reference_policies_elements_notaction.html); the principal and
	// the conditions are not considered.
	CoversAssume bool `json:"covers_assume"`
	// AssumePatterns (trust policies only) are the Action entries (each
	// once, in order) that match the vendor's assume action, each with the
	// other trust actions it also grants.
	AssumePatterns []AssumePattern `json:"assume_patterns"`
}

// AssumePattern is an Action entry of a trust statement that grants the
// vendor's assume action.
type AssumePattern struct {
	Action string `json:"action"`
	// AlsoGrants are the other trust actions the entry matches, in this
	// order: sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity,
	// sts:TagSession, sts:SetSourceIdentity, sts:SetContext.
	AlsoGrants []string `json:"also_grants"`
}

// ActionExamples is an Action pattern with the example actions it grants.
type ActionExamples struct {
	Action string `json:"action"`
	// Examples are the probe actions the pattern matches, in the probes'
	// order (most telling first).
	Examples []string `json:"examples"`
	// OnlyItself: the one example is the pattern itself (case aside), so a
	// message need not list it.
	OnlyItself bool `json:"only_itself"`
}

// UnknownAction is an action entry that names no catalogued action.
type UnknownAction struct {
	Action string `json:"action"`
	// Wildcard: the entry has * or ? and matches no action, rather than
	// naming one that does not exist.
	Wildcard bool `json:"wildcard"`
	// Closest is the catalogued action nearest to a mistyped name ("" when
	// none is near, and for a wildcard): for messages only.
	Closest string `json:"closest"`
}

// S3Reach is a Resource entry that reaches past the destination.
type S3Reach struct {
	Resource string `json:"resource"`
	// Reaches: other buckets, or objects of the bucket outside the prefix.
	Reaches string `json:"reaches" enum:"other_buckets,outside_prefix"`
}

// PartitionOf is a Resource ARN with its partition.
type PartitionOf struct {
	Resource  string `json:"resource"`
	Partition string `json:"partition"`
}
