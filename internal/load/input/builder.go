package input

import (
	"errors"
	"fmt"

	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/tree"
)

// Builder is what a format writes one file into: the file's Input, and the
// bookkeeping formats that define resources share (a Terraform plan and a
// CloudFormation template both define roles and users, attach managed
// policies to them once each, and name buckets and keys that later
// resources refer to by resource key or by name).
//
// A resource key is whatever the format calls a resource: a Terraform
// address, a CloudFormation logical id.
type Builder struct {
	// File is the path of the file being read, as reports name it.
	File string
	// Kind is the kind the user forced on the file's policy documents
	// (--trust, --policy, ...), "" when none.
	Kind policy.Kind
	// Deployment is where the file's templates are deployed (the setup).
	Deployment Deployment
	// In is what the file adds up to. Formats append to it directly what
	// needs no bookkeeping.
	In *Input

	principals map[string]*Principal          // by resource key
	byName     map[string]*Principal          // by "role/NAME" or "user/NAME", known names only
	attached   map[*Principal]map[string]bool // managed policies attached, by the key the format gave
	buckets    map[string]*BucketFacts        // by resource key
	bucketName map[string]*BucketFacts        // by bucket name (known names only)
	keys       map[string]*KeyFacts           // by resource key
	keyIDs     map[string]*KeyFacts           // by known key id or key ARN
	docs       map[docKey]*policy.Document    // parsed once per resource key and kind
	ahead      map[DocNode]parsedDoc          // parsed ahead, not yet asked for (ParseAhead)
}

type docKey struct {
	key  string
	kind policy.Kind
}

// NewBuilder starts the Input of one file.
func NewBuilder(file string, kind policy.Kind, d Deployment) *Builder {
	return &Builder{File: file, Kind: kind, Deployment: d, In: &Input{}}
}

// Errorf records a part of the file that could not be read.
func (b *Builder) Errorf(line int, format string, args ...any) {
	b.In.Errors = append(b.In.Errors, FileError{File: b.File, Line: line, Message: fmt.Sprintf(format, args...)})
}

// DocError records a policy document named name that could not be parsed,
// at line.
func (b *Builder) DocError(line int, name string, err error) {
	b.In.Errors = append(b.In.Errors, FileError{File: b.File, Line: line, Message: name + ": " + ParseMessage(err)})
}

// Skip records something of the file left out on purpose, with the reason.
func (b *Builder) Skip(line int, message string) {
	b.In.Skipped = append(b.In.Skipped, FileError{File: b.File, Line: line, Message: message})
}

// NotChecked records that the file (or a part of it) holds nothing smlint
// evaluates, with the reason.
func (b *Builder) NotChecked(line int, message string) {
	b.In.NotChecked = append(b.In.NotChecked, FileError{File: b.File, Line: line, Message: message})
}

// Unresolved records a value the file leaves unknown. address is the
// resource key as people know it ("" for none).
func (b *Builder) Unresolved(line int, address, what, reason string) {
	b.In.Unresolved = append(b.In.Unresolved, Unresolved{File: b.File, Line: line, Address: address, What: what, Reason: reason})
}

// Document adds a document tied to no principal (a bucket or key policy,
// an SCP, a policy whose principal is not known).
func (b *Builder) Document(d *policy.Document) {
	b.In.Documents = append(b.In.Documents, d)
}

// ParseDoc parses the policy document in n, recording a failure under what
// (for example "trust policy of role/x"), which also becomes the document's
// Name.
func (b *Builder) ParseDoc(n *tree.Node, kind policy.Kind, what string) *policy.Document {
	if n == nil {
		return nil
	}
	if n.Kind == tree.Null {
		b.Errorf(n.Line, "%s is null", what)
		return nil
	}
	d, err := b.fromNode(n, kind)
	if err != nil {
		fe := ErrorOf(b.File, err)
		if what != "" { // raw documents have no name: no ": " before the message
			fe.Message = what + ": " + fe.Message
		}
		b.In.Errors = append(b.In.Errors, fe)
		return nil
	}
	d.Name = what
	return d
}

// Once returns the document parse gives for a resource key and kind,
// calling parse only the first time (a managed policy attached to many
// principals is parsed, and its problems reported, once).
func (b *Builder) Once(key string, kind policy.Kind, parse func() *policy.Document) *policy.Document {
	k := docKey{key, kind}
	if d, ok := b.docs[k]; ok {
		return d
	}
	d := parse()
	if b.docs == nil {
		b.docs = map[docKey]*policy.Document{}
	}
	b.docs[k] = d
	return d
}

// AddPrincipal adds a role or user the file defines under its resource key
// (and its name, when known).
func (b *Builder) AddPrincipal(key string, p *Principal) {
	if b.principals == nil {
		b.principals = map[string]*Principal{}
	}
	b.principals[key] = p
	b.add(p)
}

func (b *Builder) add(p *Principal) {
	if !policy.IsUnknown(p.Name) && p.Name != "" {
		if b.byName == nil {
			b.byName = map[string]*Principal{}
		}
		b.byName[p.Type+"/"+p.Name] = p
	}
	b.In.Principals = append(b.In.Principals, p)
}

// PrincipalAt returns the role or user defined under a resource key.
func (b *Builder) PrincipalAt(key string) *Principal { return b.principals[key] }

// PrincipalNamed returns the role or user of type typ ("role", "user")
// named name. A name the file does not define is an existing principal the
// file adds to: it gets a principal of its own at line, incomplete (the
// file does not say what else is attached to it), whose ARN is left empty
// so that a get-role export of the same principal, given alongside, joins
// with it.
func (b *Builder) PrincipalNamed(typ, name string, line int) *Principal {
	if p := b.byName[typ+"/"+name]; p != nil {
		return p
	}
	p := &Principal{Type: typ, Name: name, File: b.File, Line: line}
	b.add(p)
	return p
}

// Attached reports whether the managed policy under key is attached to p.
func (b *Builder) Attached(p *Principal, key string) bool { return b.attached[p][key] }

// Attach attaches a managed policy to p once per key: its ARN (or the
// unknown marker for it) and, when the input holds it, its document. It
// reports whether it did (false: already attached).
func (b *Builder) Attach(p *Principal, key, arn string, d *policy.Document) bool {
	if b.attached[p][key] {
		return false
	}
	if b.attached == nil {
		b.attached = map[*Principal]map[string]bool{}
	}
	if b.attached[p] == nil {
		b.attached[p] = map[string]bool{}
	}
	b.attached[p][key] = true
	p.AttachedPolicies = append(p.AttachedPolicies, arn)
	if d != nil {
		p.Identity = append(p.Identity, d)
	}
	return true
}

// AddBucket adds a bucket the file defines under its resource key ("" for
// a bucket it only names) and indexes it by name unless the name is
// unknown.
func (b *Builder) AddBucket(key string, f *BucketFacts) {
	if key != "" {
		if b.buckets == nil {
			b.buckets = map[string]*BucketFacts{}
		}
		b.buckets[key] = f
	}
	if !policy.IsUnknown(f.Name) {
		if b.bucketName == nil {
			b.bucketName = map[string]*BucketFacts{}
		}
		b.bucketName[f.Name] = f
	}
	b.In.Buckets = append(b.In.Buckets, f)
}

// BucketAt returns the bucket defined under a resource key.
func (b *Builder) BucketAt(key string) *BucketFacts { return b.buckets[key] }

// BucketNamed returns the bucket of that name the file holds.
func (b *Builder) BucketNamed(name string) *BucketFacts { return b.bucketName[name] }

// AddKey adds a KMS key. A key the file defines (key is its resource key)
// is indexed by its known id and ARN too; a key the file only names
// (key "") is not indexed.
func (b *Builder) AddKey(key string, f *KeyFacts) {
	if key != "" {
		if b.keys == nil {
			b.keys, b.keyIDs = map[string]*KeyFacts{}, map[string]*KeyFacts{}
		}
		b.keys[key] = f
		for _, id := range []string{f.ARN, f.KeyID} {
			if !policy.IsUnknown(id) && id != "" {
				b.keyIDs[id] = f
			}
		}
	}
	b.In.Keys = append(b.In.Keys, f)
}

// KeyAt returns the key defined under a resource key.
func (b *Builder) KeyAt(key string) *KeyFacts { return b.keys[key] }

// KeyWithID returns the key the file defines with that key id or ARN.
func (b *Builder) KeyWithID(id string) *KeyFacts { return b.keyIDs[id] }

// ErrorOf turns a tree, policy or other error into a FileError with the
// line it names.
func ErrorOf(file string, err error) FileError {
	var te *tree.Error
	if errors.As(err, &te) {
		return FileError{File: file, Line: te.Line, Message: te.Msg}
	}
	var pe *policy.ParseError
	if errors.As(err, &pe) {
		return FileError{File: file, Line: pe.Line, Message: pe.Msg}
	}
	return FileError{File: file, Message: err.Error()}
}

// ParseMessage is a policy parse error without the file and line, which
// the FileError carries.
func ParseMessage(err error) string {
	var pe *policy.ParseError
	if errors.As(err, &pe) {
		return pe.Msg
	}
	return err.Error()
}
