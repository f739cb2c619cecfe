# Shared wording for smlint findings: how messages name the vendor and refer
# to statements, so that every rule words them the same way. (lib.rego holds
# the package annotation.)
package smlint.lib

import rego.v1

# The vendor's name in the possessive ("Supermetrics'").
vendor_possessive := concat("", [input.vendor.display_name, "'"]) if {
	endswith(input.vendor.display_name, "s")
} else := concat("", [input.vendor.display_name, "'s"])

# statement_ref names a statement of a document in a message: its quoted Sid,
# else its position ("#2").
statement_ref(s) := sprintf("%q", [s.sid]) if s.sid != ""

statement_ref(s) := sprintf("#%d", [s.index + 1]) if s.sid == ""

# statement_label names a deciding statement of a request (an element of
# r.because) in a message.
statement_label(b) := sprintf("statement %q", [b.sid]) if b.sid != ""

statement_label(b) := "a statement without Sid" if b.sid == ""
