package awscli

import (
	"path/filepath"
	"regexp"

	"github.com/smlint/smlint/internal/load/input"
	"github.com/smlint/smlint/internal/tree"
)

// iam list-access-keys and iam get-access-key-last-used (the access-key
// method: which keys the user has, whether they are active, when they were
// last used). Neither output carries a secret.
func detectListAccessKeys(root *tree.Node) bool {
	m := root.Get("AccessKeyMetadata")
	return m != nil && m.Kind == tree.Array
}

// loadListAccessKeys reads {"AccessKeyMetadata": [{"UserName", "AccessKeyId",
// "Status", "CreateDate"}], "IsTruncated"}: every key of the user unless the
// listing is truncated.
func loadListAccessKeys(root *tree.Node, b *input.Builder) {
	byUser := map[string]*input.Principal{}
	var order []string
	for _, k := range root.Get("AccessKeyMetadata").Items {
		if !input.IsObject(k) {
			continue
		}
		user := input.Str(k, "UserName")
		p := byUser[user]
		if p == nil {
			p = &input.Principal{Type: "user", Name: user, File: b.File, Line: k.Line, AccessKeysListed: true}
			byUser[user] = p
			order = append(order, user)
		}
		id := input.Str(k, "AccessKeyId")
		p.AccessKeyIDs = append(p.AccessKeyIDs, id)
		p.AccessKeys = append(p.AccessKeys, input.AccessKey{ID: id, Status: input.Str(k, "Status"), CreateDate: input.Str(k, "CreateDate")})
	}
	truncated := false
	if t := root.Get("IsTruncated"); t != nil && t.Kind == tree.Bool && t.Text == "true" {
		truncated = true
	}
	for _, u := range order {
		byUser[u].AccessKeysListed = !truncated
		b.In.Principals = append(b.In.Principals, byUser[u])
	}
}

func detectAccessKeyLastUsed(root *tree.Node) bool {
	return input.IsObject(root.Get("AccessKeyLastUsed")) && root.Get("UserName") != nil
}

// accessKeyInName finds the key id in a file name such as
// get-access-key-last-used-AKIAIOSFODNN7EXAMPLE.json (what simulate --save
// writes): the output itself does not say which key it is about.
var accessKeyInName = regexp.MustCompile(`AKIA[A-Z0-9]{16}`)

// loadAccessKeyLastUsed reads {"UserName", "AccessKeyLastUsed":
// {"LastUsedDate", "ServiceName", "Region"}}. A key never used has no
// LastUsedDate and ServiceName "N/A" (API_AccessKeyLastUsed). The output
// names no key: the key id comes from the file name, else the user's only
// key.
func loadAccessKeyLastUsed(root *tree.Node, b *input.Builder) {
	lu := root.Get("AccessKeyLastUsed")
	k := input.AccessKey{ID: accessKeyInName.FindString(filepath.Base(b.File)), LastUsedDate: input.Str(lu, "LastUsedDate"), LastUsedKnown: true}
	b.In.Principals = append(b.In.Principals, &input.Principal{Type: "user", Name: input.Str(root, "UserName"), File: b.File, Line: root.Line,
		AccessKeys: []input.AccessKey{k}})
}
