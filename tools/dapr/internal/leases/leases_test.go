package leases

import (
	"testing"
	"time"
)

func TestLeaseStamp(t *testing.T) {
	start := time.UnixMilli(1_780_000_000_123)
	// as etcd's idutil.NewGenerator(memberID, now) then Next(): member id, the start's milliseconds, a counter
	lease := func(member uint64, at time.Time, count uint64) int64 {
		id := member<<48 | ((uint64(at.UnixMilli())&(1<<40-1))<<8 + count)
		return int64(id & (1<<63 - 1))
	}
	if got := StampMillis(lease(0x7022, start, 5)); got != uint64(start.UnixMilli())&(1<<40-1) {
		t.Fatalf("stamp %d", got)
	}
	if !GrantedBefore(lease(0x7022, start.Add(-time.Minute), 200), start) {
		t.Fatal("a lease of an etcd started a minute earlier is stale")
	}
	if GrantedBefore(lease(0x7022, start.Add(300*time.Millisecond), 1), start) {
		t.Fatal("a lease of this process's etcd is not stale")
	}
	// the counter may carry into the stamp (etcd allows it), by far less than a restart's distance
	if !GrantedBefore(lease(0x7022, start.Add(-10*time.Second), 100_000), start) {
		t.Fatal("100,000 grants in a previous run keep its stamp before this start")
	}
}

func TestFlagValue(t *testing.T) {
	args := []string{"--port", "1", "--id=a", "--etcd-client-port", "2379", "--id", "b"}
	if FlagValue(args, "id", "x") != "b" || FlagValue(args, "etcd-client-port", "x") != "2379" || FlagValue(args, "etcd-embed", "true") != "true" {
		t.Fatal(args)
	}
}
