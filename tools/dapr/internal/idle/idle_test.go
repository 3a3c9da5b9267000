package idle

import (
	"testing"
	"time"
)

func judge() *Judge {
	return &Judge{QuietWindows: 2, CPULimit: 100 * time.Millisecond, RegrowKiB: 8 << 10}
}

const quietCPU, busyCPU = 20 * time.Millisecond, 300 * time.Millisecond

func TestReturnsOncePerQuietSpell(t *testing.T) {
	j := judge()
	if j.Window(busyCPU, 60<<10) || j.Window(quietCPU, 60<<10) {
		t.Fatal("a busy window, then one quiet window: not idle yet")
	}
	if !j.Window(quietCPU, 60<<10) {
		t.Fatal("two quiet windows after a busy one: return")
	}
	j.Returned(33 << 10)
	for i := 0; i < 5; i++ {
		if j.Window(quietCPU, 36<<10) {
			t.Fatalf("window %d: a few MiB re-mapped by an idle sidecar must not return again", i)
		}
	}
	if j.Window(busyCPU, 60<<10) || j.Window(quietCPU, 60<<10) || !j.Window(quietCPU, 60<<10) {
		t.Fatal("a new busy spell, then two quiet windows: return again")
	}
}

func TestReturnsAgainWhenLightTrafficMapsPages(t *testing.T) {
	j := judge()
	j.Window(busyCPU, 90<<10)
	j.Window(quietCPU, 90<<10)
	if !j.Window(quietCPU, 90<<10) {
		t.Fatal("startup, then two quiet windows: return")
	}
	j.Returned(33 << 10)
	// traffic that never takes a window over the limit, mapping 25 MiB
	if j.Window(quietCPU, 41<<10-1) {
		t.Fatal("under 8 MiB grown: keep")
	}
	if !j.Window(quietCPU, 58<<10) {
		t.Fatal("25 MiB grown in a quiet spell: return again")
	}
	j.Returned(34 << 10)
	if j.Window(quietCPU, 35<<10) {
		t.Fatal("measured from the last return")
	}
}

func TestUnknownResidentSetNeverReturnsAgain(t *testing.T) {
	j := judge()
	j.Window(busyCPU, 0)
	j.Window(quietCPU, 0)
	if !j.Window(quietCPU, 0) {
		t.Fatal("the first return does not need the resident set")
	}
	j.Returned(0)
	if j.Window(quietCPU, 0) {
		t.Fatal("with the resident set unknown, once per spell")
	}
}
