package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// This is the one end-to-end test of the real SDK wiring: `smlint simulate`
// with static credentials from the environment and --endpoint-url pointing
// at a fake on 127.0.0.1 that speaks the IAM and STS Query API (form POST,
// XML answers) and the three S3 REST GETs (path-style). KMS is not faked:
// the bucket uses AES256, so no key is read. Decisions, limits and the
// reading of every API shape are covered with fake clients in internal/live.

const (
	e2eRole   = "arn:aws:iam::111122223333:role/supermetrics-upload"
	e2eBucket = "acme-exports"
)

// rfc3986 URL-encodes s as the IAM API returns policy documents.
func rfc3986(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("-_.~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

type fakeAWS struct {
	mu           sync.Mutex
	calls        []string
	simulateForm []url.Values
	denyPolicy   bool // s3:GetBucketPolicy answers 403 AccessDenied
	// hang lists operations ("GetCallerIdentity", "s3:policy") that accept
	// the request and never answer: a stand-in for a stuck proxy.
	hang map[string]bool
	// kmsKey, when set, is the bucket's default SSE-KMS key (a key ARN),
	// and the KMS JSON 1.1 API answers DescribeKey and GetKeyPolicy for it
	// with a key policy that lets the role use it.
	kmsKey string
	// keyStatus is the status of the user's one access key ("" = Active).
	keyStatus string
	// org, when set, puts the account in an organisation (see organizations).
	org *fakeOrg
	// lastBody is the body of the JSON request being answered.
	lastBody io.Reader
}

type fakeOrg struct {
	ouSCP  string // content of the OU's own SCP
	denied bool   // ListParents answers AccessDenied (a member account)
}

const (
	e2eUser = "supermetrics-uploader"
	e2eKey  = "AKIAIOSFODNN7EXAMPLE"
)

// organizations answers the Organizations JSON 1.1 protocol. Without org,
// the account is in no organisation (AWSOrganizationsNotInUseException, as
// DescribeOrganization answers then); with it, the account sits in one OU
// under the root, FullAWSAccess is attached at every level, and the OU also
// has f.org.ouSCP; orgDenied answers AccessDenied to ListParents, as a
// member account gets.
func (f *fakeAWS) organizations(w http.ResponseWriter, op string) {
	f.calls = append(f.calls, "organizations:"+op) // the caller holds f.mu
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	fail := func(code, msg string) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"__type":%q,"Message":%q}`, code, msg)
	}
	if f.org == nil {
		fail("AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")
		return
	}
	full := `{"Id":"p-FullAWSAccess","Arn":"arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess","Name":"FullAWSAccess","Type":"SERVICE_CONTROL_POLICY","AwsManaged":true}`
	ou := `{"Id":"p-examplescp1","Arn":"arn:aws:organizations::111111111111:policy/o-exampleorgid/service_control_policy/p-examplescp1","Name":"DenyOutsideRegions","Type":"SERVICE_CONTROL_POLICY","AwsManaged":false}`
	switch op {
	case "DescribeOrganization":
		fmt.Fprint(w, `{"Organization":{"Id":"o-exampleorgid","Arn":"arn:aws:organizations::111111111111:organization/o-exampleorgid","MasterAccountId":"111111111111","FeatureSet":"ALL"}}`)
	case "ListParents":
		if f.org.denied {
			fail("AccessDeniedException", "You don't have permissions to access this resource.")
			return
		}
		var body struct{ ChildId string }
		_ = json.NewDecoder(f.lastBody).Decode(&body) // a missing id answers as the account
		if strings.HasPrefix(body.ChildId, "ou-") {
			fmt.Fprint(w, `{"Parents":[{"Id":"r-examplerootid111","Type":"ROOT"}]}`)
		} else {
			fmt.Fprint(w, `{"Parents":[{"Id":"ou-exampleroot-exampleouid111","Type":"ORGANIZATIONAL_UNIT"}]}`)
		}
	case "ListPoliciesForTarget":
		var body struct{ TargetId string }
		_ = json.NewDecoder(f.lastBody).Decode(&body) // a missing id answers as the account
		if strings.HasPrefix(body.TargetId, "ou-") {
			fmt.Fprintf(w, `{"Policies":[%s,%s]}`, full, ou)
		} else {
			fmt.Fprintf(w, `{"Policies":[%s]}`, full)
		}
	case "DescribePolicy":
		var body struct{ PolicyId string }
		_ = json.NewDecoder(f.lastBody).Decode(&body) // a missing id answers as the account
		content := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
		sum := full
		if body.PolicyId == "p-examplescp1" {
			content, sum = f.org.ouSCP, ou
		}
		b, _ := json.Marshal(content)
		fmt.Fprintf(w, `{"Policy":{"PolicySummary":%s,"Content":%s}}`, sum, b)
	default:
		fail("InvalidInputException", "fake has no "+op)
	}
}

// kms answers the KMS JSON 1.1 protocol (X-Amz-Target: TrentService.OP).
func (f *fakeAWS) kms(w http.ResponseWriter, op string) {
	f.mu.Lock()
	f.calls = append(f.calls, "kms:"+op)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	keyPolicy := `{"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},` +
		`{"Sid":"Uploads","Effect":"Allow","Principal":{"AWS":"` + e2eRole + `"},"Action":["kms:GenerateDataKey","kms:Decrypt"],"Resource":"*"}]}`
	switch op {
	case "DescribeKey":
		id := f.kmsKey[strings.LastIndexByte(f.kmsKey, '/')+1:]
		fmt.Fprintf(w, `{"KeyMetadata":{"AWSAccountId":"111122223333","Arn":%q,"KeyId":%q,"KeyManager":"CUSTOMER","KeyState":"Enabled","KeyUsage":"ENCRYPT_DECRYPT","KeySpec":"SYMMETRIC_DEFAULT","Enabled":true,"Origin":"AWS_KMS","MultiRegion":false}}`, f.kmsKey, id)
	case "GetKeyPolicy":
		b, _ := json.Marshal(map[string]string{"Policy": keyPolicy, "PolicyName": "default"})
		_, _ = w.Write(b)
	default:
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"__type":"UnsupportedOperationException","message":"fake has no %s"}`, op)
	}
}

// stall blocks until the client gives up on the request.
func stall(r *http.Request) { <-r.Context().Done() }

func (f *fakeAWS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		f.s3(w, r)
		return
	}
	if t := r.Header.Get("X-Amz-Target"); strings.HasPrefix(t, "TrentService.") {
		f.kms(w, strings.TrimPrefix(t, "TrentService."))
		return
	} else if strings.HasPrefix(t, "AWSOrganizationsV20161128.") {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.lastBody = bytes.NewReader(body)
		f.organizations(w, strings.TrimPrefix(t, "AWSOrganizationsV20161128."))
		f.mu.Unlock()
		return
	}
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	action := form.Get("Action")
	f.mu.Lock()
	f.calls = append(f.calls, action)
	if action == "SimulatePrincipalPolicy" {
		f.simulateForm = append(f.simulateForm, form)
	}
	f.mu.Unlock()
	if f.hang[action] {
		stall(r)
		return
	}

	trust := rfc3986(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::043417694514:role/supermetrics-s3-role"},"Action":"sts:AssumeRole"}]}`)
	put := rfc3986(`{"Version":"2012-10-17","Statement":[{"Sid":"Put","Effect":"Allow","Action":["s3:PutObject","s3:DeleteObject"],"Resource":"arn:aws:s3:::acme-exports/reports/*"},` +
		`{"Sid":"Bucket","Effect":"Allow","Action":["s3:ListBucket","s3:GetBucketLocation"],"Resource":"arn:aws:s3:::acme-exports"}]}`)
	var result string
	switch action {
	case "GetCallerIdentity":
		result = `<Arn>arn:aws:iam::111122223333:user/auditor</Arn><UserId>AIDAEXAMPLE</UserId><Account>111122223333</Account>`
	case "GetRole":
		result = `<Role><Path>/</Path><RoleName>supermetrics-upload</RoleName><RoleId>AROAEXAMPLE</RoleId><Arn>` + e2eRole +
			`</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>` + trust + `</AssumeRolePolicyDocument></Role>`
	case "ListRolePolicies":
		result = `<PolicyNames><member>put</member></PolicyNames><IsTruncated>false</IsTruncated>`
	case "GetRolePolicy":
		result = `<RoleName>supermetrics-upload</RoleName><PolicyName>put</PolicyName><PolicyDocument>` + put + `</PolicyDocument>`
	case "ListAttachedRolePolicies", "ListAttachedUserPolicies":
		result = `<AttachedPolicies/><IsTruncated>false</IsTruncated>`
	case "ListRoles":
		ec2 := rfc3986(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)
		if form.Get("Marker") == "" {
			result = `<Roles><member><Path>/</Path><RoleName>app-server</RoleName><RoleId>AROAEXAMPLEAPP</RoleId><Arn>arn:aws:iam::111122223333:role/app-server</Arn>` +
				`<CreateDate>2024-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>` + ec2 + `</AssumeRolePolicyDocument></member></Roles>` +
				`<IsTruncated>true</IsTruncated><Marker>page2</Marker>`
		} else {
			result = `<Roles><member><Path>/</Path><RoleName>supermetrics-upload</RoleName><RoleId>AROAEXAMPLE</RoleId><Arn>` + e2eRole +
				`</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate><AssumeRolePolicyDocument>` + trust + `</AssumeRolePolicyDocument></member></Roles><IsTruncated>false</IsTruncated>`
		}
	case "GetUser":
		result = `<User><Path>/</Path><UserName>` + e2eUser + `</UserName><UserId>AIDAEXAMPLEUSER</UserId><Arn>arn:aws:iam::111122223333:user/` + e2eUser +
			`</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate></User>`
	case "ListUserPolicies":
		result = `<PolicyNames><member>put</member></PolicyNames><IsTruncated>false</IsTruncated>`
	case "GetUserPolicy":
		result = `<UserName>` + e2eUser + `</UserName><PolicyName>put</PolicyName><PolicyDocument>` + put + `</PolicyDocument>`
	case "ListGroupsForUser":
		result = `<Groups/><IsTruncated>false</IsTruncated>`
	case "ListAccessKeys":
		status := f.keyStatus
		if status == "" {
			status = "Active"
		}
		result = `<UserName>` + e2eUser + `</UserName><AccessKeyMetadata><member><UserName>` + e2eUser + `</UserName><AccessKeyId>` + e2eKey +
			`</AccessKeyId><Status>` + status + `</Status><CreateDate>` + time.Now().UTC().Add(-24*time.Hour).Format(time.RFC3339) + `</CreateDate></member></AccessKeyMetadata><IsTruncated>false</IsTruncated>`
	case "GetAccessKeyLastUsed":
		result = `<UserName>` + e2eUser + `</UserName><AccessKeyLastUsed><LastUsedDate>` + time.Now().UTC().Add(-time.Hour).Format(time.RFC3339) +
			`</LastUsedDate><ServiceName>s3</ServiceName><Region>eu-west-1</Region></AccessKeyLastUsed>`
	case "GetContextKeysForPrincipalPolicy":
		result = `<ContextKeyNames><member>aws:SourceIp</member></ContextKeyNames>`
	case "SimulatePrincipalPolicy":
		var rs strings.Builder
		for i := 1; form.Get(fmt.Sprintf("ActionNames.member.%d", i)) != ""; i++ {
			a := form.Get(fmt.Sprintf("ActionNames.member.%d", i))
			var per strings.Builder
			for j := 1; form.Get(fmt.Sprintf("ResourceArns.member.%d", j)) != ""; j++ {
				res := form.Get(fmt.Sprintf("ResourceArns.member.%d", j))
				d := "implicitDeny"
				if (a == "s3:PutObject" || a == "s3:DeleteObject") && strings.HasSuffix(res, "/smlint-simulate-probe") ||
					a == "s3:ListBucket" && res == "arn:aws:s3:::acme-exports" {
					d = "allowed"
				}
				fmt.Fprintf(&per, `<member><EvalResourceName>%s</EvalResourceName><EvalResourceDecision>%s</EvalResourceDecision></member>`, res, d)
			}
			fmt.Fprintf(&rs, `<member><EvalActionName>%s</EvalActionName><EvalResourceName>*</EvalResourceName><EvalDecision>implicitDeny</EvalDecision>`+
				`<ResourceSpecificResults>%s</ResourceSpecificResults></member>`, a, per.String())
		}
		result = `<EvaluationResults>` + rs.String() + `</EvaluationResults><IsTruncated>false</IsTruncated>`
	default:
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>fake has no %s</Message></Error><RequestId>1</RequestId></ErrorResponse>`, action)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<%sResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><%sResult>%s</%sResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></%sResponse>`,
		action, action, result, action, action)
}

func (f *fakeAWS) s3(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	op := ""
	for _, k := range []string{"location", "policy", "encryption"} {
		if _, ok := q[k]; ok {
			op = k
		}
	}
	f.mu.Lock()
	f.calls = append(f.calls, "s3:"+op)
	f.mu.Unlock()
	if f.hang["s3:"+op] {
		stall(r)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	if r.URL.Path != "/"+e2eBucket {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `<Error><Code>NoSuchBucket</Code><Message>no such bucket</Message></Error>`)
		return
	}
	switch op {
	case "location":
		fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>`)
	case "policy":
		if f.denyPolicy {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`)
			return
		}
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `<Error><Code>NoSuchBucketPolicy</Code><Message>The bucket policy does not exist</Message></Error>`)
	case "encryption":
		if f.kmsKey != "" {
			fmt.Fprint(w, `<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ApplyServerSideEncryptionByDefault>`+
				`<SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>`+f.kmsKey+`</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`)
			return
		}
		fmt.Fprint(w, `<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ApplyServerSideEncryptionByDefault>`+
			`<SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`)
	default:
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `<Error><Code>InvalidRequest</Code><Message>fake has no such operation</Message></Error>`)
	}
}

// awsEnv makes the SDK use static credentials and nothing from this
// machine: no shared files, no instance metadata, one attempt per call.
func awsEnv(t *testing.T, withKeys bool) {
	t.Helper()
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_CONFIG_FILE":                        filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE":            filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED":              "true",
		"AWS_REGION":                             "eu-west-1",
		"AWS_MAX_ATTEMPTS":                       "1",
		"AWS_PROFILE":                            "",
		"AWS_DEFAULT_PROFILE":                    "",
		"AWS_SESSION_TOKEN":                      "",
		"AWS_ENDPOINT_URL":                       "",
		"AWS_ACCESS_KEY_ID":                      "",
		"AWS_SECRET_ACCESS_KEY":                  "",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI":     "",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "",
		"AWS_WEB_IDENTITY_TOKEN_FILE":            "",
	} {
		t.Setenv(k, v)
	}
	if withKeys {
		t.Setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
		t.Setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	}
}

func simulateArgs(t *testing.T, endpoint string, extra ...string) []string {
	cfg := filepath.Join(t.TempDir(), ".smlint.yaml")
	if err := os.WriteFile(cfg, []byte("vendor:\n  ip_ranges: [203.0.113.0/24]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"smlint", "simulate", "--config", cfg, "--endpoint-url", endpoint,
		"--role-arn", e2eRole, "--bucket", e2eBucket, "--prefix", "reports/"}
	return append(args, extra...)
}

func TestSimulateEndToEnd(t *testing.T) {
	awsEnv(t, true)
	fake := &fakeAWS{}
	srv := httptest.NewServer(fake)
	defer srv.Close()

	var stdout, stderr bytes.Buffer
	code := run(simulateArgs(t, srv.URL, "--format", "json"), &stdout, &stderr, func(string) string { return "" })
	if code != exitOK && code != exitFindings {
		t.Fatalf("exit %d\nstderr: %s\nstdout: %s", code, stderr.String(), stdout.String())
	}
	var got struct {
		Upload    string `json:"upload"`
		Errors    []any  `json:"errors"`
		Simulator []struct {
			Action, Resource, SourceIP, Smlint, Simulator, Status string
			VendorRange                                           string `json:"vendor_range"`
		} `json:"simulator"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, stdout.String())
	}
	if got.Upload != "allowed" || len(got.Errors) != 0 {
		t.Errorf("upload %q, errors %v", got.Upload, got.Errors)
	}
	status := map[string]string{}
	for _, r := range got.Simulator {
		status[r.Action] = r.Status
		if r.VendorRange != "203.0.113.0/24" {
			t.Errorf("%s: vendor range %q", r.Action, r.VendorRange)
		}
	}
	want := map[string]string{"s3:PutObject": "agree", "s3:DeleteObject": "agree", "s3:ListBucket": "agree", "s3:GetBucketLocation": "disagree"}
	for a, s := range want {
		if status[a] != s {
			t.Errorf("%s: status %q, want %q (rows %+v)", a, status[a], s, got.Simulator)
		}
	}
	if len(fake.simulateForm) != 1 {
		t.Fatalf("SimulatePrincipalPolicy calls = %d, want 1 (one vendor range)", len(fake.simulateForm))
	}
	form := fake.simulateForm[0]
	if form.Get("PolicySourceArn") != e2eRole || form.Get("ContextEntries.member.2.ContextKeyName") != "aws:SourceIp" ||
		form.Get("ContextEntries.member.2.ContextKeyValues.member.1") != "203.0.113.0" {
		t.Errorf("simulate form = %v", form)
	}
	calls := strings.Join(fake.calls, " ")
	for _, c := range []string{"GetCallerIdentity", "GetRole", "GetRolePolicy", "s3:location", "s3:policy", "s3:encryption", "SimulatePrincipalPolicy"} {
		if !strings.Contains(calls, c) {
			t.Errorf("no %s call in %s", c, calls)
		}
	}
}

func TestSimulateEndToEndAccessDeniedAndText(t *testing.T) {
	awsEnv(t, true)
	fake := &fakeAWS{denyPolicy: true}
	srv := httptest.NewServer(fake)
	defer srv.Close()

	var stdout, stderr bytes.Buffer
	code := run(simulateArgs(t, srv.URL, "--no-color"), &stdout, &stderr, func(string) string { return "" })
	if code != exitUsage {
		t.Errorf("exit %d, want %d (an input could not be read)\nstderr: %s", code, exitUsage, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{"s3:GetBucketPolicy: AccessDenied", "IAM policy simulator cross-check", "first address of each vendor range",
		"s3:PutObject", "agree"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(strings.Join(fake.calls, " "), "s3:encryption") {
		t.Errorf("the reads after the denied one were not made: %v", fake.calls)
	}
	// A bucket policy that could not be read may deny: never "yes".
	if !strings.Contains(out, "can upload: unknown") {
		t.Errorf("a refused bucket-policy read did not make the verdict unknown:\n%s", out)
	}
}

func TestSimulateNoCredentials(t *testing.T) {
	awsEnv(t, false)
	var stdout, stderr bytes.Buffer
	// The endpoint is never called: the credential chain fails first.
	code := run(simulateArgs(t, "http://127.0.0.1:1"), &stdout, &stderr, func(string) string { return "" })
	if code != exitUsage || !strings.Contains(stderr.String(), "no AWS credentials found (default credential chain)") {
		t.Errorf("exit %d, stderr %s", code, stderr.String())
	}
}

func TestSimulateUsage(t *testing.T) {
	awsEnv(t, true)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"smlint", "simulate", "--format", "yaml"}, "--format"},
		{[]string{"smlint", "simulate", "somefile.json"}, "takes no PATH"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(tc.args, &stdout, &stderr, func(string) string { return "" }); code != exitUsage || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %s", tc.args, code, stderr.String())
		}
	}
}

// TestSimulateTimeout: an endpoint that accepts connections and never
// answers must not hold the run past --timeout. When the first call hangs
// nothing was read (exit 2, the call named); when a later call hangs, what
// was read is analysed, the unread bucket policy makes the upload unknown
// (never allowed), and the exit code is 2.
func TestSimulateTimeout(t *testing.T) {
	for _, tc := range []struct {
		name, hang string
		wantStderr string // first-call hang: the error names the call
		wantUpload string // later hang: the verdict on what was read
		wantError  string // later hang: the input error names the call
	}{
		{name: "first call hangs", hang: "GetCallerIdentity", wantStderr: "sts:GetCallerIdentity"},
		{name: "bucket policy read hangs", hang: "s3:policy", wantUpload: "unknown", wantError: "s3:GetBucketPolicy: no answer in time"},
		{name: "simulator hangs", hang: "SimulatePrincipalPolicy", wantUpload: "allowed", wantError: "SimulatePrincipalPolicy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			awsEnv(t, true)
			fake := &fakeAWS{hang: map[string]bool{tc.hang: true}}
			srv := httptest.NewServer(fake)
			defer srv.Close()
			defer srv.CloseClientConnections()

			var stdout, stderr bytes.Buffer
			start := time.Now()
			code := run(simulateArgs(t, srv.URL, "--format", "json", "--timeout", "1500ms"), &stdout, &stderr, func(string) string { return "" })
			took := time.Since(start)
			// Generous: the bound under test is the 1.5 s deadline; this only
			// guards against the run waiting for the endpoint forever.
			if took > 30*time.Second {
				t.Fatalf("ran %s past a 1.5s --timeout", took)
			}
			if code != exitUsage {
				t.Errorf("exit %d, want %d\nstderr: %s", code, exitUsage, stderr.String())
			}
			if tc.wantStderr != "" {
				if !strings.Contains(stderr.String(), tc.wantStderr) || !strings.Contains(stderr.String(), "--timeout") {
					t.Errorf("stderr does not name %s and the timeout: %s", tc.wantStderr, stderr.String())
				}
				return
			}
			var got struct {
				Upload string `json:"upload"`
				Errors []struct {
					File, Message string
				} `json:"errors"`
			}
			if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
				t.Fatalf("%v\n%s\nstderr: %s", err, stdout.String(), stderr.String())
			}
			if got.Upload != tc.wantUpload {
				t.Errorf("upload %q, want %q", got.Upload, tc.wantUpload)
			}
			named := false
			for _, e := range got.Errors {
				named = named || strings.Contains(e.Message, tc.wantError)
			}
			if !named {
				t.Errorf("no error names %q: %+v", tc.wantError, got.Errors)
			}
		})
	}
}

// TestSimulateEndToEndKMSAndAccessKey covers the two paths the first
// end-to-end test does not: a bucket whose default encryption is a customer
// managed KMS key (read over the KMS JSON 1.1 protocol), and the access-key
// method (the user's policies and keys over the IAM Query API).
func TestSimulateEndToEndKMSAndAccessKey(t *testing.T) {
	const key = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	for _, tc := range []struct {
		name       string
		fake       *fakeAWS
		args       []string
		wantUpload string
		wantCalls  []string
		wantRule   string
	}{
		{name: "role with a KMS bucket key", fake: &fakeAWS{kmsKey: key}, wantUpload: "allowed",
			wantCalls: []string{"kms:DescribeKey", "kms:GetKeyPolicy"}},
		{name: "access key, active", fake: &fakeAWS{}, args: []string{"--auth", "access-key", "--user", e2eUser, "--access-key-id", e2eKey},
			wantUpload: "allowed", wantCalls: []string{"GetUser", "GetUserPolicy", "ListAccessKeys", "GetAccessKeyLastUsed"}},
		{name: "access key, inactive", fake: &fakeAWS{keyStatus: "Inactive"}, args: []string{"--auth", "access-key", "--user", e2eUser, "--access-key-id", e2eKey},
			wantUpload: "denied", wantCalls: []string{"ListAccessKeys"}, wantRule: "access-key-unusable"},
		{name: "access key of another user", fake: &fakeAWS{}, args: []string{"--auth", "access-key", "--user", e2eUser, "--access-key-id", "AKIAI44QH8DHBEXAMPLE"},
			wantUpload: "unknown", wantCalls: []string{"ListAccessKeys"}, wantRule: "access-key-unusable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			awsEnv(t, true)
			srv := httptest.NewServer(tc.fake)
			defer srv.Close()
			args := simulateArgs(t, srv.URL, append([]string{"--format", "json"}, tc.args...)...)
			if len(tc.args) > 0 {
				args = withoutRoleARN(args) // the access-key method reads the user instead
			}
			var stdout, stderr bytes.Buffer
			code := run(args, &stdout, &stderr, func(string) string { return "" })
			var got struct {
				Upload   string `json:"upload"`
				Errors   []any  `json:"errors"`
				Findings []struct{ Rule, Message string }
			}
			if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
				t.Fatalf("exit %d: %v\n%s\n%s", code, err, stdout.String(), stderr.String())
			}
			if got.Upload != tc.wantUpload || len(got.Errors) != 0 {
				t.Errorf("upload %q errors %v, want %q (findings %+v)", got.Upload, got.Errors, tc.wantUpload, got.Findings)
			}
			calls := strings.Join(tc.fake.calls, " ")
			for _, c := range tc.wantCalls {
				if !strings.Contains(calls, c) {
					t.Errorf("no %s call in %s", c, calls)
				}
			}
			found := false
			for _, f := range got.Findings {
				if f.Rule == "access-key-unusable" {
					found = true
					if strings.Contains(f.Message, "wJalrXUtnFEMI") {
						t.Errorf("a finding prints a secret: %s", f.Message)
					}
				}
			}
			if found != (tc.wantRule != "") {
				t.Errorf("access-key-unusable reported %t, want %t: %+v", found, tc.wantRule != "", got.Findings)
			}
		})
	}
}

// TestSimulateDiscoversRoles: without --role-arn, simulate lists the
// account's roles over two pages and evaluates only the one that trusts
// Supermetrics, with one verdict per principal.
func TestSimulateDiscoversRoles(t *testing.T) {
	awsEnv(t, true)
	fake := &fakeAWS{}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	args := withoutRoleARN(simulateArgs(t, srv.URL, "--format", "json"))
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr, func(string) string { return "" })
	var got struct {
		Upload     string `json:"upload"`
		Principals []struct {
			Principal struct{ ARN string } `json:"principal"`
			Upload    string               `json:"upload"`
		} `json:"principals"`
		Simulator []struct{ Principal string } `json:"simulator"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("exit %d: %v\n%s\n%s", code, err, stdout.String(), stderr.String())
	}
	if len(got.Principals) != 1 || got.Principals[0].Principal.ARN != e2eRole || got.Upload != "allowed" {
		t.Errorf("principals %+v upload %s", got.Principals, got.Upload)
	}
	if len(got.Simulator) == 0 || got.Simulator[0].Principal != e2eRole {
		t.Errorf("cross-check rows %+v", got.Simulator)
	}
	calls := strings.Join(fake.calls, " ")
	if strings.Count(calls, "ListRoles") != 2 || strings.Count(calls, "GetRole ") != 1 {
		t.Errorf("calls %s: want two ListRoles pages and one GetRole", calls)
	}
}

// TestSimulateSaveReplays: `simulate --save DIR` then `check --config
// DIR/.smlint.yaml DIR` gives the same verdicts, requests and findings
// (apart from file names and lines: live documents are named by their AWS
// path, saved ones by their file) — including a run whose bucket policy read
// was refused or timed out, which must replay as unknown, never allowed.
func TestSimulateSaveReplays(t *testing.T) {
	const key = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	for _, tc := range []struct {
		name string
		fake *fakeAWS
		args []string
		exit int
	}{
		{name: "role", fake: &fakeAWS{}},
		{name: "role with KMS bucket key", fake: &fakeAWS{kmsKey: key}},
		{name: "bucket policy refused", fake: &fakeAWS{denyPolicy: true}, exit: exitUsage},
		{name: "bucket policy timed out", fake: &fakeAWS{hang: map[string]bool{"s3:policy": true}}, args: []string{"--timeout", "1500ms"}, exit: exitUsage},
		{name: "access key", fake: &fakeAWS{keyStatus: "Inactive"}, args: []string{"--auth", "access-key", "--user", e2eUser, "--access-key-id", e2eKey}},
		{name: "discovered role", fake: &fakeAWS{}, args: []string{"--role-arn", ""}},
		{name: "organisation SCP denies", fake: &fakeAWS{org: &fakeOrg{ouSCP: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:PutObject","Resource":"*"}]}`}}},
		{name: "organisation SCPs not readable", fake: &fakeAWS{org: &fakeOrg{denied: true}}, exit: exitUsage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			awsEnv(t, true)
			srv := httptest.NewServer(tc.fake)
			defer srv.Close()
			defer srv.CloseClientConnections()
			dir := filepath.Join(t.TempDir(), "audit")
			args := simulateArgs(t, srv.URL, append([]string{"--format", "json", "--save", dir}, tc.args...)...)
			if len(tc.args) > 0 && (tc.args[0] == "--auth" || tc.args[0] == "--role-arn") {
				args = withoutRoleARN(args)
			}
			var live, replay, stderr bytes.Buffer
			code := run(args, &live, &stderr, func(string) string { return "" })
			if tc.exit != 0 && code != tc.exit {
				t.Fatalf("simulate exit %d, want %d: %s", code, tc.exit, stderr.String())
			}
			rcode := run([]string{"smlint", "check", "--format", "json", "--config", filepath.Join(dir, ".smlint.yaml"), dir}, &replay, &stderr, func(string) string { return "" })
			a, b := comparableView(t, live.Bytes()), comparableView(t, replay.Bytes())
			if a != b {
				t.Errorf("replay differs (simulate exit %d, check exit %d)\nlive:   %s\nreplay: %s\nstderr: %s", code, rcode, a, b, stderr.String())
			}
		})
	}
}

// comparable reduces a JSON report to what a replay must reproduce: the
// verdicts, each request's decision, and each finding's rule, severity and
// statement, without file names and lines.
func comparableView(t *testing.T, report []byte) string {
	t.Helper()
	var r struct {
		Ready           bool   `json:"ready"`
		Upload          string `json:"upload"`
		MultipartUpload string `json:"multipart_upload"`
		Requests        []struct {
			ID, Action, Resource, Decision string
			SourceIP                       string `json:"source_ip"`
		} `json:"requests"`
		Findings []struct{ Rule, Severity, Sid string } `json:"findings"`
	}
	if err := json.Unmarshal(report, &r); err != nil {
		t.Fatalf("%v: %s", err, report)
	}
	var fs []string
	for _, f := range r.Findings {
		fs = append(fs, f.Rule+"/"+f.Severity+"/"+f.Sid)
	}
	sort.Strings(fs)
	r.Findings = nil
	out, _ := json.Marshal(r)
	return string(out) + " findings=" + strings.Join(fs, ",")
}

// TestSimulateOrganizationSCPs: the account's organisation and the SCPs on
// its path are read level by level (ListParents up to the root,
// ListPoliciesForTarget at each, DescribePolicy once per SCP) and decide with
// every level required to allow (Organizations "SCP evaluation"). A member
// account that may not list them gets an unknown verdict, never allowed, and
// the error names the action to grant.
func TestSimulateOrganizationSCPs(t *testing.T) {
	const denyPut = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:PutObject","Resource":"*"}]}`
	const allowAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	for _, tc := range []struct {
		name       string
		org        *fakeOrg
		wantUpload string
		wantErr    string
	}{
		{name: "not in an organisation", wantUpload: "allowed"},
		{name: "SCPs allow at every level", org: &fakeOrg{ouSCP: allowAll}, wantUpload: "allowed"},
		{name: "the OU's SCP denies PutObject", org: &fakeOrg{ouSCP: denyPut}, wantUpload: "denied"},
		{name: "member account may not list SCPs", org: &fakeOrg{denied: true}, wantUpload: "unknown", wantErr: "organizations:ListParents"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			awsEnv(t, true)
			fake := &fakeAWS{org: tc.org}
			srv := httptest.NewServer(fake)
			defer srv.Close()
			var stdout, stderr bytes.Buffer
			code := run(simulateArgs(t, srv.URL, "--format", "json"), &stdout, &stderr, func(string) string { return "" })
			var got struct {
				Upload string                     `json:"upload"`
				Errors []struct{ Message string } `json:"errors"`
			}
			if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
				t.Fatalf("exit %d: %v\n%s\n%s", code, err, stdout.String(), stderr.String())
			}
			if got.Upload != tc.wantUpload {
				t.Errorf("upload %q, want %q (errors %+v)", got.Upload, tc.wantUpload, got.Errors)
			}
			named := tc.wantErr == ""
			for _, e := range got.Errors {
				named = named || strings.Contains(e.Message, tc.wantErr)
			}
			if !named || (tc.wantErr == "" && len(got.Errors) > 0) {
				t.Errorf("errors %+v, want one naming %q", got.Errors, tc.wantErr)
			}
			if tc.org != nil && !tc.org.denied {
				calls := strings.Join(fake.calls, " ")
				if strings.Count(calls, "organizations:ListPoliciesForTarget") != 3 || strings.Count(calls, "organizations:DescribePolicy") != 2 {
					t.Errorf("calls %s: want ListPoliciesForTarget at account, OU and root, DescribePolicy once per SCP", calls)
				}
			}
		})
	}
}

// withoutRoleARN drops the --role-arn that simulateArgs puts first.
func withoutRoleARN(args []string) []string {
	for i := range args {
		if args[i] == "--role-arn" {
			return append(args[:i:i], args[i+2:]...)
		}
	}
	return args
}
