//go:build linux

package main

import (
	"context"
	"runtime/debug"
	"syscall"
	"time"
)

// After a busy spell the Go heap keeps the free spans its last collections
// left: the background scavenger returns memory only down to the heap goal
// (twice the live heap at GOGC=100), so a sidecar idle after traffic held
// 4-6 MiB of free heap it had not given back (bench/memory/README.md,
// session 24). Once the sidecar has been idle for a while it returns them
// (debug.FreeOSMemory: one collection, then every free span back to the
// OS); the next busy spell asks the OS again, a page fault per page.
//
// Idle is judged by the process's own CPU time, read every 10 s: a window
// under the threshold is quiet, three quiet windows in a row after a busy
// one are idle, and the heap is returned once per idle spell. Only free
// memory goes back; unlike the binary's pages (pages_linux.go), nothing the
// sidecar still uses is dropped.
//
// EMPORIUM_DAPRD_IDLE_CPU_MILLIS is the CPU time in ms per 10 s under which a
// window is quiet (default 100, 1 % of a core); 0 turns the return off.

const (
	idleWindow         = 10 * time.Second
	idleQuietWindows   = 3
	defaultIdleCPUMsec = 100
)

func returnHeapWhenIdle(ctx context.Context) {
	threshold, on := envCount("EMPORIUM_DAPRD_IDLE_CPU_MILLIS", defaultIdleCPUMsec, "milliseconds; the idle heap is not returned")
	if !on {
		return
	}
	limit := time.Duration(threshold) * time.Millisecond
	go func() {
		tick := time.NewTicker(idleWindow)
		defer tick.Stop()
		last := cpuTime()
		quiet := 0
		returned := false
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			now := cpuTime()
			used := now - last
			last = now
			if used > limit {
				quiet, returned = 0, false
				continue
			}
			if quiet++; quiet < idleQuietWindows || returned {
				continue
			}
			debug.FreeOSMemory()
			returned = true
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
