package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/semver"
	"github.com/Masterminds/sprig"
	"sigs.k8s.io/yaml"
)

// Capabilities is the part of Helm's .Capabilities that charts commonly read.
type Capabilities struct {
	KubeVersion KubeVersion
	APIVersions VersionSet
}

// KubeVersion is .Capabilities.KubeVersion.
type KubeVersion struct {
	Version string
	Major   string
	Minor   string
}

func (v KubeVersion) String() string { return v.Version }

// GitVersion returns the version as Kubernetes reports it, such as v1.34.0.
func (v KubeVersion) GitVersion() string { return v.Version }

// VersionSet is .Capabilities.APIVersions.
type VersionSet []string

// Has reports whether the set contains an API version, such as apps/v1.
func (s VersionSet) Has(apiVersion string) bool {
	for _, item := range s {
		if item == apiVersion {
			return true
		}
	}
	return false
}

// builtinAPIVersions are the API versions that every supported Kubernetes
// release serves and that the chart's built-in resources use.
var builtinAPIVersions = []string{
	"v1",
	"apps/v1",
	"autoscaling/v1",
	"autoscaling/v2",
	"policy/v1",
	"networking.k8s.io/v1",
	"rbac.authorization.k8s.io/v1",
	"batch/v1",
	"storage.k8s.io/v1",
}

func newCapabilities(kubeVersion string, extraAPIVersions []string) (*Capabilities, error) {
	version, err := semver.NewVersion(kubeVersion)
	if err != nil {
		return nil, fmt.Errorf("--kube-version %q is not a version: %w", kubeVersion, err)
	}
	apiVersions := append(VersionSet{}, builtinAPIVersions...)
	apiVersions = append(apiVersions, extraAPIVersions...)
	return &Capabilities{
		KubeVersion: KubeVersion{
			Version: "v" + version.String(),
			Major:   fmt.Sprint(version.Major()),
			Minor:   fmt.Sprint(version.Minor()),
		},
		APIVersions: apiVersions,
	}, nil
}

// Markers around the message of `required`, so that the error shown to the
// user can be cut down to the message and its location, as Helm does.
const (
	messageStart = "HELM_ERR_START"
	messageEnd   = "HELM_ERR_END"
)

var markedMessage = regexp.MustCompile(messageStart + `(.*)` + messageEnd)

// maxIncludeDepth bounds recursion through include, as Helm's engine does.
const maxIncludeDepth = 1000

// renderChart executes every template of the chart and returns the output
// of each one that is not a partial (a name starting with '_'), keyed by
// "<chart>/templates/<file>".
func renderChart(chart *Chart, values map[string]interface{}, release map[string]interface{}, capabilities *Capabilities) (map[string]string, error) {
	prefix := chart.Metadata.Name + "/"
	basePath := prefix + "templates"
	top := map[string]interface{}{
		"Values":       values,
		"Release":      release,
		"Chart":        chart.Metadata,
		"Files":        Files(chart.Files),
		"Capabilities": capabilities,
	}

	root := template.New("gotpl").Option("missingkey=zero")
	root.Funcs(engineFuncs(root))

	names := make([]string, 0, len(chart.Templates))
	for name := range chart.Templates {
		names = append(names, prefix+name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, err := root.New(name).Parse(chart.Templates[strings.TrimPrefix(name, prefix)]); err != nil {
			return nil, cleanParseError(name, err)
		}
	}

	rendered := map[string]string{}
	for _, name := range names {
		if strings.HasPrefix(path.Base(name), "_") {
			continue
		}
		scope := make(map[string]interface{}, len(top)+1)
		for key, value := range top {
			scope[key] = value
		}
		scope["Template"] = map[string]interface{}{"Name": name, "BasePath": basePath}

		var output strings.Builder
		if err := root.ExecuteTemplate(&output, name, scope); err != nil {
			return nil, cleanExecError(name, err)
		}
		// missingkey=zero still prints "<no value>" for a missing key of an
		// interface map. Helm removes it from the output, and so does this.
		rendered[name] = strings.ReplaceAll(output.String(), "<no value>", "")
	}
	return rendered, nil
}

// engineFuncs returns Sprig's functions (less env and expandenv, as in Helm)
// plus Helm's own: include, tpl, required, lookup and the YAML and JSON
// conversions.
func engineFuncs(root *template.Template) template.FuncMap {
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")

	includeDepth := map[string]int{}
	funcs["include"] = func(name string, data interface{}) (string, error) {
		if includeDepth[name] > maxIncludeDepth {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		includeDepth[name]++
		defer func() { includeDepth[name]-- }()

		var output strings.Builder
		err := root.ExecuteTemplate(&output, name, data)
		return output.String(), err
	}
	funcs["tpl"] = func(text string, scope map[string]interface{}) (string, error) {
		templateInfo, _ := scope["Template"].(map[string]interface{})
		name, _ := templateInfo["Name"].(string)
		if name == "" {
			return "", errors.New("tpl: the scope has no Template.Name; pass the top-level context ($)")
		}
		clone, err := root.Clone()
		if err != nil {
			return "", err
		}
		if _, err := clone.New(name).Parse(text); err != nil {
			return "", fmt.Errorf("error during tpl function execution for %q: %w", text, err)
		}
		var output strings.Builder
		if err := clone.ExecuteTemplate(&output, name, scope); err != nil {
			return "", fmt.Errorf("error during tpl function execution for %q: %w", text, err)
		}
		return strings.ReplaceAll(output.String(), "<no value>", ""), nil
	}
	funcs["required"] = func(message string, value interface{}) (interface{}, error) {
		if value == nil {
			return value, errors.New(messageStart + message + messageEnd)
		}
		if text, ok := value.(string); ok && text == "" {
			return value, errors.New(messageStart + message + messageEnd)
		}
		return value, nil
	}
	// Without a cluster, lookup finds nothing, as under helm template.
	funcs["lookup"] = func(apiVersion, kind, namespace, name string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil
	}
	funcs["toYaml"] = toYAML
	funcs["fromYaml"] = fromYAML
	funcs["fromYamlArray"] = fromYAMLArray
	funcs["toJson"] = toJSON
	funcs["fromJson"] = fromJSON
	funcs["fromJsonArray"] = fromJSONArray
	return funcs
}

// toYAML marshals a value the way Helm's toYaml does (through JSON, so map
// keys come out sorted) and drops the final newline.
func toYAML(value interface{}) string {
	data, err := yaml.Marshal(value)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

// fromYAML parses a YAML mapping. Like Helm's, it reports a parse error in
// the "Error" key instead of failing the template.
func fromYAML(text string) map[string]interface{} {
	parsed := map[string]interface{}{}
	if err := yaml.Unmarshal([]byte(text), &parsed); err != nil {
		parsed["Error"] = err.Error()
	}
	return parsed
}

func fromYAMLArray(text string) []interface{} {
	var parsed []interface{}
	if err := yaml.Unmarshal([]byte(text), &parsed); err != nil {
		parsed = []interface{}{err.Error()}
	}
	return parsed
}

func toJSON(value interface{}) string {
	data, err := json.Marshal(value)
	if err != nil {
		return ""
	}
	return string(data)
}

func fromJSON(text string) map[string]interface{} {
	parsed := map[string]interface{}{}
	if err := json.Unmarshal([]byte(text), &parsed); err != nil {
		parsed["Error"] = err.Error()
	}
	return parsed
}

func fromJSONArray(text string) []interface{} {
	var parsed []interface{}
	if err := json.Unmarshal([]byte(text), &parsed); err != nil {
		parsed = []interface{}{err.Error()}
	}
	return parsed
}

func cleanParseError(name string, err error) error {
	parts := strings.Split(err.Error(), ": ")
	if len(parts) < 3 {
		return fmt.Errorf("parse error in (%s): %s", name, err)
	}
	return fmt.Errorf("parse error at (%s): %s", parts[1], parts[len(parts)-1])
}

// cleanExecError shortens a failure of required or fail to
// "execution error at (<template>:<line>:<column>): <message>".
func cleanExecError(name string, err error) error {
	var execError template.ExecError
	if !errors.As(err, &execError) {
		return fmt.Errorf("execution error in (%s): %w", name, err)
	}
	parts := strings.SplitN(err.Error(), ": ", 3)
	if len(parts) != 3 {
		return fmt.Errorf("execution error in (%s): %w", name, err)
	}
	location, detail := parts[1], parts[2]
	if match := markedMessage.FindStringSubmatch(detail); match != nil {
		return fmt.Errorf("execution error at (%s): %s", location, match[1])
	}
	if index := strings.Index(detail, "error calling fail: "); index >= 0 {
		return fmt.Errorf("execution error at (%s): %s", location, detail[index+len("error calling fail: "):])
	}
	return err
}
