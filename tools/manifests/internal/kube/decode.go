// Package kube decodes rendered manifests strictly against the Kubernetes API
// types and Dapr's resource types, then checks that the objects fit together
// (selectors, ports, references, Dapr annotations).
package kube

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	componentsv1alpha1 "github.com/dapr/dapr/pkg/apis/components/v1alpha1"
	configurationv1alpha1 "github.com/dapr/dapr/pkg/apis/configuration/v1alpha1"
	resiliencyv1alpha1 "github.com/dapr/dapr/pkg/apis/resiliency/v1alpha1"
	subscriptionsv2alpha1 "github.com/dapr/dapr/pkg/apis/subscriptions/v2alpha1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer/json"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

// Object is one decoded manifest with where it came from.
type Object struct {
	Source string         // file and document index, or the "# Source:" comment helm writes
	Obj    runtime.Object // a typed object from the scheme
	Kind   string
	Name   string
	NS     string
}

// Scheme holds every type a manifest of this platform may use. A kind that is
// not here fails the check: a typo in apiVersion must not pass silently.
func Scheme() (*runtime.Scheme, error) {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme, appsv1.AddToScheme, autoscalingv2.AddToScheme, policyv1.AddToScheme,
		networkingv1.AddToScheme, rbacv1.AddToScheme, batchv1.AddToScheme,
		componentsv1alpha1.AddToScheme, configurationv1alpha1.AddToScheme, resiliencyv1alpha1.AddToScheme,
		subscriptionsv2alpha1.AddToScheme,
	} {
		if err := add(s); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Decode reads a multi-document YAML stream. Every document must be a known
// kind and decode strictly: unknown, duplicated or misplaced fields and
// case-mismatched keys are errors.
func Decode(r io.Reader, source string) ([]Object, []error) {
	scheme, err := Scheme()
	if err != nil {
		return nil, []error{err}
	}
	strict := json.NewSerializerWithOptions(json.DefaultMetaFactory, scheme, scheme, json.SerializerOptions{Yaml: true, Strict: true})
	reader := utilyaml.NewYAMLReader(bufio.NewReader(r))
	var objs []Object
	var errs []error
	for i := 0; ; i++ {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: document %d: %w", source, i, err))
			break
		}
		where := fmt.Sprintf("%s#%d", source, i)
		if src := helmSource(doc); src != "" {
			where = src
		}
		if isEmpty(doc) {
			continue
		}
		var meta struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
		}
		if err := yaml.Unmarshal(doc, &meta); err != nil {
			errs = append(errs, fmt.Errorf("%s: not YAML: %w", where, err))
			continue
		}
		if meta.APIVersion == "" || meta.Kind == "" {
			errs = append(errs, fmt.Errorf("%s: apiVersion and kind are required", where))
			continue
		}
		obj, gvk, err := strict.Decode(doc, nil, nil)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %s %s: %w", where, meta.APIVersion, meta.Kind, err))
			continue
		}
		accessor, ok := obj.(metav1.Object)
		if !ok {
			errs = append(errs, fmt.Errorf("%s: %s has no object metadata", where, gvk.Kind))
			continue
		}
		objs = append(objs, Object{Source: where, Obj: obj, Kind: gvk.Kind, Name: accessor.GetName(), NS: accessor.GetNamespace()})
	}
	return objs, errs
}

func helmSource(doc []byte) string {
	for _, line := range strings.Split(string(doc), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "# Source: "); ok {
			return rest
		}
	}
	return ""
}

func isEmpty(doc []byte) bool {
	for _, line := range bytes.Split(doc, []byte("\n")) {
		t := bytes.TrimSpace(line)
		if len(t) > 0 && t[0] != '#' && string(t) != "---" {
			return false
		}
	}
	return true
}
