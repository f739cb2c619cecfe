package loadtest

import (
	"encoding/json"
	"testing"
)

func TestAccountExportShape(t *testing.T) {
	data := AccountExport(10, 4, 3)
	var e struct {
		RoleDetailList []struct{ RoleName string }
		Policies       []struct {
			PolicyVersionList []struct{ IsDefaultVersion bool }
		}
	}
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatal(err)
	}
	if len(e.RoleDetailList) != 10 || len(e.Policies) != 4 || len(e.Policies[0].PolicyVersionList) != 3 || !e.Policies[0].PolicyVersionList[2].IsDefaultVersion {
		t.Errorf("shape: %d roles, %d policies", len(e.RoleDetailList), len(e.Policies))
	}
}
