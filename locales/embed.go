// Package locales holds the go-i18n message files, one TOML file per language.
package locales

import "embed"

// FS holds vi.toml and en.toml.
//
//go:embed *.toml
var FS embed.FS
