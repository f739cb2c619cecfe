package policy

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/smlint/smlint/internal/tree"
)

// TestCompactSource: a document found inside a larger file gets as Source
// its JSON without white space, member order and duplicates kept, strings
// escaped as JSON requires (quotes, backslashes, control characters) and
// nothing else escaped (UTF-8, '<', '/' as they are), so that Size counts
// what IAM counts.
func TestCompactSource(t *testing.T) {
	src := "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Sid\": \"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001fh\", \"Effect\": \"Allow\",\n" +
		"     \"Action\": [\"s3:Get*\", \"s3:Put<Object>/\"], \"Resource\": \"arn:aws:s3:::bücket/*\",\n" +
		"     \"Condition\": {\"NumericLessThan\": {\"s3:max-keys\": 10.5}, \"Bool\": {\"aws:SecureTransport\": true}, \"Null\": null}},\n" +
		"    {\"Effect\": \"Deny\", \"Action\": [], \"Resource\": {}, \"Effect\": \"Allow\"}\n  ]\n}\n"
	n, err := tree.FromJSON([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Version":"2012-10-17","Statement":[{"Sid":"a\"b\\c\nd\re\tf\u0001g\u001fh","Effect":"Allow",` +
		`"Action":["s3:Get*","s3:Put<Object>/"],"Resource":"arn:aws:s3:::bücket/*",` +
		`"Condition":{"NumericLessThan":{"s3:max-keys":10.5},"Bool":{"aws:SecureTransport":true},"Null":null}},` +
		`{"Effect":"Deny","Action":[],"Resource":{},"Effect":"Allow"}]}`
	for i := 0; i < 3; i++ { // the scratch buffer is reused between calls
		if got := compact(n); got != want {
			t.Fatalf("compact:\n got %s\nwant %s", got, want)
		}
	}
	var c bytes.Buffer
	if err := json.Compact(&c, []byte(src)); err != nil || !bytes.Equal(c.Bytes(), []byte(want)) {
		t.Errorf("encoding/json compacts the text differently (%v):\n%s", err, c.Bytes())
	}
	if got := compact(n.Get("Statement").Items[1]); got != `{"Effect":"Deny","Action":[],"Resource":{},"Effect":"Allow"}` {
		t.Errorf("a smaller document after a larger one: %s", got)
	}
}
