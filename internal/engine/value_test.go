package engine

import (
	"strconv"
	"sync"
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
		sameAsJSON(t, v)
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

// valueFacts has the field kinds of ruleinput.StatementFacts: lists and
// booleans, mostly empty.
type valueFacts struct {
	Lists [][]string `json:"lists"`
	Names []string   `json:"names"`
	Some  bool       `json:"some"`
	Tags  []string   `json:"tags,omitempty"`
}

// valueOperator has the field kinds of ruleinput.Operator: scalars only.
type valueOperator struct {
	Valid bool   `json:"valid"`
	Base  string `json:"base"`
	Count int    `json:"count"`
	Size  uint8  `json:"size,omitempty"`
}

// valueTree contains itself.
type valueTree struct {
	Name string               `json:"name"`
	Kids []valueTree          `json:"kids"`
	Next *valueTree           `json:"next"`
	ByID map[string]valueTree `json:"by_id"`
}

// sameAsJSON fails unless v converts to its JSON round trip.
func sameAsJSON(t *testing.T, v any) ast.Value {
	t.Helper()
	want, err := ast.InterfaceToValue(v)
	if err != nil {
		t.Fatal(err)
	}
	got, err := toValue(v)
	if err != nil {
		t.Fatal(err)
	}
	if got.Compare(want) != 0 {
		t.Errorf("%T converts to\n%v\nits JSON is\n%v", v, got, want)
	}
	return got
}

// TestSharedValuesAreTheirJSON: structs that are all empty, or of scalars
// only, convert to one shared value per shape or content, and that value is
// the JSON of each of them (null and empty lists, true booleans and every
// scalar told apart).
func TestSharedValuesAreTheirJSON(t *testing.T) {
	facts := []struct {
		v     valueFacts
		empty bool
	}{
		{valueFacts{}, true}, {valueFacts{Names: []string{}}, true}, {valueFacts{Lists: [][]string{}, Names: []string{}}, true},
		{valueFacts{Some: true}, true}, {valueFacts{Tags: []string{}}, true},
		{valueFacts{Names: []string{"x"}}, false}, {valueFacts{Lists: [][]string{{}}}, false}, {valueFacts{Tags: []string{"t"}, Some: true}, false},
	}
	for _, f := range facts {
		a, b := sameAsJSON(t, f.v), sameAsJSON(t, &f.v)
		if f.empty && a != b {
			t.Errorf("%+v: two conversions of an empty struct are not one value", f.v)
		}
		if !f.empty && a == b {
			t.Errorf("%+v: two conversions of a struct with members are one value", f.v)
		}
	}
	ops := []valueOperator{{}, {Valid: true}, {Base: "stringlike"}, {Base: "stringlike", Count: -1}, {Base: "s", Count: 1},
		{Base: "s\x01", Count: 1}, {Base: "s", Size: 7}, {Valid: true, Base: "stringlike", Count: 3, Size: 1}}
	seen := map[ast.Value]valueOperator{}
	for _, op := range ops {
		a, b := sameAsJSON(t, op), sameAsJSON(t, op)
		if a != b {
			t.Errorf("%+v: two conversions of a struct of scalars are not one value", op)
		}
		if other, ok := seen[a]; ok {
			t.Errorf("%+v and %+v share one value", op, other)
		}
		seen[a] = op
	}
	// Past maxKept values of a type, the new ones are built each time,
	// and still right.
	for i := range 2 * maxKept {
		sameAsJSON(t, valueOperator{Base: strconv.Itoa(i), Count: i})
	}
}

func TestSelfContainingTypeConverts(t *testing.T) {
	leaf := valueTree{Name: "leaf"}
	sameAsJSON(t, valueTree{Name: "root", Kids: []valueTree{leaf, {Name: "mid", Kids: []valueTree{}}}, Next: &leaf,
		ByID: map[string]valueTree{"a": leaf}})
}

// TestConcurrentConversions share converters, encoders and shared values
// (go test -race).
func TestConcurrentConversions(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				sameAsJSON(t, valueFacts{Some: i%2 == 0, Names: []string{}})
				sameAsJSON(t, valueOperator{Base: strconv.Itoa(i % 7), Count: g})
				sameAsJSON(t, valueTree{Name: "n", Kids: []valueTree{{Name: strconv.Itoa(i)}}})
			}
		})
	}
	wg.Wait()
}
