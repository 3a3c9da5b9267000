package idle

import (
	"testing"
	"time"
)

func judge() *Judge {
	return &Judge{QuietWindows: 2, CPULimit: 100 * time.Millisecond, RegrowKiB: 8 << 10, RegrowWindows: 6}
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

// quietWindows feeds n quiet windows at `rss` and answers how many asked to return (each recorded at `after`).
func quietWindows(j *Judge, n int, rss, after uint64) int {
	returns := 0
	for i := 0; i < n; i++ {
		if j.Window(quietCPU, rss) {
			returns++
			j.Returned(after)
		}
	}
	return returns
}

func TestReturnsOncePerQuietSpell(t *testing.T) {
	j := idleAfterStart(t, 33<<10)
	if n := quietWindows(j, 30, 36<<10, 33<<10); n != 0 {
		t.Fatalf("%d returns: a few MiB re-mapped by an idle sidecar must not return again", n)
	}
	// a new busy spell returns again after two quiet windows, with no growth at all
	if j.Window(busyCPU, 36<<10) || j.Window(quietCPU, 36<<10) || !j.Window(quietCPU, 36<<10) {
		t.Fatal("a new busy spell, then two quiet windows: return again")
	}
}

func TestReturnsAgainWhenLightTrafficMapsPages(t *testing.T) {
	j := idleAfterStart(t, 33<<10)
	// traffic that never takes a window over the limit: under 8 MiB grown, kept however long
	if n := quietWindows(j, 10, 41<<10-1, 33<<10); n != 0 {
		t.Fatal("under 8 MiB grown: keep")
	}
	if !j.Window(quietCPU, 58<<10) {
		t.Fatal("25 MiB grown in a quiet spell, a minute after the last return: return again")
	}
	j.Returned(50 << 10)
	// measured from the last return (50), and not before six windows since it
	if n := quietWindows(j, 5, 66<<10, 30<<10); n != 0 {
		t.Fatal("within six windows of the last return: keep")
	}
	if !j.Window(quietCPU, 58<<10) {
		t.Fatal("8 MiB grown since the last return, six windows on: return")
	}
	j.Returned(50 << 10)
	if n := quietWindows(j, 10, 58<<10-1, 50<<10); n != 0 {
		t.Fatal("growth is measured from the last return")
	}
}

func TestSteadyLightTrafficIsDroppedAtMostOnceAMinute(t *testing.T) {
	j := idleAfterStart(t, 33<<10)
	// every return, the same 25 MiB are mapped again by the next window of the same traffic
	if n := quietWindows(j, 60, 58<<10, 33<<10); n != 10 {
		t.Fatalf("%d returns in 60 windows of steady light traffic: want one every 6 windows, 10", n)
	}
}

func TestTrafficEndedIsReturnedWithinTheGapOfTheLast(t *testing.T) {
	j := idleAfterStart(t, 33<<10)
	j.Window(quietCPU, 36<<10)
	j.Window(quietCPU, 36<<10)
	j.Window(quietCPU, 36<<10)
	// light traffic for three windows: it grows, and one return comes during it
	returns := quietWindows(j, 3, 58<<10, 40<<10)
	// then idle at what the traffic left: returned within six windows of the last return
	returns += quietWindows(j, 6, 58<<10, 33<<10)
	if returns != 2 {
		t.Fatalf("%d returns: want one during the traffic and one after it", returns)
	}
}

func TestUnknownResidentSetNeverReturnsAgain(t *testing.T) {
	j := idleAfterStart(t, 0)
	if n := quietWindows(j, 20, 60<<10, 0); n != 0 {
		t.Fatal("with the resident set unknown at the return, once per spell")
	}
	j = idleAfterStart(t, 33<<10)
	if n := quietWindows(j, 20, 0, 33<<10); n != 0 {
		t.Fatal("with the resident set unknown now, keep")
	}
}
