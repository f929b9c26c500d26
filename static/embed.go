// Package static holds the portal's stylesheet, script and images, embedded so the binary
// carries them.
package static

import "embed"

// FS holds every static file; the server publishes them under content-hashed names.
//
//go:embed *.css *.js *.svg
var FS embed.FS
