//go:build !linux

package main

import (
	"context"

	"github.com/dapr/dapr/pkg/healthz"
)

// Only Linux's madvise is used to release the startup pages (pages_linux.go).
func releaseStartupPagesWhenReady(context.Context, healthz.Healthz) {}

// The idle heap's return reads the process's CPU time as Linux gives it (heap_linux.go).
func returnHeapWhenIdle(context.Context) {}
