package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// organization_id and account_id: read from .smlint.yaml, overridden by the
// flags, and validated (API_Organization.html: ^o-[a-z0-9]{10,32}$).
func TestOrganizationAndAccount(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	if err := os.WriteFile(path, []byte("organization_id: o-a1b2c3d4e5\naccount_id: \"111122223333\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.OrganizationID != "o-a1b2c3d4e5" || s.AccountID != "111122223333" {
		t.Fatalf("read %+v", s)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	s.Merge(Setup{OrganizationID: "o-zzzzzzzzzz99"})
	if s.OrganizationID != "o-zzzzzzzzzz99" || s.AccountID != "111122223333" {
		t.Fatalf("merged %+v", s)
	}
	for _, bad := range []Setup{{OrganizationID: "a1b2c3d4e5"}, {OrganizationID: "o-ABC"}, {AccountID: "1111"}, {AccountID: "11112222333a"}} {
		if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "organization_id") && !strings.Contains(err.Error(), "account_id") {
			t.Errorf("%+v: error %v", bad, err)
		}
	}
}
