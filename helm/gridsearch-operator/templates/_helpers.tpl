{{- define "gridsearch-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "gridsearch-operator.serviceAccountName" -}}
{{- default (include "gridsearch-operator.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{- define "gridsearch-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "gridsearch-operator.labels" -}}
{{ include "gridsearch-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The rules the operator needs, the same for the ClusterRole and each namespaced Role. */}}
{{- define "gridsearch-operator.rules" -}}
- apiGroups: [gridsearch.dev]
  resources: [gridsearches]
  verbs: [get, list, watch, patch, update]
- apiGroups: [gridsearch.dev]
  resources: [gridsearches/status]
  verbs: [get, patch, update]
- apiGroups: [gridsearch.dev]
  resources: [gridsearches/finalizers]
  verbs: [update]
- apiGroups: [batch]
  resources: [jobs]
  verbs: [get, list, watch, create, patch, delete]
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, list, watch, create, update, patch]
- apiGroups: [""]
  resources: [resourcequotas, limitranges]
  verbs: [get, list, watch]
- apiGroups: ["", events.k8s.io]
  resources: [events]
  verbs: [create, patch]
{{- end -}}
