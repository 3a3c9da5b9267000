{{/* Names, labels and the per-app settings every template shares. */}}

{{- define "emporium.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else if contains "emporium" .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-emporium" .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The name of one app's resources: <fullname>-<app>. */}}
{{- define "emporium.appName" -}}
{{- printf "%s-%s" (include "emporium.fullname" .root) .app | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "emporium.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "emporium.labels" -}}
helm.sh/chart: {{ include "emporium.chart" . }}
app.kubernetes.io/part-of: emporium
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{/* Labels that select one app's pods; never change them after install. */}}
{{- define "emporium.selectorLabels" -}}
app.kubernetes.io/name: {{ .app }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{- define "emporium.appLabels" -}}
{{ include "emporium.labels" .root }}
app.kubernetes.io/name: {{ .app }}
app.kubernetes.io/component: {{ if .cfg.ingress }}web{{ else }}service{{ end }}
{{- end -}}

{{/* An outside party of externals.yaml: selected as an app is, by its name. */}}
{{- define "emporium.externalLabels" -}}
{{ include "emporium.labels" .root }}
app.kubernetes.io/name: {{ .app }}
app.kubernetes.io/component: external
{{- end -}}

{{/*
One app's settings: appDefaults overridden by its own entry under apps.
Usage: include "emporium.appConfig" (dict "root" $ "app" "identity") | fromYaml
*/}}
{{- define "emporium.appConfig" -}}
{{- $own := index .root.Values.apps .app -}}
{{- mergeOverwrite (deepCopy .root.Values.appDefaults) (deepCopy $own) | toYaml -}}
{{- end -}}

{{- define "emporium.image" -}}
{{- $registry := .root.Values.image.registry | trimSuffix "/" -}}
{{- $tag := .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- if $registry -}}
{{- printf "%s/emporium/%s:%s" $registry .app $tag -}}
{{- else -}}
{{- printf "emporium/%s:%s" .app $tag -}}
{{- end -}}
{{- end -}}

{{- define "emporium.infraSecret" -}}
{{- .Values.infrastructure.existingSecret | default (printf "%s-infrastructure" (include "emporium.fullname" .)) -}}
{{- end -}}

{{/* The Secret of an app's own secrets: secrets.<app>.existingSecret, else <fullname>-<app>. */}}
{{- define "emporium.appSecret" -}}
{{- $own := index (.root.Values.secrets | default dict) .app | default dict -}}
{{- $own.existingSecret | default (include "emporium.appName" .) -}}
{{- end -}}

{{- define "emporium.daprApiTokenSecret" -}}
{{- printf "%s-dapr-api-token" (include "emporium.fullname" .) -}}
{{- end -}}

{{- define "emporium.appApiTokenSecret" -}}
{{- printf "%s-app-api-token" (include "emporium.fullname" .) -}}
{{- end -}}

{{/* Every app-id of the release, sorted: the scope of components that every app uses. */}}
{{- define "emporium.appIds" -}}
{{- keys .Values.apps | sortAlpha | toJson -}}
{{- end -}}

{{/* Components rendered from files/components: the chart's own replace these local-only ones. */}}
{{- define "emporium.localOnlyComponents" -}}
["infra-env", "secretstore", "media", "email"]
{{- end -}}
