package load

import (
	"path/filepath"
	"regexp"

	"github.com/smlint/smlint/internal/tree"
)

// iam list-access-keys and iam get-access-key-last-used (the access-key
// method: which keys the user has, whether they are active, when they were
// last used). Neither output carries a secret.
func init() {
	Register("iam list-access-keys", detectListAccessKeys, loadListAccessKeys)
	Register("iam get-access-key-last-used", detectAccessKeyLastUsed, loadAccessKeyLastUsed)
}

func detectListAccessKeys(root *tree.Node) bool {
	m := root.Get("AccessKeyMetadata")
	return m != nil && m.Kind == tree.Array
}

// loadListAccessKeys reads {"AccessKeyMetadata": [{"UserName", "AccessKeyId",
// "Status", "CreateDate"}], "IsTruncated"}: every key of the user unless the
// listing is truncated.
func loadListAccessKeys(file string, root *tree.Node, in *Input) {
	byUser := map[string]*Principal{}
	var order []string
	for _, k := range root.Get("AccessKeyMetadata").Items {
		if !isObject(k) {
			continue
		}
		user := str(k, "UserName")
		p := byUser[user]
		if p == nil {
			p = &Principal{Type: "user", Name: user, File: file, Line: k.Line, AccessKeysListed: true}
			byUser[user] = p
			order = append(order, user)
		}
		id := str(k, "AccessKeyId")
		p.AccessKeyIDs = append(p.AccessKeyIDs, id)
		p.AccessKeys = append(p.AccessKeys, AccessKey{ID: id, Status: str(k, "Status"), CreateDate: str(k, "CreateDate")})
	}
	truncated := false
	if t := root.Get("IsTruncated"); t != nil && t.Kind == tree.Bool && t.Text == "true" {
		truncated = true
	}
	for _, u := range order {
		byUser[u].AccessKeysListed = !truncated
		in.Principals = append(in.Principals, byUser[u])
	}
}

func detectAccessKeyLastUsed(root *tree.Node) bool {
	return isObject(root.Get("AccessKeyLastUsed")) && root.Get("UserName") != nil
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
func loadAccessKeyLastUsed(file string, root *tree.Node, in *Input) {
	lu := root.Get("AccessKeyLastUsed")
	k := AccessKey{ID: accessKeyInName.FindString(filepath.Base(file)), LastUsedDate: str(lu, "LastUsedDate"), LastUsedKnown: true}
	in.Principals = append(in.Principals, &Principal{Type: "user", Name: str(root, "UserName"), File: file, Line: root.Line,
		AccessKeys: []AccessKey{k}})
}

// mergeAccessKeys joins two views of a user's keys: a listing and the
// last-used answers. A last-used answer without a key id belongs to the
// user's only key.
func mergeAccessKeys(a, b []AccessKey) []AccessKey {
	out := append([]AccessKey(nil), a...)
	for _, k := range b {
		i := -1
		for j := range out {
			if out[j].ID == k.ID || (k.ID == "" && len(out) == 1) || (out[j].ID == "" && len(b) == 1) {
				i = j
				break
			}
		}
		if i < 0 {
			out = append(out, k)
			continue
		}
		m := &out[i]
		if m.ID == "" {
			m.ID = k.ID
		}
		if m.Status == "" {
			m.Status = k.Status
		}
		if m.CreateDate == "" {
			m.CreateDate = k.CreateDate
		}
		if k.LastUsedKnown {
			m.LastUsedDate, m.LastUsedKnown = k.LastUsedDate, true
		}
	}
	return out
}
