package main

import (
	"bytes"
	"io"
	"os"
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

// Lines a healthy sidecar printed at warning level on every start, each said
// by its scope and dropped there (issue #17: no warning a healthy platform
// prints without a reason to act):
//   - "Graceful shutdown timeout is infinite": the actor runtime's own runner
//     manager (pkg/actors Run) is made without a grace period; the runtime's
//     manager around it has one (--dapr-graceful-shutdown-seconds) and ends the
//     process when it runs out, so the actor runtime never waits indefinitely.
//   - "smtp binding warn: User and password are empty": the e-mail binding
//     speaks to a relay without authentication, as the local mail sink is;
//     a relay that needs credentials gets them from the component's values.
var unsaid = map[string][]string{
	"dapr.runtime.actor": {"Graceful shutdown timeout is infinite"},
	"dapr.contrib":       {"smtp binding warn: User and password are empty"},
}

// dropLines leaves out of each scope's output the lines of unsaid; every
// other line goes on unchanged, written at once (nothing is buffered: a
// fatal line before an exit is not lost). Only for output to stdout: a
// --log-file is left as it is.
func dropLines(opts *options.Options) {
	if opts.Logger.OutputFile != "" {
		return
	}
	for scope, lines := range unsaid {
		logger.NewLogger(scope).SetOutput(dropping{to: os.Stdout, lines: lines})
	}
}

type dropping struct {
	to    io.Writer
	lines []string
}

// Write gets one whole log entry per call (logrus formats, then writes once).
func (d dropping) Write(p []byte) (int, error) {
	for _, l := range d.lines {
		if bytes.Contains(p, []byte(l)) {
			return len(p), nil
		}
	}
	return d.to.Write(p)
}
