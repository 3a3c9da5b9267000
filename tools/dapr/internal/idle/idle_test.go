package idle

import (
	"testing"
	"time"
)

func judge() *Judge {
	return &Judge{QuietWindows: 2, CPULimit: 100 * time.Millisecond, RegrowKiB: 8 << 10}
}

const quietCPU, busyCPU = 20 * time.Millisecond, 300 * time.Millisecond

// idleAfterStart: a busy start, two quiet windows, the first return at `at` KiB.
func idleAfterStart(t *testing.T, at uint64) *Judge {
	t.Helper()
	j := judge()
	if j.Window(busyCPU, 90<<10) || j.Window(quietCPU, 90<<10) {
		t.Fatal("a busy window, then one quiet window: not idle yet")
	}
	if !j.Window(quietCPU, 90<<10) {
		t.Fatal("two quiet windows after a busy one: return")
	}
	j.Returned(at)
	return j
}

func TestReturnsOncePerQuietSpell(t *testing.T) {
	j := idleAfterStart(t, 33<<10)
	for i := 0; i < 5; i++ {
		if j.Window(quietCPU, 36<<10) {
			t.Fatalf("window %d: a few MiB re-mapped by an idle sidecar must not return again", i)
		}
	}
	// a new busy spell returns again after two quiet windows, with no growth at all
	if j.Window(busyCPU, 36<<10) || j.Window(quietCPU, 36<<10) || !j.Window(quietCPU, 36<<10) {
		t.Fatal("a new busy spell, then two quiet windows: return again")
	}
}

func TestReturnsAgainWhenLightTrafficMapsPages(t *testing.T) {
	j := idleAfterStart(t, 33<<10)
	// traffic that never takes a window over the limit
	if j.Window(quietCPU, 41<<10-1) {
		t.Fatal("under 8 MiB grown: keep")
	}
	if !j.Window(quietCPU, 58<<10) {
		t.Fatal("25 MiB grown in a quiet spell: return again")
	}
	j.Returned(50 << 10)
	// measured from the last return (50), and the next needs twice the growth (16 MiB)
	if j.Window(quietCPU, 58<<10) || j.Window(quietCPU, 66<<10-1) {
		t.Fatal("under 16 MiB grown since the last return: keep")
	}
	if !j.Window(quietCPU, 66<<10) {
		t.Fatal("16 MiB grown since the last return: return again")
	}
}

func TestSteadyLightTrafficIsNotDroppedAgainAndAgain(t *testing.T) {
	j := idleAfterStart(t, 33<<10)
	returns := 0
	// every return, the same 25 MiB are mapped again by the next windows of the same traffic
	for i := 0; i < 30; i++ {
		if j.Window(quietCPU, 58<<10) {
			returns++
			j.Returned(33 << 10)
		}
	}
	if returns != 2 {
		t.Fatalf("returns %d within one spell: want 2 (8 and 16 MiB of growth; 32 is more than the traffic maps)", returns)
	}
	// a busy window starts over at 8 MiB
	j.Window(busyCPU, 58<<10)
	j.Window(quietCPU, 58<<10)
	if !j.Window(quietCPU, 58<<10) {
		t.Fatal("after a busy spell: return")
	}
	j.Returned(33 << 10)
	if !j.Window(quietCPU, 41<<10) {
		t.Fatal("the growth needed starts again at 8 MiB after a busy spell")
	}
}

func TestUnknownResidentSetNeverReturnsAgain(t *testing.T) {
	j := idleAfterStart(t, 0)
	if j.Window(quietCPU, 60<<10) || j.Window(quietCPU, 0) {
		t.Fatal("with the resident set unknown at the return, once per spell")
	}
	j = idleAfterStart(t, 33<<10)
	if j.Window(quietCPU, 0) {
		t.Fatal("with the resident set unknown now, keep")
	}
}
