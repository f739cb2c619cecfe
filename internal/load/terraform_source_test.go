package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Terraform configuration files (.tf HCL, .tf.json) are what an IAM
// repository's hooks see: they are listed as not checked with how to make a
// plan, never an "invalid JSON" input error, whether named or found in a
// directory; a plan saved under a .tf.json name is still read as a plan.
func TestTerraformSourceFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	hcl := write("main.tf", "# IAM for Supermetrics\nresource \"aws_iam_role\" \"x\" {\n  name = \"x\"\n}\n")
	tfjson := write("iam.tf.json", `{"resource": {"aws_iam_role": {"x": {"name": "x"}}}}`)
	broken := write("broken.tf.json", `{"resource": `)
	plan, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "format-terraform-plan-good", "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	planTF := write("saved.tf.json", string(plan))
	check := func(t *testing.T, in *Input, want ...string) {
		t.Helper()
		if len(in.Errors) != 0 {
			t.Errorf("errors %+v, want none", in.Errors)
		}
		got := map[string]bool{}
		for _, e := range in.NotChecked {
			if !strings.Contains(e.Message, "terraform show -json") || strings.Contains(e.Message, "invalid") {
				t.Errorf("%s: message %q", e.File, e.Message)
			}
			got[e.File] = true
		}
		for _, w := range want {
			if !got[w] {
				t.Errorf("%s not listed as not checked: %+v", w, in.NotChecked)
			}
		}
		if len(got) != len(want) {
			t.Errorf("not checked %+v, want %v", in.NotChecked, want)
		}
		if len(in.Principals) == 0 {
			t.Errorf("the plan saved as %s was not read", filepath.Base(planTF))
		}
	}
	t.Run("directory", func(t *testing.T) {
		check(t, Paths([]string{dir}, Options{}), hcl, tfjson, broken)
	})
	t.Run("named", func(t *testing.T) {
		check(t, Paths([]string{hcl, tfjson, broken, planTF}, Options{}), hcl, tfjson, broken)
	})
}
