// Command scheduler is Dapr's scheduler service (jobs, actor reminders and
// workflow timers), built from the pinned github.com/dapr/dapr release, with
// one addition: a restarted replica takes over its own stale leadership at
// once instead of waiting out its lease (leadership.go).
package main

import (
	"context"
	"os"
	"time"

	"github.com/dapr/dapr/cmd/scheduler/app"
)

func main() {
	started := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), staleLeadershipWindow)
	go func() {
		defer cancel()
		takeOverStaleLeadership(ctx, os.Args[1:], started)
	}()
	app.Run()
}
