package ruleinput

import (
	"reflect"
	"testing"
)

func TestIndexStatements(t *testing.T) {
	stmts := []Statement{
		{Action: []string{"s3:PutObject"}, Condition: []Condition{}},
		{NotAction: []string{"iam:*"}, NotResource: []string{"arn:aws:s3:::b/*"},
			Condition: []Condition{{Key: "aws:SourceIp"}},
			Facts:     StatementFacts{BeyondNeed: []ActionExamples{{Action: "*"}}, ForeignPartition: []PartitionOf{{Partition: "aws-cn"}}}},
		// An empty NotAction list is still a NotAction element.
		{NotAction: []string{}, Facts: StatementFacts{ExtraReads: []ActionExamples{{Action: "s3:GetObject"}},
			UnknownActions: []UnknownAction{{Action: "s3:PutObjects"}}, S3BeyondDestination: []S3Reach{{Resource: "*"}}}},
	}
	got := IndexStatements(stmts)
	want := StatementIndex{
		NotAction: []int{1, 2}, NotResource: []int{1}, Condition: []int{1}, BeyondNeed: []int{1},
		ExtraReads: []int{2}, UnknownActions: []int{2}, S3BeyondDestination: []int{2}, ForeignPartition: []int{1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("IndexStatements = %+v, want %+v", got, want)
	}
	// No statements: every list is [] (never null) in the rule input.
	empty := IndexStatements(nil)
	for _, l := range [][]int{empty.NotAction, empty.NotResource, empty.Condition, empty.BeyondNeed,
		empty.ExtraReads, empty.UnknownActions, empty.S3BeyondDestination, empty.ForeignPartition} {
		if l == nil {
			t.Errorf("IndexStatements(nil) has a nil list: %+v", empty)
		}
	}
}
