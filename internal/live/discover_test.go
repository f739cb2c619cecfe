package live

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/smlint/smlint/internal/check"
	"github.com/smlint/smlint/internal/policy"
	"github.com/smlint/smlint/internal/requestmodel"
)

// TestDiscover: without a role ARN, simulate lists every role (one role a
// page in the fake, so pagination is exercised) and reads in full only the
// roles whose trust names the vendor, its account or everyone — the same
// choice check makes for an account export (check.Candidate).
func TestDiscover(t *testing.T) {
	fi, fs, fk, st := world()
	fi.roles["app-server"] = &iamtypes.Role{Arn: aws.String("arn:aws:iam::111122223333:role/app-server"), RoleName: aws.String("app-server"),
		AssumeRolePolicyDocument: aws.String(rfc3986(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`))}
	fi.roles["anyone"] = &iamtypes.Role{Arn: aws.String("arn:aws:iam::111122223333:role/anyone"), RoleName: aws.String("anyone"),
		AssumeRolePolicyDocument: aws.String(rfc3986(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}`))}
	prof := requestmodel.Default()
	setup := roleSetup()
	setup.RoleARN = ""
	snap, err := Discover(context.Background(), Clients{IAM: fi, S3: fs, KMS: fk, STS: st}, setup, func(d *policy.Document) bool { return check.Candidate(d, prof) })
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, p := range snap.Principals {
		got[p.Name] = p.Trust != nil && p.Complete
	}
	if len(got) != 2 || !got["supermetrics-upload"] || !got["anyone"] {
		t.Errorf("read roles %v, want supermetrics-upload and anyone (not app-server)", got)
	}
	pages := 0
	for _, c := range snap.Calls {
		if c == "iam:ListRoles" {
			pages++
		}
	}
	if pages != 3 {
		t.Errorf("ListRoles pages = %d, want 3", pages)
	}

	// Nothing trusts the vendor: an input error that says how to go on.
	fi2, fs2, fk2, st2 := world()
	delete(fi2.roles, "supermetrics-upload")
	snap, err = Discover(context.Background(), Clients{IAM: fi2, S3: fs2, KMS: fk2, STS: st2}, setup, func(d *policy.Document) bool { return check.Candidate(d, prof) })
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Principals) != 0 || len(snap.Input.Errors) != 1 {
		t.Errorf("principals %d, errors %v", len(snap.Principals), snap.Input.Errors)
	}
}
