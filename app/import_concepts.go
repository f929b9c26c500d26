package main

import (
	"fmt"
	"strings"
	"sync"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/exchange"
	"github.com/hanoi-cnht/portal/search"
	"github.com/hanoi-cnht/portal/search/lexicon"
)

// cellConcepts lets imports and exports read taxonomy cells with the search index's concept
// matcher; models/exchange declares the interface, since it may not import search.
type cellConcepts struct {
	matcher func(*models.Reference) *search.ConceptMatcher
}

// FindConcepts returns the phrases of text that name a taxonomy term.
func (c cellConcepts) FindConcepts(ref *models.Reference, text string) []exchange.ConceptSpan {
	var out []exchange.ConceptSpan
	for _, h := range c.matcher(ref).Match(text) {
		if h.Concept != "" {
			out = append(out, exchange.ConceptSpan{Code: h.Concept, Start: h.Start, End: h.End})
		}
	}
	return out
}

// indexConcepts reads cells with the matcher the open index builds its documents with.
func indexConcepts(ix *search.Index) exchange.ConceptFinder {
	return cellConcepts{matcher: ix.ConceptMatcher}
}

// ownConcepts reads cells with a matcher of its own, for a command run while a portal holds the
// index; it is built on first use, again only if the reference data changes.
func ownConcepts() (exchange.ConceptFinder, error) {
	entries, err := lexicon.Load()
	if err != nil {
		return nil, fmt.Errorf("load the lexicon: %w", err)
	}
	var mu sync.Mutex
	var built *models.Reference
	var m *search.ConceptMatcher
	return cellConcepts{matcher: func(ref *models.Reference) *search.ConceptMatcher {
		mu.Lock()
		defer mu.Unlock()
		if built != ref {
			built, m = ref, search.NewConceptMatcher(ref, entries)
		}
		return m
	}}, nil
}

// mappingText says in lang what a cell was mapped to: "Injection moulding (process), Engineering
// plastics (material)".
func mappingText(msgs *catalog, lang string, m exchange.CellMapping) string {
	parts := make([]string, len(m.Terms))
	for i, t := range m.Terms {
		parts[i] = t.Label(lang) + " (" + msgs.tr(lang, "import.kind."+string(t.Kind)) + ")"
	}
	return strings.Join(parts, ", ")
}

// freeText lists the words kept as free text, each in quotes.
func freeText(free []string) string {
	quoted := make([]string, len(free))
	for i, f := range free {
		quoted[i] = "“" + f + "”"
	}
	return strings.Join(quoted, ", ")
}

// findingText is a problem's or warning's reason in lang, when it carries a message key.
func findingText(msgs *catalog, lang string, p exchange.RowProblem) string {
	if p.Key == "" {
		return p.Reason
	}
	return msgs.tr(lang, p.Key, argsList(p.Args)...)
}
