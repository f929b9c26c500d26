package search

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hanoi-cnht/portal/models"
)

// Suggestion is one type-ahead proposal.
type Suggestion struct {
	Text string `json:"text"` // what to show, in the asked language
	// Kind is "firm", or the taxonomy kind: "sector", "product", "process", "material".
	Kind string `json:"kind"`
	// Value is the term code, or the firm's slug.
	Value string `json:"value"`
}

// maxSuggestInput caps the text Suggest looks at; type-ahead never needs more.
const maxSuggestInput = 60

// Suggest proposes up to n taxonomy terms and firm names whose words begin with text, ignoring
// case and diacritics ("khuon m" finds "Khuôn mẫu"). Terms come from the reference data in
// memory, firms from the index; about half the list goes to each when both have enough.
func (ix *Index) Suggest(ctx context.Context, text, lang string, n int) ([]Suggestion, error) {
	if n <= 0 {
		return nil, nil
	}
	text = cleanText(text)
	if utf8.RuneCountInString(text) > maxSuggestInput {
		text = string([]rune(text)[:maxSuggestInput])
	}
	key := models.FoldKey(text)
	if key == "" {
		return nil, nil
	}
	ix.mu.RLock()
	idx := ix.idx
	ix.mu.RUnlock()
	if idx == nil {
		return nil, ErrClosed
	}
	ref := ix.store.Reference()
	terms := suggestTerms(ix.glossaryFor(ref), key, lang)
	var firms []Suggestion
	// A one-letter last word would expand to thousands of names; wait for the second letter.
	if words := strings.Fields(key); len(words[len(words)-1]) >= 2 {
		var err error
		if firms, err = ix.suggestFirms(ctx, key, lang, n); err != nil {
			return nil, err
		}
	}
	nTerms := min(len(terms), max(n-len(firms), (n+1)/2))
	out := append([]Suggestion{}, terms[:nTerms]...)
	for _, f := range firms {
		if len(out) == n {
			break
		}
		out = append(out, f)
	}
	return out, nil
}

// suggestTerms ranks terms by how their words meet key: label prefix, then synonym prefix, then
// a later word of a label or synonym.
func suggestTerms(g *glossary, key, lang string) []Suggestion {
	type cand struct {
		s    Suggestion
		rank int
		pos  int
	}
	var cands []cand
	for i, t := range g.ref.Terms {
		best := -1
		for j, k := range g.keys[i] {
			rank := -1
			switch {
			case strings.HasPrefix(k, key):
				rank = 0
			case strings.Contains(k, " "+key):
				rank = 2
			}
			if rank < 0 {
				continue
			}
			if j >= 2 && rank == 0 { // synonyms come after the two labels
				rank = 1
			}
			if best < 0 || rank < best {
				best = rank
			}
		}
		if best >= 0 {
			cands = append(cands, cand{Suggestion{Text: t.Label(lang), Kind: string(t.Kind), Value: t.Code}, best, i})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].rank != cands[j].rank {
			return cands[i].rank < cands[j].rank
		}
		return cands[i].pos < cands[j].pos
	})
	out := make([]Suggestion, len(cands))
	for i, c := range cands {
		out[i] = c.s
	}
	return out
}

// suggestFirms finds firms whose name has every word of key, the last one as a prefix. With two
// words or more, the last two are looked up as the start of a shingle ("co kh" finds "co khi"),
// which expands to a handful of terms where "kh" alone would expand to hundreds.
func (ix *Index) suggestFirms(ctx context.Context, key, lang string, n int) ([]Suggestion, error) {
	words := strings.Fields(key)
	prefix := words[len(words)-1]
	complete := words[:len(words)-1]
	if len(words) >= 2 {
		prefix = words[len(words)-2] + " " + prefix
		complete = words[:len(words)-2]
	}
	var conj []query.Query
	for _, w := range complete {
		conj = append(conj, termQ(fieldNames, w, 1))
	}
	p := query.NewPrefixQuery(prefix)
	p.SetField(fieldNames)
	conj = append(conj, p)
	req := bleve.NewSearchRequestOptions(query.NewConjunctionQuery(conj), n, 0, false)
	req.Fields = []string{fieldNameVI, fieldNameEN, fieldSlug}
	name := fieldNameSort
	if lang == "en" {
		name = fieldNameSortEN
	}
	req.SortBy([]string{"-_score", name})

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed || ix.idx == nil {
		return nil, ErrClosed
	}
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: suggest firms: %w", err)
	}
	out := make([]Suggestion, 0, len(res.Hits))
	for _, h := range res.Hits {
		vi, _ := h.Fields[fieldNameVI].(string)
		en, _ := h.Fields[fieldNameEN].(string)
		slug, _ := h.Fields[fieldSlug].(string)
		text := vi
		if lang == "en" && en != "" {
			text = en
		}
		out = append(out, Suggestion{Text: text, Kind: "firm", Value: slug})
	}
	return out, nil
}
