package kube

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	componentsv1alpha1 "github.com/dapr/dapr/pkg/apis/components/v1alpha1"
	configurationv1alpha1 "github.com/dapr/dapr/pkg/apis/configuration/v1alpha1"
	resiliencyv1alpha1 "github.com/dapr/dapr/pkg/apis/resiliency/v1alpha1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metavalidation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// Options name what may live outside the rendered manifests.
type Options struct {
	ExternalSecrets []string // Secrets the cluster already has (existingSecret values)
}

type index struct {
	opts        Options
	deployments map[string]*appsv1.Deployment
	services    map[string]*corev1.Service
	secrets     map[string]*corev1.Secret
	accounts    map[string]bool
	roles       map[string]*rbacv1.Role
	claims      map[string]bool
	components  map[string]*componentsv1alpha1.Component
	configs     map[string]*configurationv1alpha1.Configuration
	hpas        map[string]*autoscalingv2.HorizontalPodAutoscaler
	appIDs      map[string]string // dapr app-id → deployment
	policies    []*networkingv1.NetworkPolicy
	backends    map[string]bool // services an Ingress routes to
}

// Check runs the cross-object rules over decoded objects. Each error names the
// object and the field.
func Check(objs []Object, opts Options) []error {
	ix := &index{
		opts: opts, deployments: map[string]*appsv1.Deployment{}, services: map[string]*corev1.Service{},
		secrets: map[string]*corev1.Secret{}, accounts: map[string]bool{"default": true}, roles: map[string]*rbacv1.Role{},
		claims: map[string]bool{}, components: map[string]*componentsv1alpha1.Component{},
		configs: map[string]*configurationv1alpha1.Configuration{}, hpas: map[string]*autoscalingv2.HorizontalPodAutoscaler{},
		appIDs: map[string]string{}, backends: map[string]bool{},
	}
	var errs []error
	seen := map[string]string{}
	for _, o := range objs {
		key := o.Kind + "/" + o.NS + "/" + o.Name
		if prev, dup := seen[key]; dup {
			errs = append(errs, fmt.Errorf("%s: %s %q is also defined in %s", o.Source, o.Kind, o.Name, prev))
		}
		seen[key] = o.Source
		errs = append(errs, ix.checkMeta(o)...)
		switch v := o.Obj.(type) {
		case *appsv1.Deployment:
			ix.deployments[o.Name] = v
		case *corev1.Service:
			ix.services[o.Name] = v
		case *corev1.Secret:
			ix.secrets[o.Name] = v
		case *corev1.ServiceAccount:
			ix.accounts[o.Name] = true
		case *rbacv1.Role:
			ix.roles[o.Name] = v
		case *corev1.PersistentVolumeClaim:
			ix.claims[o.Name] = true
		case *componentsv1alpha1.Component:
			ix.components[o.Name] = v
		case *configurationv1alpha1.Configuration:
			ix.configs[o.Name] = v
		case *autoscalingv2.HorizontalPodAutoscaler:
			ix.hpas[v.Spec.ScaleTargetRef.Name] = v
		case *networkingv1.NetworkPolicy:
			ix.policies = append(ix.policies, v)
		case *networkingv1.Ingress:
			for _, b := range ingressBackends(v) {
				ix.backends[b] = true
			}
		}
	}
	for _, o := range objs {
		var e []error
		switch v := o.Obj.(type) {
		case *appsv1.Deployment:
			e = ix.checkDeployment(v)
		case *corev1.Service:
			e = ix.checkService(v)
		case *autoscalingv2.HorizontalPodAutoscaler:
			e = ix.checkHPA(v)
		case *policyv1.PodDisruptionBudget:
			e = ix.checkPDB(v)
		case *networkingv1.Ingress:
			e = ix.checkIngress(v)
		case *rbacv1.RoleBinding:
			e = ix.checkRoleBinding(v)
		}
		for _, err := range e {
			errs = append(errs, fmt.Errorf("%s: %s %q: %w", o.Source, o.Kind, o.Name, err))
		}
	}
	for _, o := range objs {
		var e []error
		switch v := o.Obj.(type) {
		case *componentsv1alpha1.Component:
			e = ix.checkComponent(v)
		case *resiliencyv1alpha1.Resiliency:
			e = ix.checkResiliency(v)
		case *configurationv1alpha1.Configuration:
			e = ix.checkConfiguration(v)
		case *appsv1.Deployment:
			e = ix.checkIsolation(v)
		}
		for _, err := range e {
			errs = append(errs, fmt.Errorf("%s: %s %q: %w", o.Source, o.Kind, o.Name, err))
		}
	}
	return errs
}

func (ix *index) checkMeta(o Object) []error {
	var errs []error
	m := o.Obj.(metav1.Object)
	nameErrs := validation.IsDNS1123Subdomain(m.GetName())
	if o.Kind == "Service" {
		nameErrs = validation.IsDNS1035Label(m.GetName())
	}
	for _, e := range nameErrs {
		errs = append(errs, fmt.Errorf("%s: %s metadata.name %q: %s", o.Source, o.Kind, m.GetName(), e))
	}
	for _, e := range metavalidation.ValidateLabels(m.GetLabels(), field.NewPath("metadata", "labels")) {
		errs = append(errs, fmt.Errorf("%s: %s %q: %s", o.Source, o.Kind, m.GetName(), e))
	}
	for k := range m.GetAnnotations() {
		for _, e := range validation.IsQualifiedName(strings.ToLower(k)) {
			errs = append(errs, fmt.Errorf("%s: %s %q: annotation %q: %s", o.Source, o.Kind, m.GetName(), k, e))
		}
	}
	return errs
}

func selectorMatches(sel *metav1.LabelSelector, podLabels map[string]string) (bool, error) {
	if sel == nil {
		return false, fmt.Errorf("no selector")
	}
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return false, err
	}
	if s.Empty() {
		return false, fmt.Errorf("empty selector selects every pod")
	}
	return s.Matches(labels.Set(podLabels)), nil
}

func containerPort(containers []corev1.Container, port intstr.IntOrString) bool {
	for _, c := range containers {
		for _, p := range c.Ports {
			if (port.Type == intstr.String && p.Name == port.StrVal) || (port.Type == intstr.Int && p.ContainerPort == port.IntVal) {
				return true
			}
		}
	}
	return false
}

func (ix *index) checkDeployment(d *appsv1.Deployment) []error {
	var errs []error
	pod := d.Spec.Template
	if ok, err := selectorMatches(d.Spec.Selector, pod.Labels); err != nil {
		errs = append(errs, fmt.Errorf("spec.selector: %w", err))
	} else if !ok {
		errs = append(errs, fmt.Errorf("spec.selector does not match spec.template.metadata.labels"))
	}
	if sa := pod.Spec.ServiceAccountName; sa != "" && !ix.accounts[sa] {
		errs = append(errs, fmt.Errorf("spec.template.spec.serviceAccountName %q is not defined", sa))
	}
	names := map[string]bool{}
	for i, c := range pod.Spec.Containers {
		path := fmt.Sprintf("spec.template.spec.containers[%d]", i)
		if names[c.Name] {
			errs = append(errs, fmt.Errorf("%s.name %q is used twice", path, c.Name))
		}
		names[c.Name] = true
		if c.Image == "" {
			errs = append(errs, fmt.Errorf("%s.image is empty", path))
		}
		for probeName, p := range map[string]*corev1.Probe{"livenessProbe": c.LivenessProbe, "readinessProbe": c.ReadinessProbe, "startupProbe": c.StartupProbe} {
			if p != nil && p.HTTPGet != nil && !containerPort([]corev1.Container{c}, p.HTTPGet.Port) {
				errs = append(errs, fmt.Errorf("%s.%s.httpGet.port %s is not a port of the container", path, probeName, p.HTTPGet.Port.String()))
			}
		}
		for name, req := range c.Resources.Requests {
			if lim, ok := c.Resources.Limits[name]; ok && req.Cmp(lim) > 0 {
				errs = append(errs, fmt.Errorf("%s.resources: request %s %s exceeds limit %s", path, name, req.String(), lim.String()))
			}
		}
		for j, e := range c.Env {
			if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
				ref := e.ValueFrom.SecretKeyRef
				optional := ref.Optional != nil && *ref.Optional
				if err := ix.secretKey(ref.Name, ref.Key, optional); err != nil {
					errs = append(errs, fmt.Errorf("%s.env[%d] %s: %w", path, j, e.Name, err))
				}
			}
		}
		for j, m := range c.VolumeMounts {
			if !slices.ContainsFunc(pod.Spec.Volumes, func(v corev1.Volume) bool { return v.Name == m.Name }) {
				errs = append(errs, fmt.Errorf("%s.volumeMounts[%d]: volume %q is not defined", path, j, m.Name))
			}
		}
	}
	for i, v := range pod.Spec.Volumes {
		if v.PersistentVolumeClaim != nil && !ix.claims[v.PersistentVolumeClaim.ClaimName] {
			errs = append(errs, fmt.Errorf("spec.template.spec.volumes[%d]: claim %q is not defined", i, v.PersistentVolumeClaim.ClaimName))
		}
		if v.Secret != nil {
			if err := ix.secretKey(v.Secret.SecretName, "", v.Secret.Optional != nil && *v.Secret.Optional); err != nil {
				errs = append(errs, fmt.Errorf("spec.template.spec.volumes[%d]: %w", i, err))
			}
		}
	}
	errs = append(errs, ix.checkDaprAnnotations(d)...)
	return errs
}

func (ix *index) secretKey(name, key string, optional bool) error {
	if slices.Contains(ix.opts.ExternalSecrets, name) {
		return nil
	}
	s, ok := ix.secrets[name]
	if !ok {
		return fmt.Errorf("secret %q is not defined", name)
	}
	if key == "" || optional {
		return nil
	}
	if _, ok := s.Data[key]; ok {
		return nil
	}
	if _, ok := s.StringData[key]; ok {
		return nil
	}
	return fmt.Errorf("secret %q has no key %q", name, key)
}

var daprAnnotations = knownDaprAnnotations()

func (ix *index) checkDaprAnnotations(d *appsv1.Deployment) []error {
	var errs []error
	ann := d.Spec.Template.Annotations
	for k := range ann {
		if strings.HasPrefix(k, "dapr.io/") && !daprAnnotations[k] {
			errs = append(errs, fmt.Errorf("pod annotation %q is not a Dapr annotation; the injector would ignore it", k))
		}
	}
	for k := range d.Annotations {
		if strings.HasPrefix(k, "dapr.io/") {
			errs = append(errs, fmt.Errorf("annotation %q sits on the Deployment; Dapr reads it from spec.template.metadata.annotations", k))
		}
	}
	if ann["dapr.io/enabled"] != "true" {
		return errs
	}
	id := ann["dapr.io/app-id"]
	if id == "" {
		errs = append(errs, fmt.Errorf("dapr.io/app-id is missing"))
	} else if prev, dup := ix.appIDs[id]; dup && prev != d.Name {
		errs = append(errs, fmt.Errorf("dapr.io/app-id %q is also used by %s", id, prev))
	} else {
		ix.appIDs[id] = d.Name
	}
	if p, ok := ann["dapr.io/app-port"]; ok {
		n, err := strconv.Atoi(p)
		if err != nil || !containerPort(d.Spec.Template.Spec.Containers, intstr.FromInt32(int32(n))) {
			errs = append(errs, fmt.Errorf("dapr.io/app-port %q is not a container port", p))
		}
	}
	if c, ok := ann["dapr.io/config"]; ok {
		if _, found := ix.configs[c]; !found {
			errs = append(errs, fmt.Errorf("dapr.io/config %q names no Configuration", c))
		}
	}
	for _, k := range []string{"dapr.io/api-token-secret", "dapr.io/app-token-secret"} {
		if s, ok := ann[k]; ok {
			if err := ix.secretKey(s, "token", false); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", k, err))
			}
		}
	}
	for _, k := range []string{"dapr.io/sidecar-cpu-request", "dapr.io/sidecar-cpu-limit", "dapr.io/sidecar-memory-request", "dapr.io/sidecar-memory-limit"} {
		if v, ok := ann[k]; ok {
			if _, err := resource.ParseQuantity(v); err != nil {
				errs = append(errs, fmt.Errorf("%s %q: %w", k, v, err))
			}
		}
	}
	for _, k := range []string{"dapr.io/volume-mounts", "dapr.io/volume-mounts-rw"} {
		for _, m := range strings.Split(ann[k], ",") {
			if m == "" {
				continue
			}
			name, _, ok := strings.Cut(m, ":")
			if !ok || !slices.ContainsFunc(d.Spec.Template.Spec.Volumes, func(v corev1.Volume) bool { return v.Name == name }) {
				errs = append(errs, fmt.Errorf("%s %q: volume %q is not defined", k, m, name))
			}
		}
	}
	for _, k := range []string{"dapr.io/enable-metrics", "dapr.io/log-as-json", "dapr.io/enable-app-health-check", "dapr.io/disable-builtin-k8s-secret-store"} {
		if v, ok := ann[k]; ok && v != "true" && v != "false" {
			errs = append(errs, fmt.Errorf("%s %q is not true or false", k, v))
		}
	}
	if v, ok := ann["dapr.io/log-level"]; ok && !slices.Contains([]string{"debug", "info", "warn", "error"}, v) {
		errs = append(errs, fmt.Errorf("dapr.io/log-level %q is not debug, info, warn or error", v))
	}
	return errs
}

// podsSelected returns the deployments whose pods a selector picks.
func (ix *index) podsSelected(sel map[string]string) []*appsv1.Deployment {
	var out []*appsv1.Deployment
	if len(sel) == 0 {
		return nil
	}
	for _, name := range sortedKeys(ix.deployments) {
		d := ix.deployments[name]
		if labels.SelectorFromSet(sel).Matches(labels.Set(d.Spec.Template.Labels)) {
			out = append(out, d)
		}
	}
	return out
}

func (ix *index) checkService(s *corev1.Service) []error {
	var errs []error
	pods := ix.podsSelected(s.Spec.Selector)
	if len(pods) == 0 {
		return []error{fmt.Errorf("spec.selector selects no pods of a Deployment here")}
	}
	for i, p := range s.Spec.Ports {
		target := p.TargetPort
		if target.Type == intstr.Int && target.IntVal == 0 {
			target = intstr.FromInt32(p.Port)
		}
		for _, d := range pods {
			if !containerPort(d.Spec.Template.Spec.Containers, target) {
				errs = append(errs, fmt.Errorf("spec.ports[%d].targetPort %s is not a container port of %s", i, target.String(), d.Name))
			}
		}
	}
	return errs
}

func minReplicas(ix *index, d *appsv1.Deployment) int32 {
	if h, ok := ix.hpas[d.Name]; ok && h.Spec.MinReplicas != nil {
		return *h.Spec.MinReplicas
	}
	if d.Spec.Replicas != nil {
		return *d.Spec.Replicas
	}
	return 1
}

func (ix *index) checkHPA(h *autoscalingv2.HorizontalPodAutoscaler) []error {
	var errs []error
	ref := h.Spec.ScaleTargetRef
	d, ok := ix.deployments[ref.Name]
	if ref.Kind != "Deployment" || ref.APIVersion != "apps/v1" || !ok {
		return []error{fmt.Errorf("spec.scaleTargetRef %s %s/%s names no Deployment here", ref.APIVersion, ref.Kind, ref.Name)}
	}
	if h.Spec.MinReplicas != nil && *h.Spec.MinReplicas > h.Spec.MaxReplicas {
		errs = append(errs, fmt.Errorf("spec.minReplicas %d exceeds spec.maxReplicas %d", *h.Spec.MinReplicas, h.Spec.MaxReplicas))
	}
	if d.Spec.Replicas != nil {
		errs = append(errs, fmt.Errorf("Deployment %s sets spec.replicas while the autoscaler owns it; every upgrade would reset the scale", d.Name))
	}
	for i, m := range h.Spec.Metrics {
		if m.Type != autoscalingv2.ResourceMetricSourceType || m.Resource == nil || m.Resource.Target.Type != autoscalingv2.UtilizationMetricType {
			continue
		}
		for _, c := range d.Spec.Template.Spec.Containers {
			if _, ok := c.Resources.Requests[m.Resource.Name]; !ok {
				errs = append(errs, fmt.Errorf("spec.metrics[%d]: utilization of %s needs a request in container %s", i, m.Resource.Name, c.Name))
			}
		}
	}
	return errs
}

func (ix *index) checkPDB(p *policyv1.PodDisruptionBudget) []error {
	var matched []*appsv1.Deployment
	for _, name := range sortedKeys(ix.deployments) {
		d := ix.deployments[name]
		if ok, err := selectorMatches(p.Spec.Selector, d.Spec.Template.Labels); err != nil {
			return []error{fmt.Errorf("spec.selector: %w", err)}
		} else if ok {
			matched = append(matched, d)
		}
	}
	if len(matched) == 0 {
		return []error{fmt.Errorf("spec.selector selects no pods of a Deployment here")}
	}
	var errs []error
	for _, d := range matched {
		if p.Spec.MinAvailable != nil && p.Spec.MinAvailable.Type == intstr.Int && p.Spec.MinAvailable.IntVal >= minReplicas(ix, d) {
			errs = append(errs, fmt.Errorf("spec.minAvailable %d leaves no pod of %s (at least %d replicas) to evict: node drains would hang", p.Spec.MinAvailable.IntVal, d.Name, minReplicas(ix, d)))
		}
	}
	return errs
}

func (ix *index) checkIngress(in *networkingv1.Ingress) []error {
	var errs []error
	check := func(path string, b *networkingv1.IngressServiceBackend) {
		if b == nil {
			return
		}
		s, ok := ix.services[b.Name]
		if !ok {
			errs = append(errs, fmt.Errorf("%s: service %q is not defined", path, b.Name))
			return
		}
		if !slices.ContainsFunc(s.Spec.Ports, func(p corev1.ServicePort) bool {
			return (b.Port.Name != "" && p.Name == b.Port.Name) || (b.Port.Number != 0 && p.Port == b.Port.Number)
		}) {
			errs = append(errs, fmt.Errorf("%s: service %q has no port %s%d", path, b.Name, b.Port.Name, b.Port.Number))
		}
	}
	if in.Spec.DefaultBackend != nil {
		check("spec.defaultBackend", in.Spec.DefaultBackend.Service)
	}
	for i, r := range in.Spec.Rules {
		if r.HTTP == nil {
			continue
		}
		for j, p := range r.HTTP.Paths {
			check(fmt.Sprintf("spec.rules[%d].http.paths[%d].backend", i, j), p.Backend.Service)
		}
	}
	for i, t := range in.Spec.TLS {
		if t.SecretName != "" && !slices.Contains(ix.opts.ExternalSecrets, t.SecretName) {
			if _, ok := ix.secrets[t.SecretName]; !ok {
				errs = append(errs, fmt.Errorf("spec.tls[%d].secretName %q is not defined (list it as external if cert-manager makes it)", i, t.SecretName))
			}
		}
	}
	return errs
}

func (ix *index) checkRoleBinding(b *rbacv1.RoleBinding) []error {
	var errs []error
	if b.RoleRef.Kind == "Role" {
		role, ok := ix.roles[b.RoleRef.Name]
		if !ok {
			errs = append(errs, fmt.Errorf("roleRef %q is not defined", b.RoleRef.Name))
		} else {
			for i, r := range role.Rules {
				for _, n := range r.ResourceNames {
					if slices.Contains(r.Resources, "secrets") {
						if err := ix.secretKey(n, "", true); err != nil {
							errs = append(errs, fmt.Errorf("role %s rules[%d]: %w", role.Name, i, err))
						}
					}
				}
			}
		}
	}
	for i, s := range b.Subjects {
		if s.Kind == "ServiceAccount" && !ix.accounts[s.Name] {
			errs = append(errs, fmt.Errorf("subjects[%d]: service account %q is not defined", i, s.Name))
		}
	}
	return errs
}

func (ix *index) checkComponent(c *componentsv1alpha1.Component) []error {
	var errs []error
	if !strings.Contains(c.Spec.Type, ".") {
		errs = append(errs, fmt.Errorf("spec.type %q is not <kind>.<name>", c.Spec.Type))
	}
	if !slices.Contains([]string{"v1", "v2"}, c.Spec.Version) {
		errs = append(errs, fmt.Errorf("spec.version %q is not v1 or v2", c.Spec.Version))
	}
	for _, scope := range c.Scopes {
		if _, ok := ix.appIDs[scope]; !ok {
			errs = append(errs, fmt.Errorf("scopes: no Deployment runs app-id %q", scope))
		}
	}
	names := map[string]bool{}
	for i, m := range c.Spec.Metadata {
		if names[m.Name] {
			errs = append(errs, fmt.Errorf("spec.metadata[%d].name %q is used twice", i, m.Name))
		}
		names[m.Name] = true
		if m.SecretKeyRef.Name == "" {
			continue
		}
		store := c.Auth.SecretStore
		if store != "" && store != "kubernetes" {
			if _, ok := ix.components[store]; !ok {
				errs = append(errs, fmt.Errorf("auth.secretStore %q names no component", store))
			}
			continue
		}
		if err := ix.secretKey(m.SecretKeyRef.Name, m.SecretKeyRef.Key, false); err != nil {
			errs = append(errs, fmt.Errorf("spec.metadata[%d] %s: %w", i, m.Name, err))
		}
	}
	return errs
}

func (ix *index) checkResiliency(r *resiliencyv1alpha1.Resiliency) []error {
	var errs []error
	p := r.Spec.Policies
	policy := func(path, kind, name string) {
		if name == "" {
			return
		}
		var ok bool
		switch kind {
		case "timeout":
			_, ok = p.Timeouts[name]
		case "retry":
			_, ok = p.Retries[name]
		case "circuitBreaker":
			_, ok = p.CircuitBreakers[name]
		}
		if !ok {
			errs = append(errs, fmt.Errorf("%s.%s %q names no policy", path, kind, name))
		}
	}
	names := func(path string, n resiliencyv1alpha1.PolicyNames) {
		policy(path, "timeout", n.Timeout)
		policy(path, "retry", n.Retry)
		policy(path, "circuitBreaker", n.CircuitBreaker)
	}
	for _, name := range sortedKeys(r.Spec.Targets.Components) {
		t := r.Spec.Targets.Components[name]
		if _, ok := ix.components[name]; !ok {
			errs = append(errs, fmt.Errorf("spec.targets.components.%s names no component", name))
		}
		names("spec.targets.components."+name+".inbound", t.Inbound)
		names("spec.targets.components."+name+".outbound", t.Outbound)
	}
	for _, name := range sortedKeys(r.Spec.Targets.Apps) {
		t := r.Spec.Targets.Apps[name]
		if _, ok := ix.appIDs[name]; !ok {
			errs = append(errs, fmt.Errorf("spec.targets.apps.%s: no Deployment runs that app-id", name))
		}
		names("spec.targets.apps."+name, resiliencyv1alpha1.PolicyNames{Timeout: t.Timeout, Retry: t.Retry, CircuitBreaker: t.CircuitBreaker})
	}
	for _, scope := range r.Scopes {
		if _, ok := ix.appIDs[scope]; !ok {
			errs = append(errs, fmt.Errorf("scopes: no Deployment runs app-id %q", scope))
		}
	}
	return errs
}

func (ix *index) checkConfiguration(c *configurationv1alpha1.Configuration) []error {
	var errs []error
	// service invocation is deny by default: each caller is allowed only the operations it uses
	if ac := c.Spec.AccessControlSpec; ac == nil || ac.DefaultAction != "deny" {
		errs = append(errs, fmt.Errorf("spec.accessControl.defaultAction must be deny"))
	} else {
		for i, p := range ac.AppPolicies {
			if p.DefaultAction != "deny" {
				errs = append(errs, fmt.Errorf("spec.accessControl.policies[%d] (%s): defaultAction must be deny", i, p.AppName))
			}
		}
	}
	if c.Spec.Secrets == nil {
		return errs
	}
	for i, s := range c.Spec.Secrets.Scopes {
		if s.StoreName == "kubernetes" {
			continue
		}
		comp, ok := ix.components[s.StoreName]
		if !ok || !strings.HasPrefix(comp.Spec.Type, "secretstores.") {
			errs = append(errs, fmt.Errorf("spec.secrets.scopes[%d].storeName %q names no secret store component", i, s.StoreName))
		}
		if s.DefaultAccess != "" && s.DefaultAccess != "allow" && s.DefaultAccess != "deny" {
			errs = append(errs, fmt.Errorf("spec.secrets.scopes[%d].defaultAccess %q is not allow or deny", i, s.DefaultAccess))
		}
	}
	return errs
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// ingressBackends names the services an Ingress routes to.
func ingressBackends(in *networkingv1.Ingress) []string {
	var out []string
	if in.Spec.DefaultBackend != nil && in.Spec.DefaultBackend.Service != nil {
		out = append(out, in.Spec.DefaultBackend.Service.Name)
	}
	for _, r := range in.Spec.Rules {
		if r.HTTP == nil {
			continue
		}
		for _, p := range r.HTTP.Paths {
			if p.Backend.Service != nil {
				out = append(out, p.Backend.Service.Name)
			}
		}
	}
	return out
}

// portIs tells whether a NetworkPolicy or Service port names the container port (by number or name).
func portIs(port intstr.IntOrString, d *appsv1.Deployment, appPort string) bool {
	if port.Type == intstr.Int {
		return strconv.Itoa(int(port.IntVal)) == appPort
	}
	for _, c := range d.Spec.Template.Spec.Containers {
		for _, p := range c.Ports {
			if p.Name == port.StrVal && strconv.Itoa(int(p.ContainerPort)) == appPort {
				return true
			}
		}
	}
	return false
}

// checkIsolation: an app with a Dapr sidecar takes traffic on its own port
// only from its sidecar (loopback) and the kubelet, unless an Ingress routes
// to it. So a NetworkPolicy selects its pods, admits its app port only for an
// Ingress backend, and no other Service targets the app port.
func (ix *index) checkIsolation(d *appsv1.Deployment) []error {
	ann := d.Spec.Template.Annotations
	appPort := ann["dapr.io/app-port"]
	if ann["dapr.io/enabled"] != "true" || appPort == "" {
		return nil
	}
	podLabels := labels.Set(d.Spec.Template.Labels)
	exposed := false
	for _, name := range sortedKeys(ix.services) {
		s := ix.services[name]
		if len(s.Spec.Selector) == 0 || !labels.SelectorFromSet(s.Spec.Selector).Matches(podLabels) {
			continue
		}
		for _, p := range s.Spec.Ports {
			target := p.TargetPort
			if target.Type == intstr.Int && target.IntVal == 0 {
				target = intstr.FromInt32(p.Port)
			}
			if portIs(target, d, appPort) {
				if !ix.backends[name] {
					return []error{fmt.Errorf("service %q reaches the app port %s around the sidecar, and no Ingress routes to it", name, appPort)}
				}
				exposed = true
			}
		}
	}
	var errs []error
	selected := false
	for _, np := range ix.policies {
		sel, err := metav1.LabelSelectorAsSelector(&np.Spec.PodSelector)
		if err != nil || !sel.Matches(podLabels) {
			continue
		}
		if !slices.Contains(np.Spec.PolicyTypes, networkingv1.PolicyTypeIngress) {
			continue
		}
		selected = true
		for i, rule := range np.Spec.Ingress {
			if len(rule.Ports) == 0 {
				errs = append(errs, fmt.Errorf("NetworkPolicy %q: spec.ingress[%d] admits every port, the app port %s too", np.Name, i, appPort))
			}
			for j, p := range rule.Ports {
				if p.Port != nil && portIs(*p.Port, d, appPort) && !exposed {
					errs = append(errs, fmt.Errorf("NetworkPolicy %q: spec.ingress[%d].ports[%d] admits the app port %s, which no Ingress serves", np.Name, i, j, appPort))
				}
			}
		}
	}
	if !selected {
		errs = append(errs, fmt.Errorf("no NetworkPolicy of type Ingress selects its pods: any pod may reach the app port %s", appPort))
	}
	return errs
}
