package search

import (
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/hanoi-cnht/portal/models"
)

// glossary is the query-side view of the taxonomy: through the concept matcher, the terms a
// phrase of the query names, through the taxonomy or the lexicon, so that it also matches the
// firms filed under them or whose text names them (a "mold" query reaches the moulds term even
// where a firm's own words differ, and "injection moulding" scores as one unit). It also knows
// every taxonomy word, for spelling suggestions and type-ahead.
type glossary struct {
	ref     *models.Reference
	matcher *ConceptMatcher
	bigrams map[string][]glossTerm // every two adjacent folded words of a label or synonym
	vocab   map[string]bool        // every folded word of every label and synonym
	words   []string               // vocab, sorted, for deterministic suggestions
	// keys are the FoldKey of each term's words, labels first, in reference order, for
	// type-ahead.
	keys [][]string
	// labelKeys remembers the sort key of facet labels (string → string); there are a few
	// hundred, and folding them for every search showed in profiles.
	labelKeys sync.Map
}

type glossTerm struct {
	code string
	kind models.TermKind
}

// glossHit is a term named by the query words [from, to).
type glossHit struct {
	from, to int
	code     string
	kind     models.TermKind
	label    string // the term's label in the language of the words that named it
	// viaLexicon says only lexicon entries named the term, not its own words: the entry is
	// narrower than the term ("distribution transformer" for electronics).
	viaLexicon bool
}

func newGlossary(ref *models.Reference, matcher *ConceptMatcher) *glossary {
	g := &glossary{ref: ref, matcher: matcher, bigrams: map[string][]glossTerm{}, vocab: map[string]bool{}}
	add := func(idx map[string][]glossTerm, key string, t glossTerm) {
		for _, o := range idx[key] {
			if o == t {
				return
			}
		}
		idx[key] = append(idx[key], t)
	}
	g.keys = make([][]string, len(ref.Terms))
	for i, t := range ref.Terms {
		gt := glossTerm{code: t.Code, kind: t.Kind}
		for _, w := range t.Words() {
			key := models.FoldKey(w)
			g.keys[i] = append(g.keys[i], key)
			if key == "" {
				continue
			}
			words := strings.Fields(key)
			for i, word := range words {
				g.vocab[word] = true
				if i > 0 {
					add(g.bigrams, words[i-1]+" "+word, gt)
				}
			}
		}
	}
	for w := range g.vocab {
		g.words = append(g.words, w)
	}
	sort.Strings(g.words)
	return g
}

// sortKey is the folded key a facet label sorts by.
func (g *glossary) sortKey(label string) string {
	if k, ok := g.labelKeys.Load(label); ok {
		return k.(string)
	}
	k := models.FoldKey(label)
	g.labelKeys.Store(label, k)
	return k
}

// entryHit is a lexicon entry named by the query words [from, to), by its key (see entryKeyOf).
type entryHit struct {
	from, to int
	key      string
	// part says the entry lies inside a longer one the query names.
	part bool
}

// concepts returns the terms that the words of raw, a part of the query, name through the
// taxonomy or the lexicon, and the lexicon entries they name; words are numbered from offset.
func (g *glossary) concepts(raw string, words []queryWord, offset int) ([]glossHit, []entryHit) {
	var out []glossHit
	var entries []entryHit
	text := normalizeText(raw)
	all := g.matcher.matchAllNFC(text, "")
	// Entries inside longer ones count too, as they do in firms' documents: "home appliance
	// components" also gives the firms that wrote only "đồ gia dụng" part of the query.
	kept := dropContained(text, slices.Clone(all))
	for _, h := range all {
		from, to := span(words, h)
		if from < 0 || h.key == "" {
			continue
		}
		eh := entryHit{from: offset + from, to: offset + to, key: h.key,
			part: !slices.ContainsFunc(kept, func(k ConceptHit) bool { return k.Start == h.Start && k.End == h.End && k.key == h.key })}
		if i := slices.IndexFunc(entries, func(o entryHit) bool { return o.from == eh.from && o.to == eh.to && o.key == eh.key }); i < 0 {
			entries = append(entries, eh)
		} else if !eh.part {
			entries[i].part = false
		}
	}
	for _, h := range kept {
		from, to := span(words, h)
		if from < 0 {
			continue
		}
		t, ok := g.ref.Term(h.Concept)
		if !ok {
			continue
		}
		if h.Kind == HitLexicon && t.Kind == models.KindSector {
			// An entry names one thing a sector makes ("distribution transformer" in electronics):
			// the whole sector would rank every firm of it alike, while the entry itself is
			// matched by its key.
			continue
		}
		gh := glossHit{from: offset + from, to: offset + to, code: t.Code, kind: t.Kind, label: t.Label(h.Lang),
			viaLexicon: h.Kind == HitLexicon}
		i := slices.IndexFunc(out, func(o glossHit) bool { return o.from == gh.from && o.to == gh.to && o.code == gh.code })
		switch {
		case i < 0:
			out = append(out, gh)
		case !gh.viaLexicon:
			out[i] = gh
		}
	}
	return out, entries
}

// span returns the query words [from, to) that h covers, or -1, -1.
func span(words []queryWord, h ConceptHit) (int, int) {
	from, to := -1, -1
	for i, w := range words {
		if w.start >= h.Start && w.end <= h.End {
			if from < 0 {
				from = i
			}
			to = i + 1
		}
	}
	return from, to
}

func containsTerm(ts []glossTerm, t glossTerm) bool {
	for _, o := range ts {
		if o == t {
			return true
		}
	}
	return false
}

// correct proposes a spelling for words that neither the taxonomy nor the index (known) knows:
// a taxonomy word one edit away (two for long words). It returns "" when nothing changes.
func (g *glossary) correct(words []queryWord, known func(string) bool) string {
	out := make([]string, len(words))
	changed := false
	for i, w := range words {
		out[i] = w.orig
		if g.vocab[w.fold] || len([]rune(w.fold)) < fuzzyMinLen || known(w.fold) {
			continue
		}
		limit := 1
		if len([]rune(w.fold)) >= 9 {
			limit = 2
		}
		best, bestD := "", limit+1
		for _, v := range g.words {
			if d := editDistance(w.fold, v, bestD); d < bestD {
				best, bestD = v, d
			}
		}
		if best != "" {
			out[i] = best
			changed = true
		}
	}
	if !changed {
		return ""
	}
	return strings.Join(out, " ")
}

// editDistance is the Levenshtein distance between a and b, or limit when it is at least limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev, cur = cur, prev
	}
	return min(prev[len(rb)], limit)
}
