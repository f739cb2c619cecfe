// Package check runs one smlint analysis: it chooses the principals to
// evaluate from what was loaded, builds the vendor's requests from the
// request model, decides each with the IAM evaluation core, hands the
// documents and decisions to the Rego rules, and combines the result into a
// verdict (SPEC §4: upload, multipart_upload, ready).
package check
