//go:build linux

package main

import (
	"context"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/emporium/tools/dapr/internal/idle"
)

// After a busy spell the Go heap keeps the free spans its last collections
// left: the background scavenger returns memory only down to the heap goal
// (twice the live heap at GOGC=100), so a sidecar idle after traffic held
// 4-6 MiB of free heap it had not given back (bench/memory/README.md,
// session 24). Once the sidecar has been idle for a while it returns them
// (debug.FreeOSMemory: one collection, then every free span back to the
// OS); the next busy spell asks the OS again, a page fault per page.
//
// Traffic also faults in the code and data of the binary that serving it
// runs (invocation, pub/sub delivery, workflow and actor paths, TLS): a
// sidecar that dropped its startup pages (pages_linux.go) at 27-30 MiB RSS
// holds 50-60 after 30 s of checkouts and searches, 20-25 of them pages of
// the binary it reads only while busy (bench/memory/README.md, session 27).
// So an idle spell also unmaps the binary's read-only pages again, as at
// startup: what the quiet sidecar still runs (timers, health probes,
// heartbeats) faults back from the page cache at a minor fault a page, and
// the next busy spell pays the same for what it runs.
//
// Idle is judged (internal/idle) by the process's own CPU time, read every
// 10 s: a window under the threshold is quiet, two quiet windows in a row
// after a busy one are idle, and the heap and the pages are returned once
// per idle spell.
// Light traffic may keep every window under the threshold and still map
// pages: in bench:memory (a checkout a second, ten pages a second for 30 s)
// sidecars read 33 MiB before the traffic and 55-60 a minute after it, no
// window having been busy (bench/memory/README.md, session 35). So a quiet
// spell that has already returned returns again once the resident set has
// grown by regrowKiB since, but not sooner than regrowWindows after the last
// return: steady light traffic has the pages it maps dropped at most once a
// minute (a few thousand minor faults). Only free heap and clean pages of
// the binary go back: nothing written is dropped.
//
// EMPORIUM_DAPRD_IDLE_CPU_MILLIS is the CPU time in ms per 10 s under which a
// window is quiet (default 100, 1 % of a core); 0 turns the return off.
// EMPORIUM_DAPRD_RELEASE_IDLE_PAGES=0 keeps the binary's pages mapped when
// idle (the free heap still goes back).

const (
	idleWindow         = 10 * time.Second
	idleQuietWindows   = 2
	defaultIdleCPUMsec = 100
	// growth of the resident set since the last return that makes a quiet spell return again,
	// at most once in regrowWindows windows
	regrowKiB     = 8 << 10
	regrowWindows = 6
)

func returnHeapWhenIdle(ctx context.Context) {
	threshold, on := envCount("EMPORIUM_DAPRD_IDLE_CPU_MILLIS", defaultIdleCPUMsec, "milliseconds; the idle heap is not returned")
	if !on {
		return
	}
	limit := time.Duration(threshold) * time.Millisecond
	_, pagesOn := envCount("EMPORIUM_DAPRD_RELEASE_IDLE_PAGES", 1, "(0 or 1); the binary's pages stay mapped when idle")
	judge := &idle.Judge{QuietWindows: idleQuietWindows, CPULimit: limit, RegrowKiB: regrowKiB, RegrowWindows: regrowWindows}
	go func() {
		tick := time.NewTicker(idleWindow)
		defer tick.Stop()
		last := cpuTime()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			now := cpuTime()
			used := now - last
			last = now
			if !judge.Window(used, residentKiB()) {
				continue
			}
			debug.FreeOSMemory()
			if pagesOn {
				if released, err := releaseBinaryPages(); err != nil {
					log.Debugf("Could not release the binary's pages when idle: %v", err)
				} else {
					log.Debugf("Idle: released %d KiB of the binary's pages", released)
				}
			}
			judge.Returned(residentKiB())
			// the collection's own CPU does not make the next window busy
			last = cpuTime()
		}
	}()
}

// cpuTime is the CPU this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// residentKiB is this process's resident set (/proc/self/statm), 0 when it cannot be read.
func residentKiB() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(b))
	if len(fields) < 2 {
		return 0
	}
	pages, err := strconv.ParseUint(fields[1], 10, 64)
	if err != nil {
		return 0
	}
	return pages * uint64(os.Getpagesize()) / 1024
}
