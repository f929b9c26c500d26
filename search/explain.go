package search

import (
	"context"
	"encoding/binary"
	"fmt"
	"sort"

	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Match is one reason a firm was found: a concept or a word of the query, and where the firm
// has it. The web layer turns it into a sentence; it is data only.
type Match struct {
	Kind  string // MatchConcept or MatchWord
	Label string // the concept's label, or the words, in the language the query used
	Field string // MatchFieldName, MatchFieldTerm, MatchFieldDescription, ...
	// Source says how the firm came to have it: SourceAssigned for a term it is filed under,
	// otherwise the text it was found in.
	Source string
}

// Kinds of Match.
const (
	MatchConcept = "concept"
	MatchWord    = "word"
)

// Fields of Match: the part of a firm's profile that matched.
const (
	MatchFieldName        = "name"
	MatchFieldTerm        = "term"
	MatchFieldDescription = "description"
	MatchFieldCustomers   = "customers"
	MatchFieldRecognition = "recognition"
	MatchFieldTaxCode     = "tax code"
)

// Sources of Match.
const (
	SourceAssigned      = "assigned"
	SourceName          = "the firm's name"
	SourceTaxCode       = "the firm's tax code"
	SourceVIDescription = "found in the Vietnamese description"
	SourceENDescription = "found in the English description"
	SourceOwnWords      = "found in the firm's own product and process words"
	SourceCustomers     = "found in the key customers"
	SourceRecognition   = "found in the key industrial product titles"
	// SourceFound is a concept found in the firm's text, where its place is not known.
	SourceFound = "found in the firm's text"
	// SourceRelated is a word of a concept found in the firm's text rather than the text itself.
	SourceRelated = "related to what the firm wrote"
	// SourceTranslated is a word of the lexicon's translation of what the firm wrote.
	SourceTranslated = "translated from what the firm wrote"
)

// fieldMatch is where a word found in an index field stands in a firm's profile.
var fieldMatch = map[string][2]string{
	fieldNames:         {MatchFieldName, SourceName},
	fieldNameENWords:   {MatchFieldName, SourceName},
	fieldTerms:         {MatchFieldTerm, SourceAssigned},
	fieldTermsEN:       {MatchFieldTerm, SourceAssigned},
	fieldFree:          {MatchFieldTerm, SourceOwnWords},
	fieldConcepts:      {MatchFieldTerm, SourceRelated},
	fieldLexicon:       {MatchFieldTerm, SourceTranslated},
	fieldLexiconEN:     {MatchFieldTerm, SourceTranslated},
	fieldConceptsEN:    {MatchFieldTerm, SourceRelated},
	fieldDescriptionVI: {MatchFieldDescription, SourceVIDescription},
	fieldDescriptionEN: {MatchFieldDescription, SourceENDescription},
}

// foundMatch is the Field and Source of a concept found in a place (see foundSources).
func foundMatch(source string) (string, string) {
	switch source {
	case foundInName:
		return MatchFieldName, SourceName
	case foundInVI:
		return MatchFieldDescription, SourceVIDescription
	case foundInEN:
		return MatchFieldDescription, SourceENDescription
	case foundInCustomers:
		return MatchFieldCustomers, SourceCustomers
	case foundInRecognition:
		return MatchFieldRecognition, SourceRecognition
	}
	return MatchFieldTerm, SourceOwnWords
}

// evidence is a term clause of a text query, with what it means when a firm matches it. A
// detail is no clause but says more about the clause before it: where a firm has what matched.
type evidence struct {
	field, term string
	from, to    int // the query words it stands for
	match       Match
	detail      bool
}

// clauses builds the term clauses of a text query and remembers each, so that the firms found
// can be explained by the very clauses that scored them.
type clauses struct {
	list []evidence
	seen map[[2]string]bool
}

// term returns a term query, recording it as evidence of m unless m is empty. A word's Field and
// Source come from the field when m leaves them empty.
func (c *clauses) term(field, term string, boost float64, from, to int, m Match) *query.TermQuery {
	if m.Kind != "" {
		if m.Field == "" {
			fm := fieldMatch[field]
			m.Field, m.Source = fm[0], fm[1]
		}
		key := [2]string{field, term}
		if c.seen == nil {
			c.seen = map[[2]string]bool{}
		}
		if !c.seen[key] {
			c.seen[key] = true
			c.list = append(c.list, evidence{field: field, term: term, from: from, to: to, match: m})
		}
	}
	return termQ(field, term, boost)
}

// detail records that a firm holding term in field, when it matched the last clause, has it as m.
func (c *clauses) detail(field, term string, m Match) {
	last := c.list[len(c.list)-1]
	c.list = append(c.list, evidence{field: field, term: term, from: last.from, to: last.to, match: m, detail: true})
}

// explain returns, for each of docs, the matches of the evidence it holds. It looks each
// clause's term up in the index for the page's firms only.
func (v *view) explain(ctx context.Context, ev []evidence, docs []rankedDoc) ([][]Match, error) {
	out := make([][]Match, len(docs))
	if len(ev) == 0 || len(docs) == 0 {
		return out, nil
	}
	// Term readers advance forward, so the page's firms are visited in index order.
	order := make([]int, len(docs))
	nums := make([]uint64, len(docs))
	for i, d := range docs {
		order[i] = i
		nums[i] = v.segs[d.seg].offset + uint64(d.local)
	}
	sort.Slice(order, func(a, b int) bool { return nums[order[a]] < nums[order[b]] })
	has := make([][]bool, len(docs))
	for i := range has {
		has[i] = make([]bool, len(ev))
	}
	anyHas := make([]bool, len(ev))
	for e, x := range ev {
		if x.detail && !anyHas[parentOf(ev, e)] {
			continue // no firm of the page matched the clause it details
		}
		if err := v.markHolders(ctx, x, nums, order, func(i int) { has[i][e], anyHas[e] = true, true }); err != nil {
			return nil, err
		}
	}
	for i := range docs {
		out[i] = matchesOf(ev, has[i])
	}
	return out, nil
}

// markHolders calls mark with the index in nums of every firm holding x's term in its field.
func (v *view) markHolders(ctx context.Context, x evidence, nums []uint64, order []int, mark func(int)) error {
	r, err := v.reader.TermFieldReader(ctx, []byte(x.term), x.field, false, false, false)
	if err != nil {
		return fmt.Errorf("search: explain: %w", err)
	}
	defer r.Close()
	if r.Count() == 0 {
		return nil
	}
	var at *index.TermFieldDoc
	var atNum uint64
	for _, i := range order {
		if at == nil || atNum < nums[i] {
			if at, err = r.Advance(binary.BigEndian.AppendUint64(nil, nums[i]), nil); err != nil {
				return fmt.Errorf("search: explain: %w", err)
			}
			if at == nil {
				return nil
			}
			atNum = binary.BigEndian.Uint64(at.ID)
		}
		if atNum == nums[i] {
			mark(i)
		}
	}
	return nil
}

// matchesOf lists the matches of the evidence a firm holds, leaving out a word where a longer
// match of the same place covers it (the phrase "cơ khí" over "cơ" and "khí", a concept over
// its words) and repeats. A clause's details, when the firm holds any, stand for it.
func matchesOf(ev []evidence, has []bool) []Match {
	held := make([]bool, len(ev))
	for e := range ev {
		held[e] = has[e]
		if !ev[e].detail {
			continue
		}
		parent := parentOf(ev, e)
		held[e] = has[e] && has[parent]
		if held[e] {
			held[parent] = false
		}
	}
	var out []Match
	for e, x := range ev {
		if !held[e] {
			continue
		}
		covered := false
		for o, y := range ev {
			if o == e || !held[o] || y.match.Field != x.match.Field || y.match.Source != x.match.Source {
				continue
			}
			wider := y.to-y.from > x.to-x.from || y.match.Kind == MatchConcept && x.match.Kind == MatchWord
			if wider && y.from <= x.from && x.to <= y.to {
				covered = true
				break
			}
		}
		if !covered && !containsMatch(out, x.match) {
			out = append(out, x.match)
		}
	}
	// Concepts first: they say more than the words.
	sort.SliceStable(out, func(i, j int) bool { return out[i].Kind == MatchConcept && out[j].Kind != MatchConcept })
	return out
}

// parentOf is the clause that detail e details.
func parentOf(ev []evidence, e int) int {
	for ev[e].detail {
		e--
	}
	return e
}

func containsMatch(ms []Match, m Match) bool {
	for _, o := range ms {
		if o == m {
			return true
		}
	}
	return false
}

// hasTerm reports whether any firm of the view has term in field.
func (v *view) hasTerm(ctx context.Context, field, term string) bool {
	r, err := v.reader.TermFieldReader(ctx, []byte(term), field, false, false, false)
	if err != nil {
		return false
	}
	defer r.Close()
	return r.Count() > 0
}
