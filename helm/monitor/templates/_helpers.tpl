{{/*
Chart name, or nameOverride, cut to the 63 characters that a label value allows.
*/}}
{{- define "monitor.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Prefix of every resource name: fullnameOverride, or "<release>-<chart>", or only
the release name when it already contains the chart name.
*/}}
{{- define "monitor.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Chart label value: "<name>-<version>", with '+' replaced because labels forbid it.
*/}}
{{- define "monitor.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels of every resource.
*/}}
{{- define "monitor.labels" -}}
helm.sh/chart: {{ include "monitor.chart" . }}
{{ include "monitor.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | trunc 63 | quote }}
app.kubernetes.io/component: inference
app.kubernetes.io/part-of: monitor
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Labels that select the pods; they never change during the life of a release,
because a Deployment's selector is immutable.
*/}}
{{- define "monitor.selectorLabels" -}}
app.kubernetes.io/name: {{ include "monitor.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Name of the service account that the pods run as.
*/}}
{{- define "monitor.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "monitor.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Name of the Secret that holds the prediction id key.
*/}}
{{- define "monitor.predictionIdSecretName" -}}
{{- if .Values.predictionIds.existingSecret }}
{{- .Values.predictionIds.existingSecret }}
{{- else }}
{{- printf "%s-prediction-id" (include "monitor.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/*
Name of the PersistentVolumeClaim of the pvc model source.
*/}}
{{- define "monitor.modelClaimName" -}}
{{- if .Values.modelRepository.pvc.existingClaim }}
{{- .Values.modelRepository.pvc.existingClaim }}
{{- else }}
{{- printf "%s-models" (include "monitor.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/*
Image reference from a map with repository, tag and digest. The digest, when
set, pins the image. Called with (dict "image" <map> "defaultTag" <tag>).
*/}}
{{- define "monitor.imageReference" -}}
{{- $tag := .image.tag | default .defaultTag }}
{{- if .image.digest }}
{{- printf "%s@%s" .image.repository .image.digest }}
{{- else }}
{{- printf "%s:%s" .image.repository $tag }}
{{- end }}
{{- end }}

{{/*
Image of the daemon container: the CPU image, or the GPU image with gpu.enabled.
*/}}
{{- define "monitor.image" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion }}
{{- if .Values.gpu.enabled }}
{{- $gpuImage := dict "repository" (.Values.gpu.image.repository | default .Values.image.repository) "tag" .Values.gpu.image.tag "digest" .Values.gpu.image.digest }}
{{- include "monitor.imageReference" (dict "image" $gpuImage "defaultTag" (printf "%s-gpu" $tag)) }}
{{- else }}
{{- include "monitor.imageReference" (dict "image" .Values.image "defaultTag" $tag) }}
{{- end }}
{{- end }}

{{/*
Execution provider that the daemon uses: config.executionProvider, or cuda on
GPU pods and cpu elsewhere.
*/}}
{{- define "monitor.executionProvider" -}}
{{- if .Values.config.executionProvider }}
{{- .Values.config.executionProvider }}
{{- else if .Values.gpu.enabled }}
{{- "cuda" }}
{{- else }}
{{- "cpu" }}
{{- end }}
{{- end }}

{{/*
Folder where the Secrets (prediction id key, API key) are mounted.
*/}}
{{- define "monitor.secretsPath" -}}
/var/run/secrets/monitor
{{- end }}

{{/*
Checks across values that values.schema.json cannot express. Each failure
names the value to change.
*/}}
{{- define "monitor.validate" -}}
{{- $repository := .Values.modelRepository }}
{{- if and (ne $repository.source "image") $repository.image.repository }}
{{- fail (printf "modelRepository.image.repository is set but modelRepository.source is %q: set modelRepository.source to image or clear modelRepository.image.repository, because exactly one model source is used" $repository.source) }}
{{- end }}
{{- if and (ne $repository.source "configMap") $repository.configMaps }}
{{- fail (printf "modelRepository.configMaps is set but modelRepository.source is %q: set modelRepository.source to configMap or clear modelRepository.configMaps, because exactly one model source is used" $repository.source) }}
{{- end }}
{{- if and (ne $repository.source "pvc") $repository.pvc.existingClaim }}
{{- fail (printf "modelRepository.pvc.existingClaim is set but modelRepository.source is %q: set modelRepository.source to pvc or clear modelRepository.pvc.existingClaim, because exactly one model source is used" $repository.source) }}
{{- end }}
{{- $shutdownSeconds := add (int .Values.config.shutdownGracePeriodSeconds) (int .Values.preStopSleepSeconds) }}
{{- if le (int .Values.terminationGracePeriodSeconds) $shutdownSeconds }}
{{- fail (printf "terminationGracePeriodSeconds (%d) must be greater than config.shutdownGracePeriodSeconds plus preStopSleepSeconds (%d), or Kubernetes kills the daemon before requests in flight finish" (int .Values.terminationGracePeriodSeconds) $shutdownSeconds) }}
{{- end }}
{{- if eq (int .Values.config.httpPort) (int .Values.config.metricsPort) }}
{{- fail (printf "config.httpPort and config.metricsPort are both %d; the metrics endpoint needs a port of its own" (int .Values.config.httpPort)) }}
{{- end }}
{{- if .Values.autoscaling.enabled }}
{{- if gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas) }}
{{- fail (printf "autoscaling.minReplicas (%d) is greater than autoscaling.maxReplicas (%d)" (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) }}
{{- end }}
{{- if and (not .Values.autoscaling.targetCPUUtilizationPercentage) (not .Values.autoscaling.queueDepth.enabled) }}
{{- fail "autoscaling.enabled is true but no metric is set: set autoscaling.targetCPUUtilizationPercentage above 0 or autoscaling.queueDepth.enabled to true" }}
{{- end }}
{{- if and .Values.autoscaling.targetCPUUtilizationPercentage (not (dig "requests" "cpu" "" .Values.resources)) }}
{{- fail "autoscaling.targetCPUUtilizationPercentage needs resources.requests.cpu, because CPU utilisation is measured against the request" }}
{{- end }}
{{- end }}
{{- end }}
