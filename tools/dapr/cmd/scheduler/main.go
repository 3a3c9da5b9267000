// Command scheduler is Dapr's scheduler service (jobs, actor reminders and
// workflow timers), built from the pinned github.com/dapr/dapr release.
package main

import "github.com/dapr/dapr/cmd/scheduler/app"

func main() { app.Run() }
