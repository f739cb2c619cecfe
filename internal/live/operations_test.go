package live

import (
	"reflect"
	"sort"
	"strings"
	"testing"
)

// readOnly reports whether an operation name only reads: the promise of
// SPEC §3 ("live, read-only").
func readOnly(op string) bool {
	name := op[strings.IndexByte(op, ':')+1:]
	if op == "STS:GetCallerIdentity" {
		return true
	}
	for _, p := range []string{"Get", "List", "Describe", "Simulate"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// TestOperationsAreTheClientInterfaces: the methods of the four client
// interfaces are exactly Operations, and every one of them only reads. The
// interfaces are the only way the code reaches AWS (Clients holds nothing
// else), so this is every operation the binary can call.
func TestOperationsAreTheClientInterfaces(t *testing.T) {
	var fromInterfaces []string
	for service, iface := range map[string]reflect.Type{
		"IAM":           reflect.TypeOf((*IAMAPI)(nil)).Elem(),
		"S3":            reflect.TypeOf((*S3API)(nil)).Elem(),
		"KMS":           reflect.TypeOf((*KMSAPI)(nil)).Elem(),
		"STS":           reflect.TypeOf((*STSAPI)(nil)).Elem(),
		"Organizations": reflect.TypeOf((*OrganizationsAPI)(nil)).Elem(),
	} {
		for i := 0; i < iface.NumMethod(); i++ {
			fromInterfaces = append(fromInterfaces, service+":"+iface.Method(i).Name)
		}
	}
	var listed []string
	for _, op := range Operations {
		listed = append(listed, op.API)
		if !readOnly(op.API) {
			t.Errorf("%s does not only read", op.API)
		}
	}
	sort.Strings(fromInterfaces)
	sort.Strings(listed)
	if !reflect.DeepEqual(fromInterfaces, listed) {
		t.Errorf("client interfaces %v\nOperations       %v", fromInterfaces, listed)
	}
	ct := reflect.TypeOf(Clients{})
	for i := 0; i < ct.NumField(); i++ {
		if f := ct.Field(i); f.Type.Kind() != reflect.Interface {
			t.Errorf("Clients.%s is a %s, not one of the read-only interfaces", f.Name, f.Type)
		}
	}
}
