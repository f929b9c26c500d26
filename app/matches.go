package main

import (
	"github.com/hanoi-cnht/portal/search"
)

// matchSources names each kind of place a match was found in, as a message "match.source.KEY".
var matchSources = map[string]string{
	search.SourceAssigned:      "assigned",
	search.SourceName:          "name",
	search.SourceTaxCode:       "tax_code",
	search.SourceVIDescription: "vi_description",
	search.SourceENDescription: "en_description",
	search.SourceOwnWords:      "own_words",
	search.SourceCustomers:     "customers",
	search.SourceRecognition:   "recognition",
	search.SourceFound:         "found",
	search.SourceRelated:       "related",
	search.SourceTranslated:    "translated",
}

// matchJSON is one reason a firm matched, as the API answers it.
type matchJSON struct {
	Kind   string `json:"kind"`
	Label  string `json:"label"`
	Field  string `json:"field"`
	Source string `json:"source"`
}

// sourceText says where a match was found, in lang.
func (s *Server) sourceText(lang, source string) string {
	if key, ok := matchSources[source]; ok {
		return s.views.messages.tr(lang, "match.source."+key)
	}
	return source
}

// matchesJSON are a hit's reasons for the API, the source in lang.
func (s *Server) matchesJSON(lang string, ms []search.Match) []matchJSON {
	out := make([]matchJSON, len(ms))
	for i, m := range ms {
		out[i] = matchJSON{Kind: m.Kind, Label: m.Label, Field: m.Field, Source: s.sourceText(lang, m.Source)}
	}
	return out
}

// matchTexts are a hit's reasons as a results card shows them: "gears (from the Vietnamese
// description)".
func (s *Server) matchTexts(lang string, ms []search.Match) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.Label+" ("+s.sourceText(lang, m.Source)+")")
	}
	return out
}
