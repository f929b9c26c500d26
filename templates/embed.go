// Package templates holds the portal's html/template files, embedded so the binary carries them.
package templates

import "embed"

// FS holds every page template, the layout and the shared partials.
//
//go:embed *.html
var FS embed.FS
