// Command smlint tells an AWS administrator whether their account is set up
// so that Supermetrics can upload files into their S3 bucket, and if not,
// which line of which policy is wrong and what to write instead.
package main

import (
	"os"
)

func main() {
	adviseHugePages(os.Getenv)
	tuneGC(os.Getenv)
	stopProfile := startProfile(os.Getenv)
	code := run(os.Args, os.Stdout, os.Stderr, os.Getenv)
	stopProfile()
	os.Exit(code)
}
