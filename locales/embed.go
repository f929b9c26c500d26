// Package locales holds the go-i18n message files: LANG.toml for the public site and
// AREA.LANG.toml for the account and staff pages.
package locales

import "embed"

// FS holds every message file.
//
//go:embed *.toml
var FS embed.FS
