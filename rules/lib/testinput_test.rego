package smlint.lib.testinput_test

import rego.v1

# indexed(d) is the document d of a test input with the statements_with
# index the real input carries (ruleinput.IndexStatements in Go), derived
# from its statements: a test writes statements and facts, and the index
# follows from them as it does in smlint.
indexed(d) := object.union(d, {"statements_with": {
	"not_action": [i | some i, s in d.statements; object.get(s, "not_action", null) != null],
	"not_resource": [i | some i, s in d.statements; object.get(s, "not_resource", null) != null],
	"condition": [i | some i, s in d.statements; count(object.get(s, "condition", [])) > 0],
	"beyond_need": has_fact(d, "beyond_need"),
	"extra_reads": has_fact(d, "extra_reads"),
	"unknown_actions": has_fact(d, "unknown_actions"),
	"s3_beyond_destination": has_fact(d, "s3_beyond_destination"),
	"foreign_partition": has_fact(d, "foreign_partition"),
}})

has_fact(d, name) := [i | some i, s in d.statements; count(object.get(s, ["facts", name], [])) > 0]

test_indexed_lists_the_statements_that_have_each_list if {
	d := indexed({"statements": [
		{"not_action": null, "condition": [], "facts": {"beyond_need": []}},
		{"not_action": ["iam:*"], "condition": [{"key": "aws:SourceIp"}], "facts": {"beyond_need": [{"action": "s3:*"}]}},
	]})
	d.statements_with.not_action == [1]
	d.statements_with.condition == [1]
	d.statements_with.beyond_need == [1]
	d.statements_with.extra_reads == []
}
