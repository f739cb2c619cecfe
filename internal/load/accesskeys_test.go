package load

import "testing"

// TestAccessKeyShapes: iam list-access-keys and get-access-key-last-used
// (shapes from the IAM API reference, API_ListAccessKeys and
// API_GetAccessKeyLastUsed) join into one user with its keys; a last-used
// answer names its key through the file name simulate --save writes.
func TestAccessKeyShapes(t *testing.T) {
	in := &Input{}
	files := map[string]string{
		"list-access-keys.json": `{"UserName":"u","AccessKeyMetadata":[` +
			`{"UserName":"u","AccessKeyId":"AKIAIOSFODNN7EXAMPLE","Status":"Active","CreateDate":"2021-03-14T09:26:53+00:00"},` +
			`{"UserName":"u","AccessKeyId":"AKIAI44QH8DHBEXAMPLE","Status":"Inactive","CreateDate":"2020-01-01T00:00:00+00:00"}],"IsTruncated":false}`,
		"get-access-key-last-used-AKIAI44QH8DHBEXAMPLE.json": `{"UserName":"u","AccessKeyLastUsed":{"ServiceName":"N/A","Region":"N/A"}}`,
	}
	for name, text := range files {
		got := Bytes(name, []byte(text), "")
		if len(got.Errors) > 0 {
			t.Fatalf("%s: %v", name, got.Errors)
		}
		in.Principals = append(in.Principals, got.Principals...)
	}
	ps := joinPrincipals(in.Principals)
	if len(ps) != 1 {
		t.Fatalf("principals = %d, want 1 user", len(ps))
	}
	p := ps[0]
	if !p.AccessKeysListed || len(p.AccessKeys) != 2 {
		t.Fatalf("keys = %+v listed=%t", p.AccessKeys, p.AccessKeysListed)
	}
	for _, k := range p.AccessKeys {
		switch k.ID {
		case "AKIAIOSFODNN7EXAMPLE":
			if k.Status != "Active" || k.LastUsedKnown {
				t.Errorf("%+v", k)
			}
		case "AKIAI44QH8DHBEXAMPLE":
			if k.Status != "Inactive" || !k.LastUsedKnown || k.LastUsedDate != "" {
				t.Errorf("never-used key: %+v", k)
			}
		default:
			t.Errorf("unexpected key %+v", k)
		}
	}
}
