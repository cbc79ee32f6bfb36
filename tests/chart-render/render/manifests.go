package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

// Manifest is one rendered Kubernetes object.
type Manifest struct {
	// Source is the template that produced it, such as monitor/templates/service.yaml.
	Source string `json:"source"`
	// Text is the YAML as the template printed it.
	Text string `json:"-"`
	// Object is the parsed object.
	Object map[string]interface{} `json:"object"`
	kind   string
	name   string
}

// installOrder is the order in which Helm 3 installs kinds (and prints them
// in helm template); kinds not listed come last.
var installOrder = []string{
	"PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange",
	"PodSecurityPolicy", "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList",
	"ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
	"CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding",
	"ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service",
	"DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
	"HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress",
	"APIService",
}

var documentSeparator = regexp.MustCompile(`(?m)^---[ \t]*(#.*)?$`)

// collectManifests splits the rendered templates into objects, parses each
// one strictly (a duplicate key is an error, as for kubectl), checks that it
// names its apiVersion, kind and metadata.name, and rejects two objects of the
// same kind, namespace and name. It returns the objects in install order and
// the rendered NOTES.txt.
func collectManifests(chart *Chart, rendered map[string]string) ([]Manifest, string, error) {
	notesName := chart.Metadata.Name + "/templates/NOTES.txt"
	notes := rendered[notesName]

	sources := make([]string, 0, len(rendered))
	for source := range rendered {
		if source != notesName {
			sources = append(sources, source)
		}
	}
	sort.Strings(sources)

	var manifests []Manifest
	seen := map[string]string{}
	for _, source := range sources {
		for index, document := range documentSeparator.Split(rendered[source], -1) {
			if isBlankDocument(document) {
				continue
			}
			manifest, err := parseManifest(source, document)
			if err != nil {
				return nil, "", fmt.Errorf("%s (document %d): %w\n%s", source, index+1, err, numberLines(document))
			}
			namespace, _ := nestedString(manifest.Object, "metadata", "namespace")
			identity := strings.Join([]string{manifest.kind, namespace, manifest.name}, "/")
			if earlier, ok := seen[identity]; ok {
				return nil, "", fmt.Errorf("%s renders %s %q again, after %s", source, manifest.kind, manifest.name, earlier)
			}
			seen[identity] = source
			manifests = append(manifests, manifest)
		}
	}

	sort.SliceStable(manifests, func(i, j int) bool {
		return kindRank(manifests[i].kind) < kindRank(manifests[j].kind)
	})
	return manifests, notes, nil
}

func isBlankDocument(document string) bool {
	for _, line := range strings.Split(document, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			return false
		}
	}
	return true
}

func parseManifest(source, document string) (Manifest, error) {
	converted, err := yamlToJSONStrict([]byte(document))
	if err != nil {
		return Manifest{}, err
	}
	var object map[string]interface{}
	decoder := json.NewDecoder(bytes.NewReader(converted))
	decoder.UseNumber()
	if err := decoder.Decode(&object); err != nil {
		return Manifest{}, fmt.Errorf("the document is not a YAML mapping: %w", err)
	}

	apiVersion, _ := object["apiVersion"].(string)
	kind, _ := object["kind"].(string)
	name, _ := nestedString(object, "metadata", "name")
	switch {
	case apiVersion == "":
		return Manifest{}, fmt.Errorf("apiVersion is missing")
	case kind == "":
		return Manifest{}, fmt.Errorf("kind is missing")
	case name == "":
		return Manifest{}, fmt.Errorf("metadata.name is missing")
	}
	return Manifest{Source: source, Text: strings.Trim(document, "\n"), Object: object, kind: kind, name: name}, nil
}

// yamlToJSONStrict converts YAML to JSON and rejects duplicate keys.
func yamlToJSONStrict(data []byte) ([]byte, error) {
	return yaml.YAMLToJSONStrict(data)
}

func nestedString(object map[string]interface{}, keys ...string) (string, bool) {
	var current interface{} = object
	for _, key := range keys {
		asMap, ok := current.(map[string]interface{})
		if !ok {
			return "", false
		}
		current = asMap[key]
	}
	text, ok := current.(string)
	return text, ok
}

func kindRank(kind string) int {
	for rank, known := range installOrder {
		if known == kind {
			return rank
		}
	}
	return len(installOrder)
}

func numberLines(document string) string {
	var numbered strings.Builder
	for number, line := range strings.Split(strings.Trim(document, "\n"), "\n") {
		fmt.Fprintf(&numbered, "%4d | %s\n", number+1, line)
	}
	return strings.TrimSuffix(numbered.String(), "\n")
}

// writeOutput prints manifests.yaml to standard output, or writes
// manifests.yaml, manifests.json and NOTES.txt into outputDir.
func writeOutput(outputDir string, manifests []Manifest, notes string) error {
	var combined strings.Builder
	for _, manifest := range manifests {
		fmt.Fprintf(&combined, "---\n# Source: %s\n%s\n", manifest.Source, manifest.Text)
	}
	if outputDir == "" {
		_, err := os.Stdout.WriteString(combined.String())
		return err
	}

	if err := os.MkdirAll(outputDir, 0o755); err != nil {
		return err
	}
	asJSON, err := json.MarshalIndent(manifests, "", "  ")
	if err != nil {
		return err
	}
	outputs := map[string][]byte{
		"manifests.yaml": []byte(combined.String()),
		"manifests.json": append(asJSON, '\n'),
		"NOTES.txt":      []byte(notes),
	}
	for name, content := range outputs {
		if err := os.WriteFile(filepath.Join(outputDir, name), content, 0o644); err != nil {
			return err
		}
	}
	return nil
}
