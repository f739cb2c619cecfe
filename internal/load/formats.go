package load

import (
	"strings"

	"github.com/smlint/smlint/internal/load/awscli"
	"github.com/smlint/smlint/internal/load/cloudformation"
	"github.com/smlint/smlint/internal/load/input"
	"github.com/smlint/smlint/internal/load/terraform"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/tree"
)

// formats are the input formats, in the order they are tried: a file is
// loaded by the first whose Detect recognises its parsed tree. Shapes can
// overlap (a file may carry the top-level keys of two), and then the order
// decides: the AWS CLI outputs, recognised by their distinctive top-level
// keys, first; the raw policy document, which any object with a Statement
// matches, last. The order in between is the one the formats had when they
// registered themselves from init functions (Go's file-name order);
// TestDetection pins the format of every fixture and testdata file.
var formats = []input.Format{
	awscli.AccountExport,
	awscli.GetRole,
	awscli.GetUser,
	awscli.InlinePolicy,
	awscli.PolicyVersion,
	awscli.AttachedPolicies,
	awscli.GetPolicy,
	awscli.DescribePolicy,
	awscli.PoliciesForTarget,
	awscli.ResourcePolicy,
	awscli.BucketEncryption,
	awscli.BucketLocation,
	awscli.DescribeKey,
	awscli.TagList,
	awscli.DescribeOrg,
	awscli.ListAccessKeys,
	awscli.AccessKeyLastUsed,
	cloudformation.Template,
	awscli.ListAliases,
	awscli.ListGrants,
	terraform.Plan,
	awscli.Unread,
	rawDocument,
}

// detect returns the first format, in table order, that recognises root.
func detect(root *tree.Node) (input.Format, bool) {
	for _, f := range formats {
		if f.Detect(root) {
			return f, true
		}
	}
	return nil, false
}

// rawDocument is a policy document file: an object with a Statement, or a
// string holding one (JSON or URL-encoded).
var rawDocument = input.NewFormat("policy document", detectRaw, loadRaw)

func detectRaw(root *tree.Node) bool {
	switch root.Kind {
	case tree.Object:
		return root.Get("Statement") != nil
	case tree.String:
		t := strings.TrimSpace(root.Text)
		return strings.HasPrefix(t, "{") || strings.HasPrefix(t, "%")
	}
	return false
}

func loadRaw(root *tree.Node, b *input.Builder) {
	d := b.ParseDoc(root, b.Kind, "")
	if d == nil {
		return
	}
	policy.CheckDefaultQuota(d, false)
	b.Document(d)
}
