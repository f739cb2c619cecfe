# smlint — every target works on a fresh machine with only Go installed
# (modules come from the Go module proxy).
GO      ?= go
PKGS    := ./...
FUZZTIME ?= 10s
N       ?= 2000
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: all build test demo bench fuzz fmt vet lint difftest clean

all: build test

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/smlint ./cmd/smlint

## test: every Go test, the Rego unit tests (run by go test ./rules/), vet and format checks
test: vet
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) test -count=1 $(PKGS)

vet:
	$(GO) vet $(PKGS)

## demo: the README's first command
demo:
	$(GO) run ./cmd/smlint check --example example

## bench: benchmarks on generated large inputs (medians over -count runs)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 5 ./analyzer/... ./cmd/... | tee bench.out

## fuzz: run every fuzz target for FUZZTIME each
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

## fmt: gofmt the Go and opa-fmt the Rego
fmt:
	gofmt -w $$(git ls-files '*.go')
	$(GO) run github.com/open-policy-agent/opa fmt -w rules/

## difftest: differential test against @cloud-copilot/iam-simulate (needs node/npm; N cases)
difftest:
	$(GO) test ./difftest/ -run TestDifferential -count=1 -v -args -difftest.n=$(N)

clean:
	rm -rf bin bench.out
