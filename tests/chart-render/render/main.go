// Command chart-render renders a Helm chart the way `helm template` does, for
// the subset of Helm 3 that the Monitor chart uses, so that the chart can be
// checked on machines without a helm binary.
//
// It builds in GOPATH mode against Debian's Go packages
// (golang-github-masterminds-sprig-dev, golang-github-xeipuuv-gojsonschema-dev,
// golang-k8s-sigs-yaml-dev), which are the libraries Helm 3 itself uses for
// template functions, values.schema.json validation and YAML.
//
// Usage:
//
//	chart-render template --chart DIR [--values FILE]... [--release-name NAME]
//	    [--namespace NAME] [--kube-version VERSION] [--api-versions LIST] [--output-dir DIR]
//	chart-render yaml2json FILE
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}

	var err error
	switch os.Args[1] {
	case "template":
		err = runTemplate(os.Args[2:])
	case "yaml2json":
		err = runYAMLToJSON(os.Args[2:])
	default:
		fmt.Fprintf(os.Stderr, "unknown command %q\n%s\n", os.Args[1], usage)
		os.Exit(2)
	}

	if err != nil {
		fmt.Fprintf(os.Stderr, "Error: %s\n", err)
		os.Exit(1)
	}
}

const usage = `usage:
  chart-render template --chart DIR [--values FILE]... [--release-name NAME] [--namespace NAME]
      [--kube-version VERSION] [--api-versions LIST] [--output-dir DIR]
  chart-render yaml2json FILE`

// stringList collects a flag that may be given several times.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }

func (s *stringList) Set(value string) error {
	*s = append(*s, value)
	return nil
}

func runTemplate(args []string) error {
	flags := flag.NewFlagSet("template", flag.ContinueOnError)
	chartDir := flags.String("chart", "", "chart folder (required)")
	var valueFiles stringList
	flags.Var(&valueFiles, "values", "values file merged over the chart's values.yaml; may be repeated, later files win")
	releaseName := flags.String("release-name", "monitor", "release name (.Release.Name)")
	namespace := flags.String("namespace", "default", "release namespace (.Release.Namespace)")
	kubeVersion := flags.String("kube-version", "v1.34.0", "Kubernetes version for .Capabilities.KubeVersion and the chart's kubeVersion check")
	apiVersions := flags.String("api-versions", "", "comma-separated extra API versions for .Capabilities.APIVersions, such as monitoring.coreos.com/v1")
	outputDir := flags.String("output-dir", "", "folder for manifests.yaml, manifests.json and NOTES.txt; empty prints manifests.yaml to standard output")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *chartDir == "" {
		return errors.New("--chart is required")
	}

	chart, err := loadChart(*chartDir)
	if err != nil {
		return err
	}

	capabilities, err := newCapabilities(*kubeVersion, splitList(*apiVersions))
	if err != nil {
		return err
	}
	if err := checkKubeVersion(chart.Metadata, capabilities); err != nil {
		return err
	}

	values, err := mergeValueFiles(chart.Values, valueFiles)
	if err != nil {
		return err
	}
	if err := validateValues(chart, values); err != nil {
		return err
	}

	release := map[string]interface{}{
		"Name":      *releaseName,
		"Namespace": *namespace,
		"IsInstall": true,
		"IsUpgrade": false,
		"Revision":  1,
		"Service":   "Helm",
	}
	rendered, err := renderChart(chart, values, release, capabilities)
	if err != nil {
		return err
	}

	manifests, notes, err := collectManifests(chart, rendered)
	if err != nil {
		return err
	}
	return writeOutput(*outputDir, manifests, notes)
}

func runYAMLToJSON(args []string) error {
	if len(args) != 1 {
		return errors.New("yaml2json takes exactly one file")
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	converted, err := yamlToJSONStrict(data)
	if err != nil {
		return fmt.Errorf("%s: %w", args[0], err)
	}
	_, err = os.Stdout.Write(append(converted, '\n'))
	return err
}

func splitList(list string) []string {
	var items []string
	for _, item := range strings.Split(list, ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items
}
