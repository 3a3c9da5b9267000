// Package leases reads what an etcd lease id says of the server that granted it.
package leases

import (
	"strings"
	"time"
)

// etcd pkg/idutil: | member id 2 bytes | timestamp 5 bytes | counter 1 byte |
const (
	stampShift = 8
	stampBits  = 40
	stampMask  = 1<<stampBits - 1
)

// StampMillis is the Unix millisecond stamp (its low 40 bits) of the id generator that granted a lease.
func StampMillis(lease int64) uint64 {
	return (uint64(lease) >> stampShift) & stampMask
}

// GrantedBefore says whether a lease was granted by an etcd whose id generator began before `t`
// (etcd starts its generator when its server starts, so: by an etcd started before `t`).
func GrantedBefore(lease int64, t time.Time) bool {
	return StampMillis(lease) < uint64(t.UnixMilli())&stampMask
}

// FlagValue reads --name value or --name=value from command-line arguments, the last one winning as pflag does.
func FlagValue(args []string, name, fallback string) string {
	value := fallback
	for i, a := range args {
		switch {
		case a == "--"+name && i+1 < len(args):
			value = args[i+1]
		case strings.HasPrefix(a, "--"+name+"="):
			value = strings.TrimPrefix(a, "--"+name+"=")
		}
	}
	return value
}
