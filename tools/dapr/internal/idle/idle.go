// Package idle judges when a sidecar has been quiet long enough to give its
// free heap and its binary's clean pages back (cmd/daprd/heap_linux.go).
package idle

import "time"

// Judge is told each window's CPU time and the resident set at its end.
//
// A window over CPULimit is busy and starts a new spell. QuietWindows quiet
// windows in a row make the sidecar idle, and it returns once per idle
// spell. Light traffic can map pages without ever making a window busy, so
// within a spell it returns again when the resident set has grown by
// RegrowKiB since the last return, but not sooner than RegrowWindows
// windows after it: steady light traffic that maps the same pages again
// after every return has them dropped at most that often.
type Judge struct {
	QuietWindows  int
	CPULimit      time.Duration
	RegrowKiB     uint64
	RegrowWindows int

	quiet      int
	returned   bool
	returnedAt uint64
	since      int // windows since the last return
}

// Window takes one window's CPU time and the resident KiB now (0 when
// unknown); it answers whether to return now.
func (j *Judge) Window(used time.Duration, residentKiB uint64) bool {
	j.since++
	if used > j.CPULimit {
		j.quiet, j.returned = 0, false
		return false
	}
	if j.quiet++; j.quiet < j.QuietWindows {
		return false
	}
	if !j.returned {
		return true
	}
	// an unknown resident set (0, at the return or now) never counts as grown
	return j.since >= j.RegrowWindows && j.returnedAt > 0 && residentKiB >= j.returnedAt+j.RegrowKiB
}

// Returned records a return and the resident KiB right after it.
func (j *Judge) Returned(residentKiB uint64) {
	j.returned, j.returnedAt, j.since = true, residentKiB, 0
}
