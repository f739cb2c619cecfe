// Package load reads the files and directories a user names, detects what
// each file is (a raw policy document, an AWS CLI export, a whole-account
// export, a Terraform plan, a CloudFormation template), and normalises every
// one into policy Documents grouped by the principal they belong to. A file
// that cannot be read becomes a FileError naming the file and line; the other
// files are still loaded.
package load
