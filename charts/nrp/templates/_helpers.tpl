{{- define "nrp.name" -}}{{ . | replace "_" "-" }}{{- end -}}
{{- define "nrp.labels" -}}
app.kubernetes.io/part-of: nrp
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/name: {{ include "nrp.name" .name }}
{{- end -}}
