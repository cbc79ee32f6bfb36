package main

import (
	"encoding/base64"
	"path"
	"strings"
)

// Files is .Files: the chart's files outside templates/, keyed by their path
// relative to the chart, with the methods that Helm's Files type has.
type Files map[string][]byte

// GetBytes returns a file's content, or nil when the chart has no such file.
func (f Files) GetBytes(name string) []byte {
	return f[name]
}

// Get returns a file's content as text, or "" when the chart has no such file.
func (f Files) Get(name string) string {
	return string(f[name])
}

// Glob returns the files whose path matches a path.Match pattern, in which
// '*' does not cross '/'.
func (f Files) Glob(pattern string) Files {
	matched := Files{}
	for name, data := range f {
		if ok, _ := path.Match(pattern, name); ok {
			matched[name] = data
		}
	}
	return matched
}

// AsConfig returns the files as the YAML body of a ConfigMap's data, keyed
// by base name.
func (f Files) AsConfig() string {
	if len(f) == 0 {
		return ""
	}
	data := map[string]string{}
	for name, content := range f {
		data[path.Base(name)] = string(content)
	}
	return toYAML(data)
}

// AsSecrets returns the files as the YAML body of a Secret's data, keyed by
// base name and encoded in base64.
func (f Files) AsSecrets() string {
	if len(f) == 0 {
		return ""
	}
	data := map[string]string{}
	for name, content := range f {
		data[path.Base(name)] = base64.StdEncoding.EncodeToString(content)
	}
	return toYAML(data)
}

// Lines returns a file's lines without their line ends.
func (f Files) Lines(name string) []string {
	content, ok := f[name]
	if !ok || len(content) == 0 {
		return []string{}
	}
	return strings.Split(strings.TrimSuffix(string(content), "\n"), "\n")
}
