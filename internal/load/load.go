package load

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/smlint/smlint/internal/load/input"
	"github.com/smlint/smlint/internal/parallel"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/tree"
)

// Options change how paths are read.
type Options struct {
	// Kinds forces the kind of the policy documents read from a path (a
	// file, or every file under a directory), from the CLI flags --trust,
	// --policy, --bucket-policy, --key-policy, --boundary and --scp. The key
	// is the path as the user wrote it.
	Kinds map[string]policy.Kind
	// Deployment is where the user's templates are deployed, from the setup
	// (CloudFormation pseudo parameters AWS::AccountId, AWS::Region).
	Deployment Deployment
	// Levels gives the organisation level of the SCPs read from a path
	// (--scp root:FILE, --scp ou:FILE, --scp account:FILE, or `scps:` in
	// .smlint.yaml): "root", "ou", an OU id, "account". The key is the path as
	// the user wrote it.
	Levels map[string]string
	// Stdin is read for the path "-" (a piped aws command), as a file
	// named StdinName.
	Stdin io.Reader
}

// StdinName is what reports call the document read from standard input.
const StdinName = "<stdin>"

// dataExt are the extensions read when walking a directory.
var dataExt = map[string]bool{".json": true, ".yaml": true, ".yml": true, ".template": true}

// TerraformSourceMessage is what a Terraform configuration file (.tf, or
// .tf.json that is not a plan) gets: smlint reads plans, and says how to
// make one, instead of failing on HCL as "invalid JSON".
const TerraformSourceMessage = "Terraform configuration, which smlint does not read (it reads plans): " +
	"make one with `terraform plan -out p && terraform show -json p > plan.json` and check plan.json"

// terraformSource reports whether name is a Terraform configuration file:
// HCL (.tf) or its JSON syntax (.tf.json).
func terraformSource(name string) bool {
	n := strings.ToLower(name)
	return strings.HasSuffix(n, ".tf") || strings.HasSuffix(n, ".tf.json")
}

func isYAMLName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".template":
		return true
	}
	return false
}

// skipDir names directories never descended into (besides hidden ones).
var skipDir = map[string]bool{"node_modules": true}

// job is one file to read.
type job struct {
	path     string
	explicit bool // named by the user, not found in a directory
	kind     policy.Kind
	level    string    // organisation level of an SCP file ("" when not known)
	stdin    io.Reader // the path "-"
	// regular: the walk or a stat found a regular file at path (readFile
	// then opens it without a stat of its own).
	regular bool
}

// Paths reads every file and directory in paths (directories recursively,
// skipping hidden directories and node_modules, not following symbolic links
// to directories) and returns what they hold. Files are read once each,
// concurrently, and merged in path order. A file that cannot be read becomes
// an entry of Errors; the others are still read.
func Paths(paths []string, opts Options) *Input {
	in := &Input{}
	var jobs []job
	counted := map[string]bool{}
	queued := map[string]bool{}
	// count notes a file as examined (once, however often it is reached).
	count := func(path string) {
		if key := filepath.Clean(path); !counted[key] {
			counted[key] = true
			in.Files++
		}
	}
	add := func(j job) {
		count(j.path)
		key := filepath.Clean(j.path)
		if queued[key] {
			return
		}
		queued[key] = true
		jobs = append(jobs, j)
	}
	for _, p := range paths {
		kind := opts.Kinds[filepath.Clean(p)]
		if k, ok := opts.Kinds[p]; ok {
			kind = k
		}
		level := opts.Levels[filepath.Clean(p)]
		if l, ok := opts.Levels[p]; ok {
			level = l
		}
		if p == "-" && opts.Stdin != nil {
			if !queued["-"] {
				queued["-"] = true
				in.Files++
				jobs = append(jobs, job{path: StdinName, explicit: true, kind: kind, stdin: opts.Stdin})
			}
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			in.Errors = append(in.Errors, FileError{File: p, Message: errMessage(err)})
			continue
		}
		if !st.IsDir() {
			add(job{path: p, explicit: true, kind: kind, level: level, regular: st.Mode().IsRegular()})
			continue
		}
		walkDir(p, kind, level, opts, in, add, count)
	}
	sort.SliceStable(jobs, func(i, j int) bool { return jobs[i].path < jobs[j].path })

	results := make([]*Input, len(jobs))
	parallel.For(len(jobs), runtime.GOMAXPROCS(0), func(i int) {
		results[i] = readJob(jobs[i], opts.Deployment)
	})
	for _, r := range results {
		merge(in, r)
	}
	join(in)
	return in
}

// walkDir adds the data files under root. A symlink to a directory is not
// followed (it could loop); a symlink to a file is read like the file.
func walkDir(root string, kind policy.Kind, level string, opts Options, in *Input, add func(job), count func(string)) {
	// A trailing separator makes WalkDir descend into root even when root
	// itself is a symbolic link the user named.
	start := root
	if !strings.HasSuffix(start, string(filepath.Separator)) {
		start += string(filepath.Separator)
	}
	err := filepath.WalkDir(start, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			in.Errors = append(in.Errors, FileError{File: path, Message: errMessage(err)})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if path != start && (strings.HasPrefix(name, ".") && name != "." && name != ".." || skipDir[name]) {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(name, ".") {
			return nil
		}
		// A file with a data extension that cannot be read (a symbolic
		// link loop, a dangling link, a FIFO or device named *.json) is an
		// input error, not a quiet skip: it looks like a document the
		// user meant smlint to read, and SPEC §3 makes an unreadable input
		// exit 2. Other names stay skipped.
		isData := dataExt[strings.ToLower(filepath.Ext(name))] || terraformSource(name)
		mode := d.Type()
		if mode&fs.ModeSymlink != 0 {
			st, err := os.Stat(path)
			if err != nil {
				count(path)
				fe := FileError{File: path, Message: "broken symbolic link: " + errMessage(err)}
				if isData {
					in.Errors = append(in.Errors, fe)
				} else {
					in.Skipped = append(in.Skipped, fe)
				}
				return nil
			}
			if st.IsDir() {
				count(path)
				in.Skipped = append(in.Skipped, FileError{File: path, Message: "symbolic link to a directory, not followed"})
				return nil
			}
			mode = st.Mode().Type()
		}
		count(path)
		if !isData {
			return nil
		}
		if !mode.IsRegular() {
			in.Errors = append(in.Errors, FileError{File: path, Message: "not a regular file (FIFO, socket or device); smlint reads only regular files"})
			return nil
		}
		k, l := kind, level
		if fk, ok := opts.Kinds[filepath.Clean(path)]; ok {
			k = fk
		}
		if fl, ok := opts.Levels[filepath.Clean(path)]; ok {
			l = fl
		}
		add(job{path: path, kind: k, level: l, regular: true})
		return nil
	})
	if err != nil {
		in.Errors = append(in.Errors, FileError{File: root, Message: errMessage(err)})
	}
}

func errMessage(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}

// readJob reads and loads one file into a fresh Input.
func readJob(j job, d Deployment) (out *Input) {
	b := input.NewBuilder(j.path, j.kind, d)
	out = b.In
	var mapped *mapping
	defer func() {
		if r := recover(); r != nil {
			msg := fmt.Sprintf("internal error while loading this file: %v", r)
			if _, fault := r.(interface{ Addr() uintptr }); fault && mapped != nil {
				msg = "the file changed while it was read (it became shorter): run smlint again"
			}
			*out = Input{Errors: []FileError{{File: j.path, Message: msg}}}
		}
	}()
	var data []byte
	// data is the job's own (read, not mapped): the tree may keep it.
	parseJSON := tree.FromJSONKeeping
	var err error
	if j.stdin != nil {
		limit := int64(tree.DefaultLimits.MaxBytes)
		if data, err = io.ReadAll(io.LimitReader(j.stdin, limit+1)); err == nil && int64(len(data)) > limit {
			err = fmt.Errorf("standard input is over the %d-byte limit", limit)
		}
	} else {
		data, mapped, err = readFile(j.path, j.regular)
	}
	if mapped != nil {
		defer mapped.close()
		// A mapped file that shrinks while it is read faults on the pages
		// past its new end (SIGBUS): a panic recovered above, not a crash.
		defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
		parseJSON = func(data []byte) (*tree.Node, error) { return tree.FromJSONPassing(data, mapped.passed) }
		mappedHook(j.path)
	}
	if err != nil {
		out.Errors = append(out.Errors, FileError{File: j.path, Message: errMessage(err)})
	} else {
		loadBytes(data, j.explicit, b, parseJSON)
	}
	finishFile(j.path, j.explicit, j.kind, j.level, out)
	return out
}

// mappedHook is called with the path of each mapped file before it is
// parsed; tests change the file there.
var mappedHook = func(string) {}

// Bytes loads the content of one file as if the user had named it. kind
// forces the kind of its policy documents ("" to detect it).
func Bytes(file string, data []byte, kind policy.Kind) (out *Input) {
	b := input.NewBuilder(file, kind, Deployment{})
	out = b.In
	out.Files = 1
	defer func() {
		if r := recover(); r != nil {
			*out = Input{Files: 1, Errors: []FileError{{File: file, Message: fmt.Sprintf("internal error while loading this file: %v", r)}}}
		}
	}()
	loadBytes(data, true, b, tree.FromJSON) // data is the caller's
	finishFile(file, true, kind, "", out)
	join(out)
	return out
}

// interesting reports whether text that failed to parse looks like something
// smlint reads, so that a broken policy in a directory is reported while a
// tsconfig.json with comments is skipped quietly.
func interesting(data []byte) bool {
	s := string(data)
	for _, k := range []string{`"Statement"`, `Document"`, `"Policy"`, `"Resources"`, `"format_version"`, "Statement:", "Resources:"} {
		if strings.Contains(s, k) {
			return true
		}
	}
	return false
}

// loadBytes parses one file's content and loads it with the first format
// that recognises it; a file no format recognises is reported according to
// how it was named. parseJSON reads JSON text (tree.FromJSON, or the
// variant for how data is held: FromJSONKeeping, FromJSONPassing).
func loadBytes(data []byte, explicit bool, b *input.Builder, parseJSON func([]byte) (*tree.Node, error)) {
	file, kind, in := b.File, b.Kind, b.In
	var root *tree.Node
	var err error
	tfSource := terraformSource(file)
	if tfSource && strings.HasSuffix(strings.ToLower(file), ".tf") {
		// HCL: listed as not checked (never an input error that would hide
		// the other files' results), whether named or found in a directory.
		in.NotChecked = append(in.NotChecked, FileError{File: file, Message: TerraformSourceMessage})
		return
	}
	if root, err = parseData(file, data, parseJSON); err != nil && tfSource {
		in.NotChecked = append(in.NotChecked, FileError{File: file, Message: TerraformSourceMessage})
		return
	}
	if err != nil {
		if !explicit && !interesting(data) {
			in.Skipped = append(in.Skipped, FileError{File: file, Message: "not readable as JSON or YAML: " + err.Error()})
			return
		}
		in.Errors = append(in.Errors, input.ErrorOf(file, err))
		return
	}
	if f, ok := detect(root); ok {
		f.Load(root, b)
		return
	}
	switch {
	case tfSource:
		// .tf.json that is not a plan (a plan named so is read above).
		in.NotChecked = append(in.NotChecked, FileError{File: file, Line: root.Line, Message: TerraformSourceMessage})
	case kind != "":
		in.Errors = append(in.Errors, FileError{File: file, Line: root.Line,
			Message: fmt.Sprintf("given as a %s policy but is not a policy document (no Statement) or an AWS CLI output smlint reads", kind)})
	case explicit && root.Kind == tree.Object && root.Get("Statement") == nil && looksPolicyLike(root):
		in.Errors = append(in.Errors, FileError{File: file, Line: root.Line, Message: "looks like a policy document but has no Statement element"})
	case explicit:
		// A file the user named is never dropped silently: the report lists
		// it as not checked, so nobody believes it was. It is not an input
		// error either: a pre-commit hook passes every changed file, and a
		// package.json beside the policies must not fail the commit (the
		// issue: "JSON that is not a policy is skipped quietly").
		in.NotChecked = append(in.NotChecked, FileError{File: file, Line: root.Line,
			Message: fmt.Sprintf("not a policy document or an AWS CLI output, Terraform plan or CloudFormation template smlint reads (the top level is %s)", describeTop(root))})
	default:
		in.Skipped = append(in.Skipped, FileError{File: file, Message: "not a policy document or an AWS CLI output smlint reads"})
	}
}

// parseData parses a file's content: YAML when the name says so and the
// text does not start like JSON, JSON otherwise (with parseJSON).
func parseData(file string, data []byte, parseJSON func([]byte) (*tree.Node, error)) (*tree.Node, error) {
	trimmed := strings.TrimLeft(string(data[:min(len(data), 64)]), "\ufeff \t\r\n")
	looksJSON := strings.HasPrefix(trimmed, "{") || strings.HasPrefix(trimmed, "[") || strings.HasPrefix(trimmed, `"`)
	if isYAMLName(file) && !looksJSON {
		return tree.FromYAML(data)
	}
	return parseJSON(data)
}

// describeTop names the shape of a file's top level for an error message.
func describeTop(root *tree.Node) string {
	switch root.Kind {
	case tree.Object:
		keys := make([]string, 0, 4)
		for _, m := range root.Members {
			if len(keys) == 3 {
				keys = append(keys, "...")
				break
			}
			keys = append(keys, fmt.Sprintf("%q", m.Key))
		}
		if len(keys) == 0 {
			return "an empty object"
		}
		return "an object with " + strings.Join(keys, ", ")
	case tree.Array:
		return "an array"
	}
	return "a " + root.Kind.String()
}

// looksPolicyLike: an object whose keys are policy elements (a document
// missing its Statement, or a bare statement).
func looksPolicyLike(root *tree.Node) bool {
	for _, m := range root.Members {
		switch m.Key {
		case "Version", "Effect", "Action", "Principal":
			return true
		}
	}
	return false
}

// merge appends one file's results to in.
func merge(in, r *Input) {
	if r == nil {
		return
	}
	in.Documents = append(in.Documents, r.Documents...)
	in.Principals = append(in.Principals, r.Principals...)
	in.Buckets = append(in.Buckets, r.Buckets...)
	in.Keys = append(in.Keys, r.Keys...)
	in.Aliases = append(in.Aliases, r.Aliases...)
	in.Grants = append(in.Grants, r.Grants...)
	in.Unresolved = append(in.Unresolved, r.Unresolved...)
	in.Errors = append(in.Errors, r.Errors...)
	in.Skipped = append(in.Skipped, r.Skipped...)
	in.NotChecked = append(in.NotChecked, r.NotChecked...)
	in.Attachments = append(in.Attachments, r.Attachments...)
	in.TagLists = append(in.TagLists, r.TagLists...)
	in.Organizations = append(in.Organizations, r.Organizations...)
	in.AttachmentLists += r.AttachmentLists
	in.Versions = append(in.Versions, r.Versions...)
	in.ManagedPolicies = append(in.ManagedPolicies, r.ManagedPolicies...)
	in.SCPs = append(in.SCPs, r.SCPs...)
	in.SCPLists = append(in.SCPLists, r.SCPLists...)
}
