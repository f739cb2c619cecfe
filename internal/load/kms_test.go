package load

import (
	"os"
	"path/filepath"
	"testing"
)

func writeTemp(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Shapes as the AWS CLI prints them (awscli/examples/kms/list-aliases.rst,
// list-grants.rst).
func TestKMSListAliasesAndGrants(t *testing.T) {
	aliases := writeTemp(t, "list-aliases.json", `{
    "Aliases": [
        {
            "AliasName": "alias/aws/s3",
            "AliasArn": "arn:aws:kms:eu-west-1:111122223333:alias/aws/s3",
            "TargetKeyId": "9d9e9f9a-1111-2222-3333-444455556666"
        },
        {
            "AliasName": "alias/unused",
            "AliasArn": "arn:aws:kms:eu-west-1:111122223333:alias/unused"
        }
    ]
}`)
	grants := writeTemp(t, "list-grants.json", `{
    "Grants": [
        {
            "KeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "GrantId": "0c237476b39f8bc44e45212e08498fbe3151305030726c0590dd8d3e9f3d6a60",
            "Name": "uploads",
            "CreationDate": "2025-11-05T09:00:00+00:00",
            "GranteePrincipal": "arn:aws:iam::111122223333:role/supermetrics-upload",
            "IssuingAccount": "arn:aws:iam::111122223333:root",
            "Operations": ["GenerateDataKey", "Decrypt"],
            "Constraints": {"EncryptionContextSubset": {"aws:s3:arn": "arn:aws:s3:::b"}}
        },
        "not a grant",
        {
            "KeyId": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "GrantId": "g2",
            "GranteePrincipal": "arn:aws:iam::111122223333:role/x",
            "Operations": ["Decrypt"],
            "Constraints": {"SourceArn": "x"}
        }
    ]
}`)
	in := Paths([]string{aliases, grants}, Options{})
	if len(in.Aliases) != 2 {
		t.Fatalf("aliases = %d, want 2", len(in.Aliases))
	}
	a := in.Aliases[0]
	if a.Name != "alias/aws/s3" || a.TargetKeyID != "9d9e9f9a-1111-2222-3333-444455556666" || a.Region != "eu-west-1" || a.Account != "111122223333" || a.Line != 3 {
		t.Errorf("alias = %+v", a)
	}
	if in.Aliases[1].TargetKeyID != "" {
		t.Errorf("alias without target: %+v", in.Aliases[1])
	}
	if len(in.Grants) != 1 {
		t.Fatalf("grants = %d, want 1 (the string entry and the unmodelled constraint are reported)", len(in.Grants))
	}
	g := in.Grants[0]
	if g.Constraint != "EncryptionContextSubset" || g.Context["aws:s3:arn"] != "arn:aws:s3:::b" || len(g.Operations) != 2 || g.Line != 3 {
		t.Errorf("grant = %+v", g)
	}
	if len(in.Errors) != 2 {
		t.Fatalf("errors = %+v, want 2", in.Errors)
	}
	for _, e := range in.Errors {
		if e.File != grants || e.Line == 0 {
			t.Errorf("error without file and line: %+v", e)
		}
	}
}
