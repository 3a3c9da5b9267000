// manifestcheck decodes rendered Kubernetes manifests strictly against the
// Kubernetes API types and Dapr's resource types and checks that the objects
// fit together. It prints a JSON report and exits 1 on any error.
//
//	helm template … | manifestcheck -                  (stdin)
//	manifestcheck -external-secret tls-web a.yaml b.yaml
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/emporium/tools/manifests/internal/kube"
)

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

type reportObject struct {
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
	Source    string `json:"source"`
}

type report struct {
	Objects []reportObject `json:"objects"`
	Errors  []string       `json:"errors"`
}

func main() {
	var external listFlag
	flag.Var(&external, "external-secret", "a Secret the cluster already holds (repeatable)")
	decodeOnly := flag.Bool("decode-only", false, "decode strictly but skip the rules across objects (files that are not one deployment, such as components/)")
	flag.Parse()
	inputs := flag.Args()
	if len(inputs) == 0 {
		inputs = []string{"-"}
	}
	var objs []kube.Object
	var errs []error
	for _, in := range inputs {
		var r io.Reader = os.Stdin
		if in != "-" {
			f, err := os.Open(in)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			defer f.Close()
			r = f
		}
		o, e := kube.Decode(r, in)
		objs = append(objs, o...)
		errs = append(errs, e...)
	}
	if !*decodeOnly {
		errs = append(errs, kube.Check(objs, kube.Options{ExternalSecrets: external})...)
	}
	out := report{Objects: []reportObject{}, Errors: []string{}}
	for _, o := range objs {
		out.Objects = append(out.Objects, reportObject{Kind: o.Kind, Name: o.Name, Namespace: o.NS, Source: o.Source})
	}
	for _, e := range errs {
		out.Errors = append(out.Errors, e.Error())
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if len(errs) > 0 {
		os.Exit(1)
	}
}
