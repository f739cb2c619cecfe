package iam

import (
	"strings"

	"github.com/smlint/smlint/internal/policy"
)

// MatchResource matches a Resource/NotResource pattern against a resource ARN
// (reference_policies_elements_resource.html):
//   - matching is case-sensitive;
//   - '*' and '?' work within each colon-delimited segment, and a '*' that is
//     the last character of a segment can expand beyond the colon boundary;
//   - "*" matches every resource; '/' has no special meaning, so
//     arn:aws:s3:::b does not match arn:aws:s3:::b/* and vice versa.
//
// Where the docs leave the answer open (a mid-segment '*' in the resource
// part facing an ARN whose resource part contains ':'), the answer is Maybe.
// An unresolved pattern or ARN gives Maybe.
func MatchResource(pattern, arn string) Tri {
	if pattern == "*" {
		return True
	}
	if isUnknown(pattern) || isUnknown(arn) {
		return symbolMatch(pattern, arn)
	}
	return matchARNPieces(plain(pattern), arn)
}

// symbolMatch decides an unknown value against a pattern by identity
// (policy.SameSymbol): a symbolic value matches itself, and not the ARN of
// another resource the same input creates; anything else is Maybe. A
// symbolic value has no text, so it holds no wildcard.
func symbolMatch(pattern, value string) Tri {
	if same, ok := policy.SameSymbol(pattern, value); ok {
		return triOf(same)
	}
	return Maybe
}

// ArnLike implements the ArnLike and ArnEquals condition operators (which
// behave identically): "Case-sensitive matching of the ARN. Each of the six
// colon-delimited components of the ARN is checked separately and each can
// include multi-character match wildcards (*) or single-character match
// wildcards (?)" (reference_policies_elements_condition_operators.html).
// Whether a '*' ending a component also spans colons there, as it does in a
// Resource, is not documented: when the two readings differ the answer is
// Maybe.
func ArnLike(pattern, value string) Tri {
	if pattern == "*" {
		return True
	}
	if isUnknown(pattern) || isUnknown(value) {
		return symbolMatch(pattern, value)
	}
	return arnLikePieces(plain(pattern), value)
}

func arnLikePieces(pieces []piece, value string) Tri {
	t := matchARNPieces(pieces, value)
	comp := matchTokens(compile(pieces, globARNComponent, false), value, false)
	if t == triOf(comp) {
		return t
	}
	return Maybe
}

// matchARNPieces matches in both ARN modes and answers Maybe when they differ.
// An ARN ending in AnyKey stands for every object under a prefix.
func matchARNPieces(pieces []piece, arn string) Tri {
	if base, ok := strings.CutSuffix(arn, AnyKey); ok {
		return matchAnyKey(pieces, base)
	}
	return matchConcreteARN(pieces, arn)
}

func matchConcreteARN(pieces []piece, arn string) Tri {
	strict := matchTokens(compile(pieces, globARNStrict, false), arn, false)
	loose := strict
	if strings.Count(arn, ":") > 5 {
		loose = matchTokens(compile(pieces, globARNLoose, false), arn, false)
	}
	if strict == loose {
		return triOf(strict)
	}
	return Maybe
}
