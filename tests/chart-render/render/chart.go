package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/Masterminds/semver"
	"sigs.k8s.io/yaml"
)

// Metadata is the content of Chart.yaml, with Helm 3's field names so that
// templates read it as .Chart.Name, .Chart.AppVersion and so on.
type Metadata struct {
	APIVersion   string            `json:"apiVersion,omitempty"`
	Name         string            `json:"name,omitempty"`
	Version      string            `json:"version,omitempty"`
	KubeVersion  string            `json:"kubeVersion,omitempty"`
	Description  string            `json:"description,omitempty"`
	Type         string            `json:"type,omitempty"`
	Keywords     []string          `json:"keywords,omitempty"`
	Home         string            `json:"home,omitempty"`
	Sources      []string          `json:"sources,omitempty"`
	Icon         string            `json:"icon,omitempty"`
	AppVersion   string            `json:"appVersion,omitempty"`
	Deprecated   bool              `json:"deprecated,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	Maintainers  []interface{}     `json:"maintainers,omitempty"`
	Dependencies []interface{}     `json:"dependencies,omitempty"`
}

// Chart is a chart folder split the way Helm's loader splits it.
type Chart struct {
	Metadata *Metadata
	Values   map[string]interface{}
	Schema   []byte
	// Templates maps names relative to the chart, such as
	// templates/deployment.yaml, to their text.
	Templates map[string]string
	// Files holds every other file, as .Files serves them.
	Files map[string][]byte
}

// loadChart reads a chart folder. Like Helm's directory loader it follows
// symbolic links (a linked folder's files appear under the link's path) and
// skips what .helmignore matches.
func loadChart(dir string) (*Chart, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}

	ignore, err := readHelmIgnore(filepath.Join(root, ".helmignore"))
	if err != nil {
		return nil, err
	}

	chart := &Chart{Templates: map[string]string{}, Files: map[string][]byte{}}
	var chartYAML, valuesYAML []byte
	err = walkFollowingLinks(root, "", 0, func(relative string, data []byte) error {
		if ignore.matches(relative) {
			return nil
		}
		data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
		switch {
		case relative == "Chart.yaml":
			chartYAML = data
		case relative == "values.yaml":
			valuesYAML = data
		case relative == "values.schema.json":
			chart.Schema = data
		case strings.HasPrefix(relative, "templates/"):
			chart.Templates[relative] = string(data)
		case strings.HasPrefix(relative, "charts/") || relative == "requirements.yaml" || relative == "Chart.lock":
			return fmt.Errorf("%s: chart dependencies are not supported by chart-render", relative)
		default:
			chart.Files[relative] = data
		}
		return nil
	}, ignore)
	if err != nil {
		return nil, err
	}

	if chartYAML == nil {
		return nil, fmt.Errorf("%s has no Chart.yaml", dir)
	}
	chart.Metadata = &Metadata{}
	if err := yaml.Unmarshal(chartYAML, chart.Metadata); err != nil {
		return nil, fmt.Errorf("Chart.yaml: %w", err)
	}
	if err := validateMetadata(chart.Metadata); err != nil {
		return nil, err
	}

	chart.Values = map[string]interface{}{}
	if valuesYAML != nil {
		if err := yaml.Unmarshal(valuesYAML, &chart.Values); err != nil {
			return nil, fmt.Errorf("values.yaml: %w", err)
		}
		if chart.Values == nil {
			chart.Values = map[string]interface{}{}
		}
	}
	return chart, nil
}

func validateMetadata(metadata *Metadata) error {
	if metadata.APIVersion != "v2" {
		return fmt.Errorf("Chart.yaml: apiVersion is %q, but chart-render supports only v2", metadata.APIVersion)
	}
	if metadata.Name == "" {
		return errors.New("Chart.yaml: name is missing")
	}
	if _, err := semver.NewVersion(metadata.Version); err != nil {
		return fmt.Errorf("Chart.yaml: version %q is not a semantic version: %w", metadata.Version, err)
	}
	if len(metadata.Dependencies) > 0 {
		return errors.New("Chart.yaml: dependencies are not supported by chart-render")
	}
	if metadata.Type != "" && metadata.Type != "application" {
		return fmt.Errorf("Chart.yaml: type %q is not supported, because only application charts render", metadata.Type)
	}
	return nil
}

// maxLinkDepth bounds how many symbolic links one path may pass through, so
// that a link cycle fails instead of recursing forever.
const maxLinkDepth = 16

// walkFollowingLinks visits the files under root/relative in lexical order,
// reading symbolic links to files and folders as if they were the target.
// A link whose target is missing is an error, as it is for Helm.
func walkFollowingLinks(root, relative string, linkDepth int, visit func(string, []byte) error, ignore *helmIgnore) error {
	entries, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(relative)))
	if err != nil {
		return err
	}
	names := make([]string, 0, len(entries))
	for _, entry := range entries {
		names = append(names, entry.Name())
	}
	sort.Strings(names)

	for _, name := range names {
		child := path.Join(relative, name)
		full := filepath.Join(root, filepath.FromSlash(child))
		info, err := os.Lstat(full)
		if err != nil {
			return err
		}
		depth := linkDepth
		if info.Mode()&os.ModeSymlink != 0 {
			if depth++; depth > maxLinkDepth {
				return fmt.Errorf("%s: more than %d nested symbolic links", child, maxLinkDepth)
			}
			resolved, err := filepath.EvalSymlinks(full)
			if err != nil {
				return fmt.Errorf("error evaluating symlink %s: %w", child, err)
			}
			if info, err = os.Stat(resolved); err != nil {
				return err
			}
		}

		if info.IsDir() {
			if ignore.matchesFolder(child) {
				continue
			}
			if err := walkFollowingLinks(root, child, depth, visit, ignore); err != nil {
				return err
			}
			continue
		}
		if !info.Mode().IsRegular() {
			return fmt.Errorf("cannot load irregular file %s", child)
		}
		data, err := os.ReadFile(full)
		if err != nil {
			return err
		}
		if err := visit(child, data); err != nil {
			return err
		}
	}
	return nil
}

// helmIgnore is the subset of .helmignore that chart-render understands:
// comments, glob patterns matched against the base name, patterns that
// contain '/' matched against the whole path, and a trailing '/' for folders.
// Negated patterns ('!') are rejected rather than misread.
type helmIgnore struct {
	filePatterns   []string
	folderPatterns []string
}

func readHelmIgnore(file string) (*helmIgnore, error) {
	// Helm always ignores hidden files in templates/.
	ignore := &helmIgnore{filePatterns: []string{"templates/.?*"}}
	data, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) {
		return ignore, nil
	}
	if err != nil {
		return nil, err
	}

	for number, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "!") {
			return nil, fmt.Errorf(".helmignore line %d: negated patterns are not supported by chart-render", number+1)
		}
		if _, err := path.Match(strings.TrimSuffix(line, "/"), ""); err != nil {
			return nil, fmt.Errorf(".helmignore line %d: invalid pattern %q: %w", number+1, line, err)
		}
		if strings.HasSuffix(line, "/") {
			ignore.folderPatterns = append(ignore.folderPatterns, strings.TrimSuffix(line, "/"))
		} else {
			ignore.filePatterns = append(ignore.filePatterns, line)
			ignore.folderPatterns = append(ignore.folderPatterns, line)
		}
	}
	return ignore, nil
}

func (h *helmIgnore) matches(relative string) bool {
	return matchAny(h.filePatterns, relative)
}

func (h *helmIgnore) matchesFolder(relative string) bool {
	return matchAny(h.folderPatterns, relative)
}

func matchAny(patterns []string, relative string) bool {
	for _, pattern := range patterns {
		target := path.Base(relative)
		if strings.Contains(pattern, "/") {
			target = relative
		}
		if matched, _ := path.Match(pattern, target); matched {
			return true
		}
	}
	return false
}
