// Package load reads the files and directories a user names, detects what
// each file is and normalises every one into one input.Input: policy
// documents grouped by the principal they belong to, bucket and key facts,
// SCPs, unresolved values. A file that cannot be read becomes a FileError
// naming the file and line; the other files are still loaded.
//
// Each input format lives in a package of its own behind input.Format
// (awscli: the AWS CLI outputs and the account export; terraform: plans;
// cloudformation: templates) and writes one file into an input.Builder;
// formats.go is the ordered table they are tried in. This package walks
// the paths, reads the files concurrently, merges them in path order and
// joins what separate files say about the same principal or bucket.
package load
