package exchange

import (
	"bytes"
	"maps"
	"slices"
	"text/template"

	"github.com/hanoi-cnht/portal/models"
)

// Message keys of the findings about taxonomy cells. A page or the command line says them in
// the reader's language from the locales; Reason holds the English for logs and tests.
const (
	// KeyNotInTaxonomy: an entry names no term at all. Args: Value.
	KeyNotInTaxonomy = "import.not_in_taxonomy"
	// KeyLeftFree: an entry named terms, but some of its words none. Args: Free (the words kept,
	// each in quotes, comma-separated).
	KeyLeftFree = "import.left_free"
)

// messagesEN are the English texts of the keys above, in the locales' template syntax; a test in
// the web layer keeps en.toml saying the same.
var messagesEN = map[string]string{
	KeyNotInTaxonomy: "“{{.Value}}” is not in the taxonomy; it was kept as free text",
	KeyLeftFree:      "{{.Free}} matched no taxonomy term; kept as free text",
}

var messageTemplates = func() map[string]*template.Template {
	out := make(map[string]*template.Template, len(messagesEN))
	for k, v := range messagesEN {
		out[k] = template.Must(template.New(k).Option("missingkey=error").Parse(v))
	}
	return out
}()

// MessageKeys lists every message key a RowProblem from this package can carry.
func MessageKeys() []string { return slices.Sorted(maps.Keys(messagesEN)) }

// MessageEN renders the English text of a message key; an unknown key is returned as it is.
func MessageEN(key string, args models.Args) string {
	t, ok := messageTemplates[key]
	if !ok {
		return key
	}
	var b bytes.Buffer
	if err := t.Execute(&b, args); err != nil {
		return key
	}
	return b.String()
}
