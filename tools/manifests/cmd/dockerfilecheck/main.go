// dockerfilecheck parses a Dockerfile with BuildKit's own parser and linter
// (the code `docker build` runs first) where no container engine runs, and
// reports each stage: base, user, workdir, command, health check, ports and
// copies. It fails on parse errors, lint warnings, a COPY --from or FROM that
// names a later or unknown stage, and a target stage that would run as root,
// lacks a HEALTHCHECK or starts its command through a shell.
//
//	dockerfilecheck -target service Dockerfile
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

type copyOp struct {
	From    string   `json:"from,omitempty"`
	Sources []string `json:"sources"`
	Dest    string   `json:"dest"`
	Chown   string   `json:"chown,omitempty"`
}

type stage struct {
	Name        string            `json:"name"`
	Base        string            `json:"base"`
	User        string            `json:"user"`
	Workdir     string            `json:"workdir"`
	Cmd         []string          `json:"cmd"`
	Entrypoint  []string          `json:"entrypoint"`
	Healthcheck []string          `json:"healthcheck"`
	Expose      []string          `json:"expose"`
	Env         map[string]string `json:"env"`
	Args        []string          `json:"args"`
	Copies      []copyOp          `json:"copies"`
	Runs        []string          `json:"runs"`
}

type report struct {
	MetaArgs []string `json:"metaArgs"`
	Stages   []stage  `json:"stages"`
	Errors   []string `json:"errors"`
}

func main() {
	target := flag.String("target", "", "stage that must be fit to run (non-root user, HEALTHCHECK, exec-form CMD)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: dockerfilecheck [-target stage] Dockerfile")
		os.Exit(2)
	}
	out := report{MetaArgs: []string{}, Stages: []stage{}, Errors: []string{}}
	fail := func(format string, a ...any) { out.Errors = append(out.Errors, fmt.Sprintf(format, a...)) }
	defer func() {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(out)
		if len(out.Errors) > 0 {
			os.Exit(1)
		}
	}()

	f, err := os.Open(flag.Arg(0))
	if err != nil {
		fail("%v", err)
		return
	}
	defer f.Close()
	ast, err := parser.Parse(f)
	if err != nil {
		fail("parse: %v", err)
		return
	}
	for _, w := range ast.Warnings {
		fail("line %d: %s", w.Location.Start.Line, w.Short)
	}
	// the rules `docker build --check` runs by default
	lint := linter.New(&linter.Config{Warn: func(rule, description, url, msg string, loc []parser.Range) {
		line := 0
		if len(loc) > 0 {
			line = loc[0].Start.Line
		}
		fail("line %d: %s: %s (%s)", line, rule, msg, url)
	}})
	stages, metaArgs, err := instructions.Parse(ast.AST, lint)
	if err != nil {
		fail("%v", err)
		return
	}
	defaults := map[string]string{}
	for _, a := range metaArgs {
		for _, kv := range a.Args {
			out.MetaArgs = append(out.MetaArgs, kv.Key)
			if kv.Value != nil {
				defaults[kv.Key] = *kv.Value
			}
		}
	}
	index := map[string]int{}
	for i, s := range stages {
		st := stage{Name: s.Name, Base: s.BaseName, Cmd: []string{}, Entrypoint: []string{}, Healthcheck: []string{}, Expose: []string{},
			Env: map[string]string{}, Args: []string{}, Copies: []copyOp{}, Runs: []string{}}
		if j, ok := index[strings.ToLower(s.BaseName)]; ok {
			base := out.Stages[j]
			st.User, st.Workdir, st.Cmd, st.Entrypoint, st.Healthcheck = base.User, base.Workdir, base.Cmd, base.Entrypoint, base.Healthcheck
			for k, v := range base.Env {
				st.Env[k] = v
			}
		} else if strings.Contains(s.BaseName, "$") {
			st.Base = os.Expand(s.BaseName, func(k string) string { return defaults[k] })
			if !strings.Contains(st.Base, ":") {
				fail("stage %d: FROM %s: the base must be an image with a tag (a global ARG with a default)", i, s.BaseName)
			}
		}
		for _, c := range s.Commands {
			switch c := c.(type) {
			case *instructions.UserCommand:
				st.User = c.User
			case *instructions.WorkdirCommand:
				st.Workdir = c.Path
			case *instructions.CmdCommand:
				st.Cmd = c.CmdLine
				if c.PrependShell {
					fail("stage %s: CMD in shell form: signals reach the shell, not the app", s.Name)
				}
			case *instructions.EntrypointCommand:
				st.Entrypoint = c.CmdLine
				if c.PrependShell {
					fail("stage %s: ENTRYPOINT in shell form: signals reach the shell, not the app", s.Name)
				}
			case *instructions.HealthCheckCommand:
				st.Healthcheck = c.Health.Test
			case *instructions.ExposeCommand:
				st.Expose = append(st.Expose, c.Ports...)
			case *instructions.EnvCommand:
				for _, kv := range c.Env {
					st.Env[kv.Key] = kv.Value
				}
			case *instructions.ArgCommand:
				for _, kv := range c.Args {
					st.Args = append(st.Args, kv.Key)
				}
			case *instructions.RunCommand:
				st.Runs = append(st.Runs, strings.Join(c.CmdLine, " "))
			case *instructions.CopyCommand:
				op := copyOp{From: c.From, Sources: c.SourcePaths, Dest: c.DestPath, Chown: c.Chown}
				if c.From != "" {
					if _, ok := index[strings.ToLower(c.From)]; !ok && !strings.ContainsAny(c.From, ":/") {
						fail("stage %s: COPY --from=%s names no earlier stage", s.Name, c.From)
					}
				}
				st.Copies = append(st.Copies, op)
			}
		}
		if s.Name != "" {
			index[strings.ToLower(s.Name)] = len(out.Stages)
		}
		out.Stages = append(out.Stages, st)
	}
	if *target == "" {
		return
	}
	j, ok := index[strings.ToLower(*target)]
	if !ok {
		fail("target %q is not a stage", *target)
		return
	}
	t := out.Stages[j]
	if t.User == "" || t.User == "root" || t.User == "0" || strings.HasPrefix(t.User, "0:") || strings.HasPrefix(t.User, "root:") {
		fail("target %s runs as root (USER %q)", *target, t.User)
	}
	if len(t.Healthcheck) == 0 || t.Healthcheck[0] == "NONE" {
		fail("target %s has no HEALTHCHECK", *target)
	}
	if len(t.Cmd) == 0 && len(t.Entrypoint) == 0 {
		fail("target %s has no CMD", *target)
	}
}
