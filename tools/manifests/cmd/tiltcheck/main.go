// tiltcheck evaluates a Tiltfile with go.starlark.net (the Starlark
// implementation Tilt itself embeds) where no cluster and no container engine
// run. The Tilt builtins the Tiltfile calls are recorded rather than executed,
// except helm(), which runs the real helm binary, and read_yaml/read_file,
// which read the real files. The YAML handed to k8s_yaml is then decoded
// strictly and cross-checked like any rendered manifest, and the recorded
// calls are checked against it: every image is used by a workload, every
// k8s_resource names a workload, every live_update path exists.
//
//	tiltcheck -helm /path/to/helm [-local 'cmd=output'] Tiltfile
//
// It prints a JSON report of what Tilt would build and deploy; exit 1 on errors.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"
	"sigs.k8s.io/yaml"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/emporium/tools/manifests/internal/kube"
)

type liveUpdateStep struct {
	Kind    string   `json:"kind"` // sync | run | fall_back_on | restart_container
	Src     string   `json:"src,omitempty"`
	Dest    string   `json:"dest,omitempty"`
	Cmd     string   `json:"cmd,omitempty"`
	Trigger []string `json:"trigger,omitempty"`
	Paths   []string `json:"paths,omitempty"`
}

type image struct {
	Ref        string            `json:"ref"`
	Context    string            `json:"context"`
	Dockerfile string            `json:"dockerfile"`
	Target     string            `json:"target,omitempty"`
	BuildArgs  map[string]string `json:"buildArgs"`
	Only       []string          `json:"only,omitempty"`
	Ignore     []string          `json:"ignore,omitempty"`
	LiveUpdate []liveUpdateStep  `json:"liveUpdate"`
}

type resource struct {
	Name         string   `json:"name"`
	Workload     string   `json:"workload,omitempty"`
	Type         string   `json:"type"` // k8s | local
	Labels       []string `json:"labels"`
	ResourceDeps []string `json:"resourceDeps"`
	PortForwards []string `json:"portForwards"`
	Objects      []string `json:"objects,omitempty"`
	Cmd          string   `json:"cmd,omitempty"`
	ServeCmd     string   `json:"serveCmd,omitempty"`
	Links        []string `json:"links,omitempty"`
}

type report struct {
	Images    []image        `json:"images"`
	Resources []resource     `json:"resources"`
	Helm      [][]string     `json:"helm"`
	Workloads []string       `json:"workloads"`
	Objects   []string       `json:"objects"`
	Settings  map[string]any `json:"settings"`
	Local     []string       `json:"local"`
	Errors    []string       `json:"errors"`
}

type evaluator struct {
	root     string
	helmBin  string
	locals   map[string]string
	yaml     bytes.Buffer
	out      report
	loaded   map[string]starlark.StringDict
	builtins starlark.StringDict
}

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	helmBin := flag.String("helm", "helm", "helm binary helm() runs")
	var locals listFlag
	flag.Var(&locals, "local", "'command=output': what local(command) answers instead of running it (repeatable), for commands that need a cluster")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: tiltcheck -helm <helm> [-local 'cmd=output'] <Tiltfile>")
		os.Exit(2)
	}
	tiltfile, err := filepath.Abs(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ev := &evaluator{root: filepath.Dir(tiltfile), helmBin: *helmBin, locals: map[string]string{}, loaded: map[string]starlark.StringDict{}}
	for _, l := range locals {
		cmd, output, _ := strings.Cut(l, "=")
		ev.locals[cmd] = output
	}
	ev.out = report{Images: []image{}, Resources: []resource{}, Helm: [][]string{}, Workloads: []string{}, Objects: []string{}, Settings: map[string]any{}, Local: []string{}, Errors: []string{}}
	ev.builtins = ev.predeclared()
	if _, err := ev.exec(tiltfile); err != nil {
		var evalErr *starlark.EvalError
		if errors.As(err, &evalErr) {
			ev.fail(evalErr.Backtrace())
		} else {
			ev.fail(err.Error())
		}
	} else {
		ev.verify()
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(ev.out)
	if len(ev.out.Errors) > 0 {
		os.Exit(1)
	}
}

func (ev *evaluator) fail(msg string) { ev.out.Errors = append(ev.out.Errors, msg) }

// Tilt's dialect: top-level for/if, while, sets, reassigning globals, recursion.
var fileOptions = &syntax.FileOptions{Set: true, While: true, TopLevelControl: true, GlobalReassign: true, Recursion: true}

func (ev *evaluator) exec(path string) (starlark.StringDict, error) {
	if g, ok := ev.loaded[path]; ok {
		return g, nil
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	thread := &starlark.Thread{
		Name: path,
		Load: func(t *starlark.Thread, module string) (starlark.StringDict, error) {
			if strings.HasPrefix(module, "ext://") {
				return nil, fmt.Errorf("load(%q): extensions are fetched from the internet; keep helpers in tilt/", module)
			}
			return ev.exec(filepath.Join(filepath.Dir(t.Name), module))
		},
		Print: func(_ *starlark.Thread, msg string) { fmt.Fprintln(os.Stderr, msg) },
	}
	globals, err := starlark.ExecFileOptions(fileOptions, thread, path, src, ev.builtins)
	if err != nil {
		return nil, err
	}
	ev.loaded[path] = globals
	return globals, nil
}

func (ev *evaluator) abs(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(ev.root, p)
}

func (ev *evaluator) predeclared() starlark.StringDict {
	b := func(name string, fn func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error)) *starlark.Builtin {
		return starlark.NewBuiltin(name, fn)
	}
	return starlark.StringDict{
		"read_yaml":         b("read_yaml", ev.readYAML),
		"read_file":         b("read_file", ev.readFile),
		"helm":              b("helm", ev.helm),
		"k8s_yaml":          b("k8s_yaml", ev.k8sYAML),
		"docker_build":      b("docker_build", ev.dockerBuild),
		"sync":              b("sync", ev.sync),
		"run":               b("run", ev.run),
		"fall_back_on":      b("fall_back_on", ev.fallBackOn),
		"restart_container": b("restart_container", ev.restartContainer),
		"k8s_resource":      b("k8s_resource", ev.k8sResource),
		"local_resource":    b("local_resource", ev.localResource),
		"local":             b("local", ev.local),
		"link": b("link", func(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
			var url, name string
			if err := starlark.UnpackArgs(fn.Name(), args, kw, "url", &url, "name?", &name); err != nil {
				return nil, err
			}
			if !strings.HasPrefix(url, "http://") && !strings.HasPrefix(url, "https://") {
				return nil, fmt.Errorf("link: %q is not an http(s) URL", url)
			}
			return starlark.String(url), nil
		}),
		"decode_json": b("decode_json", func(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
			var text string
			if err := starlark.UnpackArgs(fn.Name(), args, kw, "json", &text); err != nil {
				return nil, err
			}
			var v any
			if err := json.Unmarshal([]byte(text), &v); err != nil {
				return nil, fmt.Errorf("decode_json: %w", err)
			}
			return toStarlark(v)
		}),
		"decode_yaml_stream": b("decode_yaml_stream", func(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
			var text string
			if err := starlark.UnpackArgs(fn.Name(), args, kw, "yaml", &text); err != nil {
				return nil, err
			}
			var docs []starlark.Value
			for _, doc := range strings.Split("\n"+text, "\n---") {
				var v any
				if err := yaml.Unmarshal([]byte(doc), &v); err != nil {
					return nil, fmt.Errorf("decode_yaml_stream: %w", err)
				}
				if v == nil {
					continue
				}
				sv, err := toStarlark(v)
				if err != nil {
					return nil, err
				}
				docs = append(docs, sv)
			}
			return starlark.NewList(docs), nil
		}),
		"watch_file": b("watch_file", func(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
			var p string
			if err := starlark.UnpackArgs(fn.Name(), args, kw, "path", &p); err != nil {
				return nil, err
			}
			if _, err := os.Stat(ev.abs(p)); err != nil {
				return nil, fmt.Errorf("watch_file: %w", err)
			}
			return starlark.None, nil
		}),
		"update_settings": b("update_settings", func(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
			if len(args) > 0 {
				return nil, fmt.Errorf("%s: keyword arguments only", fn.Name())
			}
			for _, kv := range kw {
				k := string(kv[0].(starlark.String))
				if !slices.Contains([]string{"max_parallel_updates", "k8s_upsert_timeout_secs", "suppress_unused_image_warnings"}, k) {
					return nil, fmt.Errorf("%s: unexpected keyword argument %q", fn.Name(), k)
				}
				ev.out.Settings[k] = kv[1].String()
			}
			return starlark.None, nil
		}),
		"fail": b("fail", func(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
			var msg string
			if err := starlark.UnpackArgs(fn.Name(), args, kw, "msg", &msg); err != nil {
				return nil, err
			}
			return nil, errors.New(msg)
		}),
		"struct": starlark.NewBuiltin("struct", starlarkstruct.Make),
		"config": &starlarkstruct.Module{Name: "config", Members: starlark.StringDict{
			"main_dir":  starlark.String(ev.root),
			"main_path": starlark.String(filepath.Join(ev.root, "Tiltfile")),
		}},
		"os": &starlarkstruct.Module{Name: "os", Members: starlark.StringDict{
			"path": &starlarkstruct.Module{Name: "path", Members: starlark.StringDict{
				"join": b("join", func(_ *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, _ []starlark.Tuple) (starlark.Value, error) {
					parts := make([]string, len(args))
					for i, a := range args {
						s, ok := starlark.AsString(a)
						if !ok {
							return nil, fmt.Errorf("os.path.join: %s is not a string", a.Type())
						}
						parts[i] = s
					}
					return starlark.String(filepath.Join(parts...)), nil
				}),
				"exists": b("exists", func(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
					var p string
					if err := starlark.UnpackArgs(fn.Name(), args, kw, "path", &p); err != nil {
						return nil, err
					}
					_, err := os.Stat(ev.abs(p))
					return starlark.Bool(err == nil), nil
				}),
			}},
		}},
	}
}

func (ev *evaluator) readFile(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var p string
	if err := starlark.UnpackArgs(fn.Name(), args, kw, "paths", &p); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(ev.abs(p))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", fn.Name(), err)
	}
	return starlark.String(data), nil
}

func (ev *evaluator) readYAML(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var p string
	if err := starlark.UnpackArgs(fn.Name(), args, kw, "paths", &p); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(ev.abs(p))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", fn.Name(), err)
	}
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("%s(%q): %w", fn.Name(), p, err)
	}
	return toStarlark(v)
}

func toStarlark(v any) (starlark.Value, error) {
	switch t := v.(type) {
	case nil:
		return starlark.None, nil
	case bool:
		return starlark.Bool(t), nil
	case float64:
		if t == float64(int64(t)) {
			return starlark.MakeInt64(int64(t)), nil
		}
		return starlark.Float(t), nil
	case string:
		return starlark.String(t), nil
	case []any:
		items := make([]starlark.Value, len(t))
		for i, e := range t {
			s, err := toStarlark(e)
			if err != nil {
				return nil, err
			}
			items[i] = s
		}
		return starlark.NewList(items), nil
	case map[string]any:
		d := starlark.NewDict(len(t))
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			s, err := toStarlark(t[k])
			if err != nil {
				return nil, err
			}
			if err := d.SetKey(starlark.String(k), s); err != nil {
				return nil, err
			}
		}
		return d, nil
	}
	return nil, fmt.Errorf("unsupported YAML value %T", v)
}

// strings_ reads a string or a list of strings; nothing is an empty list (JSON [], not null).
func strings_(v starlark.Value, what string) ([]string, error) {
	if v == nil || v == starlark.None {
		return []string{}, nil
	}
	if s, ok := starlark.AsString(v); ok {
		return []string{s}, nil
	}
	iter, ok := v.(starlark.Iterable)
	if !ok {
		return nil, fmt.Errorf("%s: want a string or a list of strings, got %s", what, v.Type())
	}
	out := []string{}
	it := iter.Iterate()
	defer it.Done()
	var x starlark.Value
	for it.Next(&x) {
		s, ok := starlark.AsString(x)
		if !ok {
			return nil, fmt.Errorf("%s: %s is not a string", what, x.Type())
		}
		out = append(out, s)
	}
	return out, nil
}

func (ev *evaluator) helm(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var paths, name, namespace string
	var values, set starlark.Value
	if err := starlark.UnpackArgs(fn.Name(), args, kw, "paths", &paths, "name?", &name, "namespace?", &namespace, "values?", &values, "set?", &set); err != nil {
		return nil, err
	}
	valueFiles, err := strings_(values, "helm values")
	if err != nil {
		return nil, err
	}
	sets, err := strings_(set, "helm set")
	if err != nil {
		return nil, err
	}
	if name == "" {
		name = "chart"
	}
	cmd := []string{"template", name, ev.abs(paths)}
	if namespace != "" {
		cmd = append(cmd, "--namespace", namespace)
	}
	for _, v := range valueFiles {
		cmd = append(cmd, "--values", ev.abs(v))
	}
	for _, s := range sets {
		cmd = append(cmd, "--set", s)
	}
	var stderr bytes.Buffer
	c := exec.Command(ev.helmBin, cmd...)
	c.Stderr = &stderr
	out, err := c.Output()
	if err != nil {
		return nil, fmt.Errorf("helm %s: %v: %s", strings.Join(cmd, " "), err, stderr.String())
	}
	ev.out.Helm = append(ev.out.Helm, cmd)
	return starlark.String(out), nil
}

func (ev *evaluator) k8sYAML(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	var allowDuplicates bool
	if err := starlark.UnpackArgs(fn.Name(), args, kw, "yaml", &v, "allow_duplicates?", &allowDuplicates); err != nil {
		return nil, err
	}
	items, err := strings_(v, "k8s_yaml")
	if err != nil {
		return nil, err
	}
	for _, item := range items {
		// a blob holds YAML; a string names a file, as in Tilt
		text := item
		if !strings.Contains(item, "\n") {
			data, err := os.ReadFile(ev.abs(item))
			if err != nil {
				return nil, fmt.Errorf("k8s_yaml: %w", err)
			}
			text = string(data)
		}
		ev.yaml.WriteString("\n---\n")
		ev.yaml.WriteString(text)
	}
	return starlark.None, nil
}

func (ev *evaluator) dockerBuild(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var ref, context, dockerfile, target string
	var buildArgs *starlark.Dict
	var liveUpdate, only, ignore starlark.Value
	if err := starlark.UnpackArgs(fn.Name(), args, kw, "ref", &ref, "context", &context, "build_args?", &buildArgs,
		"dockerfile?", &dockerfile, "target?", &target, "live_update?", &liveUpdate, "only?", &only, "ignore?", &ignore); err != nil {
		return nil, err
	}
	img := image{Ref: ref, Context: context, Dockerfile: dockerfile, Target: target, BuildArgs: map[string]string{}, LiveUpdate: []liveUpdateStep{}}
	if img.Dockerfile == "" {
		img.Dockerfile = filepath.Join(context, "Dockerfile")
	}
	if buildArgs != nil {
		for _, item := range buildArgs.Items() {
			k, ok1 := starlark.AsString(item[0])
			v, ok2 := starlark.AsString(item[1])
			if !ok1 || !ok2 {
				return nil, fmt.Errorf("docker_build(%s): build_args must map strings to strings", ref)
			}
			img.BuildArgs[k] = v
		}
	}
	var err error
	if img.Only, err = strings_(only, "only"); err != nil {
		return nil, err
	}
	if img.Ignore, err = strings_(ignore, "ignore"); err != nil {
		return nil, err
	}
	if liveUpdate != nil && liveUpdate != starlark.None {
		list, ok := liveUpdate.(*starlark.List)
		if !ok {
			return nil, fmt.Errorf("docker_build(%s): live_update must be a list of steps", ref)
		}
		for i := range list.Len() {
			step, ok := list.Index(i).(*stepValue)
			if !ok {
				return nil, fmt.Errorf("docker_build(%s): live_update[%d] is %s, not a sync/run/fall_back_on/restart_container step", ref, i, list.Index(i).Type())
			}
			img.LiveUpdate = append(img.LiveUpdate, step.step)
		}
	}
	for _, i := range ev.out.Images {
		if i.Ref == ref {
			return nil, fmt.Errorf("docker_build(%s): image built twice", ref)
		}
	}
	ev.out.Images = append(ev.out.Images, img)
	return starlark.None, nil
}

// stepValue is a live_update step as the Tiltfile sees it.
type stepValue struct{ step liveUpdateStep }

func (s *stepValue) String() string        { return "live_update step " + s.step.Kind }
func (s *stepValue) Type() string          { return "live_update_step" }
func (s *stepValue) Freeze()               {}
func (s *stepValue) Truth() starlark.Bool  { return true }
func (s *stepValue) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable") }

func (ev *evaluator) sync(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var src, dest string
	if err := starlark.UnpackArgs(fn.Name(), args, kw, "local_path", &src, "remote_path", &dest); err != nil {
		return nil, err
	}
	return &stepValue{liveUpdateStep{Kind: "sync", Src: src, Dest: dest}}, nil
}

func (ev *evaluator) run(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var cmd string
	var trigger starlark.Value
	if err := starlark.UnpackArgs(fn.Name(), args, kw, "cmd", &cmd, "trigger?", &trigger); err != nil {
		return nil, err
	}
	t, err := strings_(trigger, "trigger")
	if err != nil {
		return nil, err
	}
	return &stepValue{liveUpdateStep{Kind: "run", Cmd: cmd, Trigger: t}}, nil
}

func (ev *evaluator) fallBackOn(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var paths starlark.Value
	if err := starlark.UnpackArgs(fn.Name(), args, kw, "paths", &paths); err != nil {
		return nil, err
	}
	p, err := strings_(paths, "fall_back_on")
	if err != nil {
		return nil, err
	}
	return &stepValue{liveUpdateStep{Kind: "fall_back_on", Paths: p}}, nil
}

func (ev *evaluator) restartContainer(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackArgs(fn.Name(), args, kw); err != nil {
		return nil, err
	}
	return &stepValue{liveUpdateStep{Kind: "restart_container"}}, nil
}

func portForwards(v starlark.Value) ([]string, error) {
	if v == nil || v == starlark.None {
		return []string{}, nil
	}
	var items []starlark.Value
	if l, ok := v.(*starlark.List); ok {
		for i := range l.Len() {
			items = append(items, l.Index(i))
		}
	} else {
		items = []starlark.Value{v}
	}
	out := []string{}
	for _, it := range items {
		switch t := it.(type) {
		case starlark.Int:
			out = append(out, t.String())
		case starlark.String:
			out = append(out, string(t))
		default:
			return nil, fmt.Errorf("port_forwards: %s is not a port or 'local:remote'", it.Type())
		}
	}
	return out, nil
}

// readCommon reads the arguments k8s_resource and local_resource share.
func (r *resource) readCommon(labels, deps, links starlark.Value) error {
	var err error
	if r.Labels, err = strings_(labels, "labels"); err != nil {
		return err
	}
	if r.ResourceDeps, err = strings_(deps, "resource_deps"); err != nil {
		return err
	}
	r.Links, err = strings_(links, "links")
	return err
}

func (ev *evaluator) k8sResource(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var workload, newName string
	var labels, deps, forwards, objects, links starlark.Value
	if err := starlark.UnpackArgs(fn.Name(), args, kw, "workload?", &workload, "new_name?", &newName, "port_forwards?", &forwards,
		"labels?", &labels, "resource_deps?", &deps, "objects?", &objects, "links?", &links); err != nil {
		return nil, err
	}
	r := resource{Type: "k8s", Workload: workload, Name: workload}
	if newName != "" {
		r.Name = newName
	}
	err := r.readCommon(labels, deps, links)
	if err != nil {
		return nil, err
	}
	if r.Objects, err = strings_(objects, "objects"); err != nil {
		return nil, err
	}
	if r.PortForwards, err = portForwards(forwards); err != nil {
		return nil, err
	}
	if r.Name == "" {
		return nil, fmt.Errorf("k8s_resource: workload or new_name is required")
	}
	ev.out.Resources = append(ev.out.Resources, r)
	return starlark.None, nil
}

func (ev *evaluator) localResource(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var name, cmd, serveCmd string
	var labels, deps, links starlark.Value
	autoInit := true
	if err := starlark.UnpackArgs(fn.Name(), args, kw, "name", &name, "cmd?", &cmd, "serve_cmd?", &serveCmd, "labels?", &labels,
		"resource_deps?", &deps, "auto_init?", &autoInit, "links?", &links); err != nil {
		return nil, err
	}
	r := resource{Type: "local", Name: name, Cmd: cmd, ServeCmd: serveCmd, PortForwards: []string{}}
	if err := r.readCommon(labels, deps, links); err != nil {
		return nil, err
	}
	if cmd == "" && serveCmd == "" {
		return nil, fmt.Errorf("local_resource(%s): cmd or serve_cmd is required", name)
	}
	ev.out.Resources = append(ev.out.Resources, r)
	return starlark.None, nil
}

// local runs the command as Tilt does (sh -c in the Tiltfile's folder), unless
// -local gives its answer: commands that need a cluster cannot run here.
func (ev *evaluator) local(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var cmd string
	var quiet, echoOff bool
	if err := starlark.UnpackArgs(fn.Name(), args, kw, "command", &cmd, "quiet?", &quiet, "echo_off?", &echoOff); err != nil {
		return nil, err
	}
	ev.out.Local = append(ev.out.Local, cmd)
	if answer, ok := ev.locals[cmd]; ok {
		return starlark.String(answer), nil
	}
	c := exec.Command("sh", "-c", cmd)
	c.Dir = ev.root
	var stderr bytes.Buffer
	c.Stderr = &stderr
	out, err := c.Output()
	if err != nil {
		return nil, fmt.Errorf("local(%q): %v: %s", cmd, err, stderr.String())
	}
	return starlark.String(out), nil
}

func normalizeImage(ref string) string {
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		ref = ref[:i]
	}
	ref = strings.TrimPrefix(ref, "docker.io/")
	return strings.TrimPrefix(ref, "library/")
}

// verify checks the recorded calls against the deployed objects, as Tilt would
// when it starts.
func (ev *evaluator) verify() {
	objs, errs := kube.Decode(bytes.NewReader(ev.yaml.Bytes()), "k8s_yaml")
	errs = append(errs, kube.Check(objs, kube.Options{})...)
	for _, e := range errs {
		ev.fail(e.Error())
	}
	workloads := map[string][]corev1.Container{}
	for _, o := range objs {
		ev.out.Objects = append(ev.out.Objects, o.Kind+"/"+o.Name)
		switch v := o.Obj.(type) {
		case *appsv1.Deployment:
			workloads[o.Name] = append(v.Spec.Template.Spec.Containers, v.Spec.Template.Spec.InitContainers...)
		case *appsv1.StatefulSet:
			workloads[o.Name] = append(v.Spec.Template.Spec.Containers, v.Spec.Template.Spec.InitContainers...)
		case *batchv1.Job:
			workloads[o.Name] = append(v.Spec.Template.Spec.Containers, v.Spec.Template.Spec.InitContainers...)
		case *corev1.Pod:
			workloads[o.Name] = v.Spec.Containers
		}
	}
	for name := range workloads {
		ev.out.Workloads = append(ev.out.Workloads, name)
	}
	sort.Strings(ev.out.Workloads)
	for _, img := range ev.out.Images {
		used := false
		for _, cs := range workloads {
			for _, c := range cs {
				if normalizeImage(c.Image) == normalizeImage(img.Ref) {
					used = true
				}
			}
		}
		if !used {
			ev.fail(fmt.Sprintf("docker_build(%s): no workload runs this image", img.Ref))
		}
		for _, p := range []string{img.Context, img.Dockerfile} {
			if _, err := os.Stat(ev.abs(p)); err != nil {
				ev.fail(fmt.Sprintf("docker_build(%s): %v", img.Ref, err))
			}
		}
		synced := false
		for i, s := range img.LiveUpdate {
			switch s.Kind {
			case "sync":
				synced = true
				if _, err := os.Stat(ev.abs(s.Src)); err != nil {
					ev.fail(fmt.Sprintf("docker_build(%s): live_update[%d] sync: %v", img.Ref, i, err))
				}
				if !strings.HasPrefix(s.Dest, "/") {
					ev.fail(fmt.Sprintf("docker_build(%s): live_update[%d] sync: remote path %q must be absolute", img.Ref, i, s.Dest))
				}
			case "fall_back_on":
				if synced {
					ev.fail(fmt.Sprintf("docker_build(%s): live_update[%d]: fall_back_on must come before every sync", img.Ref, i))
				}
			case "run":
				if !synced {
					ev.fail(fmt.Sprintf("docker_build(%s): live_update[%d]: run before any sync", img.Ref, i))
				}
			}
		}
	}
	names := map[string]bool{}
	for _, r := range ev.out.Resources {
		if names[r.Name] {
			ev.fail(fmt.Sprintf("resource %q is defined twice", r.Name))
		}
		names[r.Name] = true
		if r.Type == "k8s" && r.Workload != "" {
			if _, ok := workloads[r.Workload]; !ok {
				ev.fail(fmt.Sprintf("k8s_resource(%s): no workload of that name is deployed", r.Workload))
			}
		}
		for _, o := range r.Objects {
			kindName := strings.SplitN(o, ":", 2)
			if len(kindName) != 2 || !slices.ContainsFunc(objs, func(x kube.Object) bool {
				return strings.EqualFold(x.Kind, kindName[1]) && x.Name == kindName[0]
			}) {
				ev.fail(fmt.Sprintf("k8s_resource(%s): object %q ('name:kind') is not deployed", r.Name, o))
			}
		}
	}
	for name := range workloads {
		names[name] = true // Tilt makes a resource of every workload
	}
	for _, r := range ev.out.Resources {
		for _, d := range r.ResourceDeps {
			if !names[d] {
				ev.fail(fmt.Sprintf("resource %q depends on unknown resource %q", r.Name, d))
			}
		}
	}
}
