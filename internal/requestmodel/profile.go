package requestmodel

import (
	"encoding/json"
	"fmt"
	"io/fs"

	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/rules"
)

// Call is one API call the vendor makes on the customer's resources.
type Call struct {
	ID     string `json:"id"`     // stable request id used by rules ("put-object")
	Action string `json:"action"` // IAM action
	On     string `json:"on"`     // "object" or "bucket" (S3 calls)
	Need   string `json:"need"`   // required | expected | optional | upload | multipart
}

// Profile is a vendor's facts (SPEC §1), loaded from rules/profile/NAME.json
// and overridable from .smlint.yaml.
type Profile struct {
	Name                     string   `json:"name"`
	DisplayName              string   `json:"display_name"`
	PrincipalARN             string   `json:"principal_arn"`
	Account                  string   `json:"account"`
	Partition                string   `json:"partition"`
	AssumeAction             string   `json:"assume_action"`
	SetupGuideExampleRoleARN string   `json:"setup_guide_example_role_arn"`
	Calls                    []Call   `json:"calls"`
	KMSCalls                 []Call   `json:"kms_calls"`
	IPRanges                 []string `json:"ip_ranges"`
	ExternalID               string   `json:"external_id"`
	Docs                     struct {
		Setup       string `json:"setup"`
		IPAllowlist string `json:"ip_allowlist"`
	} `json:"docs"`
}

// PrincipalName is the name of the vendor's role, the last segment of
// PrincipalARN ("" when that is not an ARN).
func (p *Profile) PrincipalName() string {
	a, _ := policy.ParseARN(p.PrincipalARN)
	return a.Name()
}

// Load reads the embedded profile called name.
func Load(name string) (*Profile, error) {
	data, err := fs.ReadFile(rules.FS, "profile/"+name+".json")
	if err != nil {
		return nil, fmt.Errorf("vendor profile %q: %w", name, err)
	}
	var p Profile
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("vendor profile %q: %w", name, err)
	}
	return &p, nil
}

// Default is the Supermetrics profile.
func Default() *Profile {
	p, err := Load("supermetrics")
	if err != nil {
		// The profile is embedded at build time; failing here means the
		// binary was built from a broken tree, which tests catch.
		panic(err)
	}
	return p
}
