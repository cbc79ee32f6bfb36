package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/Masterminds/semver"
	"github.com/xeipuuv/gojsonschema"
	"sigs.k8s.io/yaml"
)

// mergeValueFiles reads the --values files, merges them (later files win) and
// coalesces the result over the chart's defaults as Helm does: maps merge key
// by key, other values replace the default, and a null removes the key.
func mergeValueFiles(defaults map[string]interface{}, files []string) (map[string]interface{}, error) {
	overrides := map[string]interface{}{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		current := map[string]interface{}{}
		if err := yaml.Unmarshal(data, &current); err != nil {
			return nil, fmt.Errorf("failed to parse %s: %w", file, err)
		}
		overrides = mergeMaps(overrides, current)
	}
	return coalesceTables(overrides, deepCopyMap(defaults), ""), nil
}

// mergeMaps returns base with override's keys laid over it, merging nested maps.
func mergeMaps(base, override map[string]interface{}) map[string]interface{} {
	merged := make(map[string]interface{}, len(base))
	for key, value := range base {
		merged[key] = value
	}
	for key, value := range override {
		if nested, ok := value.(map[string]interface{}); ok {
			if existing, ok := merged[key].(map[string]interface{}); ok {
				merged[key] = mergeMaps(existing, nested)
				continue
			}
		}
		merged[key] = value
	}
	return merged
}

// coalesceTables fills dst with the keys of src (the chart defaults) that dst
// lacks, recursing into maps. A key that dst sets to null is deleted, so the
// default does not come back either.
func coalesceTables(dst, src map[string]interface{}, prefix string) map[string]interface{} {
	for key, defaultValue := range src {
		userValue, set := dst[key]
		if !set {
			dst[key] = defaultValue
			continue
		}
		if userValue == nil {
			delete(dst, key)
			continue
		}
		userMap, userIsMap := userValue.(map[string]interface{})
		defaultMap, defaultIsMap := defaultValue.(map[string]interface{})
		switch {
		case userIsMap && defaultIsMap:
			dst[key] = coalesceTables(userMap, defaultMap, prefix+key+".")
		case userIsMap != defaultIsMap && defaultValue != nil:
			fmt.Fprintf(os.Stderr, "warning: %s%s replaces a %s default with a %s\n", prefix, key, kindOf(defaultValue), kindOf(userValue))
		}
	}
	return dst
}

func kindOf(value interface{}) string {
	if _, ok := value.(map[string]interface{}); ok {
		return "map"
	}
	return fmt.Sprintf("%T", value)
}

func deepCopyMap(source map[string]interface{}) map[string]interface{} {
	copied := make(map[string]interface{}, len(source))
	for key, value := range source {
		copied[key] = deepCopyValue(value)
	}
	return copied
}

func deepCopyValue(value interface{}) interface{} {
	switch typed := value.(type) {
	case map[string]interface{}:
		return deepCopyMap(typed)
	case []interface{}:
		copied := make([]interface{}, len(typed))
		for i, item := range typed {
			copied[i] = deepCopyValue(item)
		}
		return copied
	default:
		return value
	}
}

// validateValues checks the merged values against values.schema.json with
// gojsonschema, the validator of Helm 3 up to 3.17, and words a failure as
// Helm does: one "- <field>: <problem>" line per violation.
func validateValues(chart *Chart, values map[string]interface{}) error {
	if chart.Schema == nil {
		return nil
	}
	valuesJSON, err := json.Marshal(values)
	if err != nil {
		return err
	}

	schema, err := gojsonschema.NewSchemaLoader().Compile(gojsonschema.NewBytesLoader(chart.Schema))
	if err != nil {
		return fmt.Errorf("unable to compile values.schema.json: %w", err)
	}
	result, err := schema.Validate(gojsonschema.NewBytesLoader(valuesJSON))
	if err != nil {
		return err
	}
	if result.Valid() {
		return nil
	}

	var message strings.Builder
	fmt.Fprintf(&message, "values don't meet the specifications of the schema(s) in the following chart(s):\n%s:\n", chart.Metadata.Name)
	for _, problem := range result.Errors() {
		fmt.Fprintf(&message, "- %s\n", problem)
	}
	return fmt.Errorf("%s", strings.TrimSuffix(message.String(), "\n"))
}

// checkKubeVersion applies the chart's kubeVersion constraint to the
// Kubernetes version being rendered for, as helm install does.
func checkKubeVersion(metadata *Metadata, capabilities *Capabilities) error {
	if metadata.KubeVersion == "" {
		return nil
	}
	constraint, err := semver.NewConstraint(metadata.KubeVersion)
	if err != nil {
		return fmt.Errorf("Chart.yaml: invalid kubeVersion %q: %w", metadata.KubeVersion, err)
	}
	version, err := semver.NewVersion(capabilities.KubeVersion.Version)
	if err != nil {
		return err
	}
	if !constraint.Check(version) {
		return fmt.Errorf("chart requires kubeVersion: %s which is incompatible with Kubernetes %s", metadata.KubeVersion, capabilities.KubeVersion.Version)
	}
	return nil
}
