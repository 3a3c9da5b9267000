package main

import (
	"strings"

	"github.com/dapr/dapr/cmd/daprd/options"
	"github.com/dapr/kit/logger"
)

// quietWhenOff keeps a sidecar started without placement or scheduler from
// saying so at warning level on every start. Apps that host no actors and no
// workflows run that way (dapr.yaml's placementHostAddress and
// schedulerHostAddress "", the chart's annotations), and upstream then logs
// "Actor runtime disabled" and "No scheduler host addresses provided" as
// warnings: lines that a healthy platform should not print (issue #17). In that
// state these two scopes have nothing else to say (the actor runtime and the
// scheduler's host watcher never start), so they are held to errors; with an
// address they keep the level the flags give them. An app that does host
// actors is told by its kit instead (the readiness probe dapr-actor-runtime).
func quietWhenOff(opts *options.Options) {
	if none(strings.TrimPrefix(opts.ActorsService, "placement:")) {
		logger.NewLogger("dapr.runtime.actor").SetOutputLevel(logger.ErrorLevel)
	}
	if none(opts.SchedulerAddress...) {
		logger.NewLogger("dapr.runtime.scheduler.watchhosts").SetOutputLevel(logger.ErrorLevel)
	}
}

// none is upstream's test for "no address" (pkg/actors, watchhosts): nothing
// but blanks and quotes.
func none(addresses ...string) bool {
	for _, a := range addresses {
		if strings.TrimSpace(strings.Trim(a, `"'`)) != "" {
			return false
		}
	}
	return true
}
