//go:build linux

package main

import (
	"bufio"
	"context"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dapr/dapr/pkg/healthz"
)

// A sidecar touches about 60 MiB of its binary while it starts: every
// package initialiser (protobuf descriptors, Kubernetes client schemes,
// OpenTelemetry, each component's registration) runs once and never again,
// yet its code and read-only data stay mapped and count in the process's
// resident set until the kernel is short of memory (bench/memory/README.md,
// sessions 10 and 23). Once the runtime has been ready for a while, the
// sidecar unmaps the pages of its binary that it only read (madvise
// MADV_DONTNEED on the executable's non-writable mappings that hold no
// private copy); the pages it still runs fault back in from the page cache
// on their next use, at the cost of a minor fault each. Nothing written is
// touched: a mapping that is writable or holds an anonymous (copied) page is
// left alone, so relocated data and the heap are never dropped.
//
// EMPORIUM_DAPRD_RELEASE_STARTUP_PAGES=0 turns it off; any other value is the
// number of seconds to wait after the first ready (default 10).

const defaultSettleSeconds = 10

func releaseStartupPagesWhenReady(ctx context.Context, health healthz.Healthz) {
	settle, on := envCount("EMPORIUM_DAPRD_RELEASE_STARTUP_PAGES", defaultSettleSeconds, "seconds; startup pages stay mapped")
	if !on {
		return
	}
	go func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for !health.IsReady() {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Duration(settle) * time.Second):
		}
		released, err := releaseBinaryPages()
		if err != nil {
			log.Warnf("Could not release the binary's startup pages: %v", err)
			return
		}
		log.Infof("Released %d KiB of the binary's pages touched at startup", released)
	}()
}

// envCount reads a whole number of `unit` from the environment: the default
// when unset; off when 0, or when it is not a number (a warning says so).
func envCount(name string, def int, unit string) (int, bool) {
	v, ok := os.LookupEnv(name)
	if !ok {
		return def, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		log.Warnf("%s=%q is not a number of %s", name, v, unit)
		return 0, false
	}
	return n, n > 0
}

// releaseBinaryPages drops this process's mappings of its executable's
// read-only, never-copied pages and returns how many resident KiB they held.
func releaseBinaryPages() (uint64, error) {
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return 0, err
	}
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return 0, err
	}
	defer f.Close()

	type vma struct {
		start, end uintptr
		rss, anon  uint64
		eligible   bool
	}
	var (
		vmas []vma
		cur  *vma
	)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if r := strings.SplitN(fields[0], "-", 2); len(r) == 2 && !strings.HasSuffix(fields[0], ":") {
			start, err1 := strconv.ParseUint(r[0], 16, 64)
			end, err2 := strconv.ParseUint(r[1], 16, 64)
			if err1 == nil && err2 == nil && len(fields) >= 5 {
				perms := fields[1]
				path := ""
				if len(fields) >= 6 {
					path = fields[5]
				}
				vmas = append(vmas, vma{
					start:    uintptr(start),
					end:      uintptr(end),
					eligible: path == exe && len(perms) == 4 && perms[1] == '-' && perms[3] == 'p',
				})
				cur = &vmas[len(vmas)-1]
				continue
			}
		}
		if cur == nil || len(fields) < 2 {
			continue
		}
		switch fields[0] {
		case "Rss:":
			cur.rss, _ = strconv.ParseUint(fields[1], 10, 64)
		case "Anonymous:":
			cur.anon, _ = strconv.ParseUint(fields[1], 10, 64)
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}

	var released uint64
	for _, v := range vmas {
		if !v.eligible || v.anon != 0 || v.rss == 0 {
			continue
		}
		if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, v.start, v.end-v.start, syscall.MADV_DONTNEED); errno != 0 {
			return released, errno
		}
		released += v.rss
	}
	return released, nil
}
