package search

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/hanoi-cnht/portal/models"
)

// Query text is turned into bleve queries here, by hand: it is analysed with the index's own
// analyzers and assembled from term, fuzzy, prefix and phrase queries. It is never given to
// bleve's query-string parser, so "+name:x^9" is just the words name, x and 9.

// fieldBoost is a field searched for a word, with the weight of a match there.
type fieldBoost struct {
	field string
	boost float64
}

// Where a query word is looked for, and how much a match counts. Names and taxonomy terms weigh
// more than descriptions; a shingle (two adjacent words) weighs more than either word alone.
var (
	// The lexicon entries found are what the firm wrote, in both languages, and weigh most:
	// their fields are long, one entry per phrase found, so a match in them is diluted. The
	// concepts found hold every synonym of a broader term and weigh as the text they came from.
	foldedFields = []fieldBoost{
		{fieldNames, 3}, {fieldTerms, 2.5}, {fieldLexicon, 4}, {fieldFree, 1.5}, {fieldConcepts, 1},
		{fieldDescriptionVI, 1},
	}
	stemmedFields = []fieldBoost{
		{fieldNameENWords, 2.5}, {fieldTermsEN, 2}, {fieldLexiconEN, 4}, {fieldConceptsEN, 1},
		{fieldDescriptionEN, 1},
	}
	// The terms field has no shingles (they would double its size); a shingle found in a
	// term's words matches the term's code instead (see glossary.bigrams).
	shingleFields = []fieldBoost{
		{fieldNames, 4}, {fieldFree, 2}, {fieldDescriptionVI, 1.5},
	}
	fuzzyFields = []fieldBoost{
		{fieldNames, 0.4}, {fieldTerms, 0.4}, {fieldFree, 0.2},
	}
)

// Boosts of the clauses that should win outright or nearly so.
const (
	boostTaxCode       = 400
	boostTaxCodePrefix = 40
	boostExactName     = 150
	boostGlossary      = 3
	// boostFound weighs a concept found in a firm's own text: less than a term it is filed under.
	boostFound = 1.5
	// boostEntry weighs a lexicon entry the query names, found in a firm's text, for each word.
	boostEntry = 2
	// entryPartWeight scales an entry inside a longer one the query names ("home appliance" in
	// "home appliance components"): a firm that has it matches part of what was asked.
	entryPartWeight = 0.5
	// viaLexiconWeight scales a concept the query names only through a lexicon entry, which is
	// narrower than the concept; the entry's own words are matched in the lexicon fields.
	viaLexiconWeight = 0.2
	// boostNamePhrase weighs a query whose adjacent words all stand in a firm's name.
	boostNamePhrase = 12
	// boostTermShingle weighs a query shingle found inside one of a firm's terms' words.
	boostTermShingle = 3
	// maxShingleTerms is how many terms a shingle may name and still be matched through them.
	maxShingleTerms = 4
	boostPhraseEN   = 2
	// foldedOtherSpelling weighs a folded match when the query word carried diacritics.
	foldedOtherSpelling = 0.4
	// fuzzyMinLen is the shortest word that may match with one typo; shorter words have too
	// many neighbours ("mold" would meet "gold", "hold", "mole").
	fuzzyMinLen = 5
)

// viFunctionWords are Vietnamese words that carry no subject; a query may omit them in the text.
var viFunctionWords = []string{"và", "của", "các", "cho", "có", "là", "những", "với", "tại", "ở", "về", "được", "trong", "hoặc"}

var taxCodeLike = regexp.MustCompile(`^[0-9]{6,10}(-[0-9]{0,3})?$`)

// queryWord is one word of the query text as both analyzers see it.
type queryWord struct {
	orig string // lowercase, as typed
	fold string // folded
	stem string // English stem; "" when English drops it as a stop word
	// optional words need not match: English stop words and Vietnamese function words.
	optional bool
	// unknown words occur nowhere in the index; the others are matched without them.
	unknown    bool
	start, end int // byte offsets in the text part
}

// textPart is a run of query text: a quoted phrase or the unquoted words between phrases.
type textPart struct {
	phrase   bool
	raw      string
	words    []queryWord
	shingles []string
	// shingleTerms are, for each shingle, the taxonomy terms whose words contain it.
	shingleTerms [][]glossTerm
}

// textPlan is everything a query text asks for, before it becomes bleve queries.
type textPlan struct {
	text  string
	parts []textPart
	all   []queryWord // every word in order, phrases included
	// concepts are the taxonomy terms the words name, through the taxonomy or the lexicon.
	concepts []glossHit
	// entries are the lexicon entries the words name.
	entries []entryHit
	// names says the words are not all concept words, so they may name a firm.
	names bool
	// relaxed lets a firm miss one more word (see minShouldMatch).
	relaxed bool
}

// splitPhrases cuts text at double quotes when they are balanced; otherwise quotes are dropped
// and everything is plain words.
func splitPhrases(text string) []textPart {
	text = strings.NewReplacer("“", `"`, "”", `"`, "„", `"`).Replace(text)
	if n := strings.Count(text, `"`); n == 0 || n%2 == 1 {
		return []textPart{{raw: strings.ReplaceAll(text, `"`, " ")}}
	}
	var parts []textPart
	for i, s := range strings.Split(text, `"`) {
		if strings.TrimSpace(s) == "" {
			continue
		}
		parts = append(parts, textPart{raw: s, phrase: i%2 == 1})
	}
	return parts
}

// analyzeWords runs the Vietnamese and English analyzers over s and lines their tokens up by
// position. Both use the same tokenizer, so positions agree.
func analyzeWords(m mapping.IndexMapping, s string) ([]queryWord, []string) {
	vi := m.AnalyzerNamed(AnalyzerVI).Analyze([]byte(s))
	en := m.AnalyzerNamed(AnalyzerEN).Analyze([]byte(s))
	stems := map[int]string{}
	for _, t := range en {
		stems[t.Position] = string(t.Term)
	}
	var words []queryWord
	var shingles []string
	lastPos := -1
	for _, t := range vi {
		if t.Type == analysis.Shingle {
			shingles = append(shingles, string(t.Term))
			continue
		}
		if t.Position == lastPos {
			words[len(words)-1].fold = string(t.Term) // the folded twin follows the original
			continue
		}
		lastPos = t.Position
		term := string(t.Term)
		stem, kept := stems[t.Position]
		words = append(words, queryWord{
			orig: term, fold: term, stem: stem, start: t.Start, end: t.End,
			optional: slices.Contains(viFunctionWords, term) || (!kept && isASCII(term)),
		})
	}
	return words, shingles
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// planText analyses query text. A legal form around a name ("Công ty TNHH …", "… Co., Ltd")
// is left out of the words, as it is left out of the indexed names; the exact-name match still
// sees the whole text.
func planText(m mapping.IndexMapping, g *glossary, text string) *textPlan {
	p := &textPlan{text: text}
	for _, part := range splitPhrases(withoutLegalForm(text)) {
		part.words, part.shingles = analyzeWords(m, part.raw)
		if len(part.words) == 0 {
			continue
		}
		concepts, entries := g.concepts(part.raw, part.words, len(p.all))
		p.concepts = append(p.concepts, concepts...)
		p.entries = append(p.entries, entries...)
		for _, sh := range part.shingles {
			terms := g.bigrams[sh]
			if len(terms) > maxShingleTerms {
				terms = nil // a generic pair ("linh kiện", "gia công") says nothing about the term
			}
			part.shingleTerms = append(part.shingleTerms, terms)
		}
		p.parts = append(p.parts, part)
		p.all = append(p.all, part.words...)
	}
	covered := make([]bool, len(p.all))
	for _, h := range p.concepts {
		for i := h.from; i < h.to; i++ {
			covered[i] = true
		}
	}
	for i, w := range p.all {
		p.names = p.names || !covered[i] && !w.optional
	}
	return p
}

// markUnknown flags the words that occur nowhere in the index, as known tells, so that a
// word no firm wrote ("vendors", "subcontractor") does not empty the results.
func (p *textPlan) markUnknown(known func(field, term string) bool) {
	for i := range p.all {
		p.all[i].unknown = !p.wordKnown(i, known)
	}
	n := 0
	for i := range p.parts {
		part := &p.parts[i]
		copy(part.words, p.all[n:n+len(part.words)])
		n += len(part.words)
	}
}

func (p *textPlan) wordKnown(i int, known func(field, term string) bool) bool {
	w := p.all[i]
	for _, f := range foldedFields {
		if known(f.field, w.fold) || w.orig != w.fold && known(f.field, w.orig) {
			return true
		}
	}
	if w.stem != "" {
		for _, f := range stemmedFields {
			if known(f.field, w.stem) {
				return true
			}
		}
	}
	for _, h := range p.concepts {
		if h.from > i || i >= h.to {
			continue
		}
		if known(kindField(h.kind), h.code) || known(fieldFound, h.code) {
			return true
		}
	}
	for _, h := range p.entries {
		if h.from <= i && i < h.to && known(fieldEntries, h.key) {
			return true
		}
	}
	return false
}

// required counts the words a firm must match, before minShouldMatch.
func (p *textPlan) required() int {
	n := 0
	for _, part := range p.parts {
		for _, w := range part.words {
			if !part.phrase && !w.optional && !w.unknown {
				n++
			}
		}
	}
	return n
}

// hasUnknown reports whether any word the query requires is unknown to the index.
func (p *textPlan) hasUnknown() bool {
	for _, w := range p.all {
		if w.unknown && !w.optional {
			return true
		}
	}
	return false
}

// empty reports whether the text held no searchable word.
func (p *textPlan) empty() bool { return len(p.all) == 0 }

// textQuery is what a query text asks of the index. match decides which firms match; rank
// matches the same firms and scores them, with clauses (adjacent words, the English phrase)
// that only raise a firm's score. A search that needs no scores runs match, which is cheaper.
// evidence lists the term clauses of both, to tell afterwards which of them a firm matched.
type textQuery struct {
	match    query.Query
	rank     *query.BooleanQuery // must: match; should: the clauses that only add to the score
	evidence []evidence
}

// buildTextQuery turns a plan into the queries that decide which firms match and how they
// rank. With fuzzy set, words of fuzzyMinLen or more may also match with one typo.
func buildTextQuery(p *textPlan, fuzzy bool) *textQuery {
	c := &clauses{}
	// Concepts count as a match, and score, for each word they cover, so a term named by a
	// longer phrase weighs more.
	conceptFor := make([][]query.Query, len(p.all))
	for _, h := range p.concepts {
		q := c.concept(h)
		for i := h.from; i < h.to; i++ {
			conceptFor[i] = append(conceptFor[i], q)
		}
	}
	for _, h := range p.entries {
		q := c.entry(p, h)
		for i := h.from; i < h.to; i++ {
			conceptFor[i] = append(conceptFor[i], q)
		}
	}

	var required, phrases, should []query.Query
	offset := 0
	for _, part := range p.parts {
		if part.phrase {
			phrases = append(phrases, c.phrase(part, offset, conceptFor[offset:offset+len(part.words)]))
		}
		for i, w := range part.words {
			q := c.word(w, offset+i, conceptFor[offset+i], fuzzy)
			switch {
			case part.phrase:
				should = append(should, q) // the phrase already requires the word
			case w.optional, w.unknown:
				should = append(should, q)
			default:
				required = append(required, q)
			}
		}
		for i, sh := range part.shingles {
			should = append(should, c.shingle(sh, offset+i, part.shingleTerms[i]))
		}
		if !part.phrase && len(part.words) > 1 && isASCII(part.raw) {
			mp := query.NewMatchPhraseQuery(part.raw)
			mp.SetField(fieldDescriptionEN)
			mp.Analyzer = AnalyzerEN
			mp.SetBoost(boostPhraseEN)
			should = append(should, mp)
		}
		if !part.phrase && p.names && len(part.shingles) > 0 {
			should = append(should, c.namePhrase(part, offset))
		}
		offset += len(part.words)
	}

	var textMatch query.Query
	switch {
	case len(required) > 0:
		d := query.NewDisjunctionQuery(required)
		d.SetMin(float64(minShouldMatch(len(required), p.relaxed)))
		textMatch = d
	case len(phrases) == 0:
		// Only optional or unknown words ("the", "và"): let any of them match.
		textMatch = query.NewDisjunctionQuery(should)
	}
	if len(phrases) > 0 {
		conj := phrases
		if textMatch != nil {
			conj = append(slices.Clone(phrases), textMatch)
		}
		textMatch = query.NewConjunctionQuery(conj)
	}

	whole := Match{Kind: MatchWord, Label: p.text, Field: MatchFieldName, Source: SourceName}
	must := []query.Query{textMatch}
	if key := models.FoldKey(p.text); key != "" {
		must = append(must, c.term(fieldNameExact, key, boostExactName, 0, len(p.all), whole))
	}
	if code := strings.TrimSpace(p.text); taxCodeLike.MatchString(code) {
		whole.Field, whole.Source = MatchFieldTaxCode, SourceTaxCode
		must = append(must, c.term(fieldTaxCode, code, boostTaxCode, 0, len(p.all), whole))
		pq := query.NewPrefixQuery(strings.TrimSuffix(code, "-"))
		pq.SetField(fieldTaxCode)
		pq.SetBoost(boostTaxCodePrefix)
		must = append(must, pq)
	}
	match := query.NewDisjunctionQuery(must)
	b := query.NewBooleanQuery([]query.Query{match}, nil, nil)
	if len(should) > 0 {
		b.AddShould(should...)
	}
	return &textQuery{match: match, rank: b, evidence: c.list}
}

// minShouldMatch is how many of n required words a firm must match: all of up to three, then
// about two in three. Vietnamese compounds are two syllables, so six syllables are three words
// and two of those is a fair match; one unknown word ("supplier", "Hanoi") does not empty a
// long query. Relaxed, for a query that found few firms, one word fewer may be missing: the
// firms that cover more of the query still rank first (bleve's disjunction scores by the share
// of its clauses a firm matches).
func minShouldMatch(n int, relaxed bool) int {
	switch {
	case n <= 1:
		return n
	case relaxed && n <= 3:
		return n - 1
	case n <= 3:
		return n
	case relaxed:
		return (n + 1) / 2
	}
	return (2*n + 2) / 3
}

// word matches one word (number i of the query) in any field: folded in the Vietnamese
// fields, stemmed in the English ones, as typed (with diacritics) for a bonus, through the
// concepts covering it, and with one typo when fuzzy.
func (c *clauses) word(w queryWord, i int, concepts []query.Query, fuzzy bool) query.Query {
	var qs []query.Query
	m := Match{Kind: MatchWord, Label: w.orig}
	if w.optional {
		m = Match{} // words that carry no subject explain nothing
	}
	// A word typed with diacritics says which spelling is meant ("mạ", plating, not "má", brake
	// pad): the same spelling scores fully, another one that folds alike only a little. Text
	// written without diacritics has only folded words, which still match.
	// A word the query names a concept with is matched through the concept's code; the words
	// of the concepts found would only say the same again, at the cost of long postings.
	wanted := func(field string) bool {
		return len(concepts) == 0 || field != fieldConcepts && field != fieldConceptsEN
	}
	foldWeight := 1.0
	if w.orig != w.fold {
		foldWeight = foldedOtherSpelling
		// No evidence: a field holding the word as typed holds its folded form too.
		for _, f := range foldedFields {
			if wanted(f.field) {
				qs = append(qs, termQ(f.field, w.orig, f.boost))
			}
		}
	}
	for _, f := range foldedFields {
		if wanted(f.field) {
			qs = append(qs, c.term(f.field, w.fold, f.boost*foldWeight, i, i+1, m))
		}
	}
	// A word with diacritics is not English; its stem would only meet the folded Vietnamese
	// words the English analyzer also sees.
	if w.stem != "" && w.orig == w.fold {
		for _, f := range stemmedFields {
			if wanted(f.field) {
				qs = append(qs, c.term(f.field, w.stem, f.boost, i, i+1, m))
			}
		}
	}
	qs = append(qs, concepts...)
	if fuzzy && utf8.RuneCountInString(w.fold) >= fuzzyMinLen {
		for _, f := range fuzzyFields {
			fq := query.NewFuzzyQuery(w.fold)
			fq.SetField(f.field)
			fq.SetFuzziness(1)
			fq.Prefix = 1 // a typo in the first letter is rare, and the prefix keeps this fast
			fq.SetBoost(f.boost)
			qs = append(qs, fq)
		}
	}
	return query.NewDisjunctionQuery(qs)
}

// concept matches the firms filed under a term the query names, and less, those whose own
// text names it.
func (c *clauses) concept(h glossHit) query.Query {
	weight := 1.0
	if h.viaLexicon {
		weight = viaLexiconWeight
	}
	m := Match{Kind: MatchConcept, Label: h.label, Field: MatchFieldTerm, Source: SourceAssigned}
	assigned := c.term(kindField(h.kind), h.code, boostGlossary*weight, h.from, h.to, m)
	m.Source = SourceFound
	found := c.term(fieldFound, h.code, boostFound*weight, h.from, h.to, m)
	for _, src := range foundSources {
		m.Field, m.Source = foundMatch(src)
		c.detail(fieldFound, foundTerm(h.code, src), m)
	}
	return query.NewDisjunctionQuery([]query.Query{assigned, found})
}

// entry matches the firms whose text names a lexicon entry the query names: a phrase such as
// "distribution transformer" scores as one unit, above firms that have its words apart or only
// the broad concept it belongs to.
func (c *clauses) entry(p *textPlan, h entryHit) query.Query {
	words := make([]string, 0, h.to-h.from)
	for _, w := range p.all[h.from:h.to] {
		words = append(words, w.orig)
	}
	boost := float64(boostEntry)
	if h.part {
		boost *= entryPartWeight
	}
	m := Match{Kind: MatchWord, Label: strings.Join(words, " "), Field: MatchFieldTerm, Source: SourceTranslated}
	return c.term(fieldEntries, h.key, boost, h.from, h.to, m)
}

// phrase requires a quoted phrase (starting at query word from): adjacent word pairs
// (shingles) together in one Vietnamese-analysed field, or the phrase in the English
// description, or a concept that covers all of it. Shingles need no term vectors, which keeps
// the index small.
func (c *clauses) phrase(part textPart, from int, concepts [][]query.Query) query.Query {
	if len(part.words) == 1 {
		var g []query.Query
		if len(concepts) > 0 {
			g = concepts[0]
		}
		return c.word(part.words[0], from, g, false)
	}
	var alts []query.Query
	if len(part.shingles) > 0 {
		for _, f := range shingleFields {
			conj := make([]query.Query, len(part.shingles))
			for i, sh := range part.shingles {
				conj[i] = c.term(f.field, sh, f.boost, from+i, from+i+2, c.shingleMatch(part, i))
			}
			alts = append(alts, query.NewConjunctionQuery(conj))
		}
		// A term whose words hold every shingle of the phrase.
		for _, t := range part.shingleTerms[0] {
			inAll := true
			for _, ts := range part.shingleTerms[1:] {
				inAll = inAll && containsTerm(ts, t)
			}
			if inAll {
				alts = append(alts, termQ(kindField(t.kind), t.code, boostTermShingle))
			}
		}
	}
	mp := query.NewMatchPhraseQuery(part.raw)
	mp.SetField(fieldDescriptionEN)
	mp.Analyzer = AnalyzerEN
	alts = append(alts, mp)
	// A concept covering every word of the phrase stands for it.
	if len(concepts) > 0 {
		for _, q := range concepts[0] {
			inAll := true
			for _, gs := range concepts[1:] {
				if !slices.Contains(gs, q) {
					inAll = false
					break
				}
			}
			if inAll {
				alts = append(alts, q)
			}
		}
	}
	return query.NewDisjunctionQuery(alts)
}

// shingle matches two adjacent words (from query word i) in the text fields, or the terms whose
// words hold them.
func (c *clauses) shingle(sh string, i int, terms []glossTerm) query.Query {
	m := Match{Kind: MatchWord, Label: sh}
	qs := make([]query.Query, 0, len(shingleFields)+len(terms))
	for _, f := range shingleFields {
		qs = append(qs, c.term(f.field, sh, f.boost, i, i+2, m))
	}
	for _, t := range terms {
		qs = append(qs, termQ(kindField(t.kind), t.code, boostTermShingle))
	}
	return query.NewDisjunctionQuery(qs)
}

// shingleMatch labels the shingle at i of part with the words as typed.
func (c *clauses) shingleMatch(part textPart, i int) Match {
	return Match{Kind: MatchWord, Label: part.words[i].orig + " " + part.words[i+1].orig}
}

// namePhrase matches a firm whose names hold every adjacent pair of the part's words: a query
// that names a firm ("Long Hưng", "Nhôm Phát Đạt") puts it first.
func (c *clauses) namePhrase(part textPart, from int) query.Query {
	conj := make([]query.Query, len(part.shingles))
	for i, sh := range part.shingles {
		conj[i] = c.term(fieldNames, sh, boostNamePhrase, from+i, from+i+2, c.shingleMatch(part, i))
	}
	return query.NewConjunctionQuery(conj)
}

func termQ(field, term string, boost float64) *query.TermQuery {
	q := query.NewTermQuery(term)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

// kindField is the keyword field holding a firm's term codes of kind.
func kindField(kind models.TermKind) string {
	switch kind {
	case models.KindSector:
		return fieldSector
	case models.KindProduct:
		return fieldProduct
	case models.KindProcess:
		return fieldProcess
	}
	return fieldMaterial
}
