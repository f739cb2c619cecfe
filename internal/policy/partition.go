package policy

import "strings"

// DefinitePartition is the partition an ARN names (reference-arns.html),
// unless the value is unresolved, not an ARN, or its partition has a
// wildcard or a policy variable (then it could be any partition).
func DefinitePartition(v string) (string, bool) {
	if IsUnknown(v) {
		return "", false
	}
	a, ok := ParseARN(v)
	if !ok || strings.ContainsAny(a.Partition, "*?$") {
		return "", false
	}
	return a.Partition, true
}

// regionPartitions are the Region name prefixes of the partitions other
// than aws ("Regions and Availability Zones": the China Regions cn-, the
// GovCloud (US) Regions us-gov-, and the isolated partitions).
var regionPartitions = []struct{ prefix, partition string }{
	{"cn-", "aws-cn"}, {"us-gov-", "aws-us-gov"}, {"us-iso-", "aws-iso"}, {"us-isob-", "aws-iso-b"},
	{"eu-isoe-", "aws-iso-e"}, {"us-isof-", "aws-iso-f"},
}

// RegionPartition is the partition of a Region outside the aws partition,
// by its name prefix, or "" for any other name (a Region of the aws
// partition, or not a Region name).
func RegionPartition(region string) string {
	for _, rp := range regionPartitions {
		if strings.HasPrefix(region, rp.prefix) {
			return rp.partition
		}
	}
	return ""
}
