package engine

import (
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

type valueInner struct {
	Name  string            `json:"name"`
	Tags  map[string]string `json:"tags"`
	Count uint16            `json:"count"`
}

type valueSample struct {
	S        string              `json:"s"`
	B        bool                `json:"b"`
	I        int                 `json:"i"`
	Neg      int64               `json:"neg"`
	F        float64             `json:"f"`
	NilList  []string            `json:"nil_list"`
	Empty    []string            `json:"empty"`
	List     []string            `json:"list"`
	Ptr      *valueInner         `json:"ptr"`
	NilPtr   *valueInner         `json:"nil_ptr"`
	Omitted  *valueInner         `json:"omitted,omitempty"`
	OmitZero int                 `json:"omit_zero,omitempty"`
	Kept     string              `json:"kept,omitempty"`
	Inners   []valueInner        `json:"inners"`
	Map      map[string][]string `json:"map"`
	NilMap   map[string][]string `json:"nil_map"`
	Any      any                 `json:"any"`
	NoTag    string
	Skipped  string `json:"-"`
	private  string
}

// TestToValueIsTheJSONRoundTrip: the direct conversion gives the value
// ast.InterfaceToValue gets by encoding the struct to JSON and decoding
// it, so the rules see exactly what `--format input` prints.
func TestToValueIsTheJSONRoundTrip(t *testing.T) {
	in := valueSample{
		S: "a \"quoted\" <string>", B: true, I: 42, Neg: -7, F: 1.5,
		Empty: []string{}, List: []string{"x", "y"},
		Ptr:     &valueInner{Name: "n", Tags: map[string]string{"k": "v"}, Count: 3},
		Kept:    "yes",
		Inners:  []valueInner{{Name: "one"}, {Name: "two", Count: 2}},
		Map:     map[string][]string{"b": {"1"}, "a": nil},
		Any:     map[string]any{"nested": []any{"q", true}},
		NoTag:   "field name as key",
		Skipped: "never", private: "never",
	}
	for _, v := range []any{in, &in, valueSample{}} {
		want, err := ast.InterfaceToValue(v) // the JSON round trip
		if err != nil {
			t.Fatal(err)
		}
		got, err := toValue(v)
		if err != nil {
			t.Fatal(err)
		}
		if got.Compare(want) != 0 {
			t.Errorf("toValue:\n got %v\nwant %v", got, want)
		}
	}
}

func TestToValueRefusesUnsupportedTypes(t *testing.T) {
	if _, err := toValue(map[int]string{1: "a"}); err == nil {
		t.Error("a map with integer keys converted without error")
	}
	if _, err := toValue(struct{ C chan int }{}); err == nil {
		t.Error("a channel converted without error")
	}
}
