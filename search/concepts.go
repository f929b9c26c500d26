package search

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/search/lexicon"
)

// ConceptMatcher finds, in any text, the taxonomy terms and lexicon entries it names: every
// label and synonym of every term and both sides of every lexicon entry, matched as phrases.
// Words are compared folded, so text typed without diacritics matches; a word typed with
// diacritics must have the same ones ("mạ", plating, is not "má"). English words are compared
// in the singular and spelt the American way ("moulds" meets "mold"), and phrases of two or more
// words also by Snowball stems ("injection molded" meets "injection moulding"). The first two
// syllables of a Vietnamese phrase may come in either order ("ép đùn nhôm", "đùn ép nhôm").
//
// It is built once per version of the reference data and is safe for concurrent use.
type ConceptMatcher struct {
	entries []lexicon.Entry
	targets []matchTarget
	folded  phraseTrie // Vietnamese phrases by folded words
	plural  phraseTrie // English phrases by singular American spellings ("moulds": "mold")
	stemmed phraseTrie // English phrases of two or more words by Snowball stems
	// viSyllables are the folded words of Vietnamese phrases: an English phrase made only of them
	// ("can", "tin") is not trusted in text that may be Vietnamese typed without diacritics.
	viSyllables map[string]bool
	// entryKeys are the keys of the entries (see entryKeyOf), by index.
	entryKeys []string

	keysMu sync.RWMutex
	keys   map[string][3]uint32 // memo of keysOf
}

// ConceptHit is one phrase of a text that names a taxonomy term or a lexicon entry.
type ConceptHit struct {
	// Concept is the taxonomy term code, or "" for a lexicon entry that names no term.
	Concept string
	// Entry is the lexicon entry whose words matched; nil when the term's own label or synonym did.
	Entry *lexicon.Entry
	// Kind is HitTerm or HitLexicon.
	Kind string
	// Start and End are the byte offsets of the matched words in the text (in its NFC form,
	// which is the text itself for text the portal stored).
	Start, End int
	// Lang is the language of the phrase that matched: "vi" or "en".
	Lang string
	// key is the entry's key (see entryKeyOf), "" for a term's own words.
	key string
}

// Kinds of ConceptHit.
const (
	HitTerm    = "term"
	HitLexicon = "lexicon"
)

// matchTarget is what a phrase stands for.
type matchTarget struct {
	concept string
	entry   int // index in entries, or -1 for a term's own words
	lang    string
	// enOnlyVI is set on an English phrase made only of Vietnamese syllables.
	enOnlyVI bool
}

// phraseTrie maps word sequences (by word id) to the phrases ending there.
type phraseTrie struct {
	words map[string]uint32
	next  map[trieEdge]uint32
	ends  [][]trieEnd // by node
	nodes uint32
}

type trieEdge struct{ node, word uint32 }

// noWord is the id of a word no phrase has.
const noWord = ^uint32(0)

// trieEnd is a phrase ending at a node: its target and, for a Vietnamese phrase, its words as
// written, to compare with words the text wrote with diacritics.
type trieEnd struct {
	target int
	orig   []string
}

func newPhraseTrie() phraseTrie {
	return phraseTrie{words: map[string]uint32{}, next: map[trieEdge]uint32{}, ends: [][]trieEnd{nil}}
}

func (t *phraseTrie) add(words []string, end trieEnd) {
	node := uint32(0)
	for _, w := range words {
		id, ok := t.words[w]
		if !ok {
			id = uint32(len(t.words))
			t.words[w] = id
		}
		e := trieEdge{node, id}
		n, ok := t.next[e]
		if !ok {
			t.nodes++
			n = t.nodes
			t.next[e] = n
			t.ends = append(t.ends, nil)
		}
		node = n
	}
	for _, o := range t.ends[node] {
		if o.target == end.target {
			return
		}
	}
	t.ends[node] = append(t.ends[node], end)
}

// NewConceptMatcher builds the matcher for the taxonomy of ref and the lexicon entries.
func NewConceptMatcher(ref *models.Reference, entries []lexicon.Entry) *ConceptMatcher {
	m := &ConceptMatcher{entries: entries, folded: newPhraseTrie(), plural: newPhraseTrie(), stemmed: newPhraseTrie(),
		viSyllables: map[string]bool{}, keys: map[string][3]uint32{}, entryKeys: make([]string, len(entries))}
	for i, e := range entries {
		m.entryKeys[i] = entryKeyOf(e.EN)
	}
	type phrase struct {
		text string
		matchTarget
	}
	var phrases []phrase
	for _, t := range ref.Terms {
		for _, w := range append([]string{t.LabelVI}, t.SynonymsVI...) {
			phrases = append(phrases, phrase{w, matchTarget{concept: t.Code, entry: -1, lang: "vi"}})
		}
		for _, w := range append([]string{t.LabelEN}, t.SynonymsEN...) {
			phrases = append(phrases, phrase{w, matchTarget{concept: t.Code, entry: -1, lang: "en"}})
		}
	}
	for i, e := range entries {
		if e.Concept == "" && e.Kind == "general" {
			// Generic trade words ("dịch vụ", services; "nhà cung cấp", supplier) without a
			// term say nothing about what a firm makes.
			continue
		}
		if e.Concept != "" {
			if _, ok := ref.Term(e.Concept); !ok {
				continue
			}
		}
		phrases = append(phrases, phrase{e.VI, matchTarget{concept: e.Concept, entry: i, lang: "vi"}},
			phrase{e.EN, matchTarget{concept: e.Concept, entry: i, lang: "en"}})
	}
	for _, p := range phrases {
		if p.lang == "vi" {
			for _, w := range textWords(p.text) {
				m.viSyllables[w.fold] = true
			}
		}
	}
	for _, p := range phrases {
		words := textWords(p.text)
		if len(words) == 0 {
			continue
		}
		mt := p.matchTarget
		folds := make([]string, len(words))
		orig := make([]string, len(words))
		onlyVI := true
		for i, w := range words {
			folds[i], orig[i] = w.fold, w.lower
			onlyVI = onlyVI && m.viSyllables[w.fold]
		}
		if p.lang == "en" {
			mt.enOnlyVI = onlyVI
		}
		id := len(m.targets)
		m.targets = append(m.targets, mt)
		if p.lang == "en" {
			singulars := make([]string, len(words))
			stems := make([]string, len(words))
			for i, w := range words {
				singulars[i], stems[i] = singular(americanSpelling(w.fold)), stemOf(w.fold)
			}
			m.plural.add(singulars, trieEnd{target: id})
			// A stem alone conflates too much ("machines" and "machining" are both "machin");
			// beside other words it still lets "injection molded" meet "injection moulding".
			if len(words) >= 2 {
				m.stemmed.add(stems, trieEnd{target: id})
			}
			continue
		}
		m.folded.add(folds, trieEnd{target: id, orig: orig})
		if len(words) >= 2 {
			// Vietnamese writes many compounds in either order ("ép đùn", "đùn ép").
			sf, so := swapFirst(folds), swapFirst(orig)
			m.folded.add(sf, trieEnd{target: id, orig: so})
		}
	}
	return m
}

func swapFirst(s []string) []string {
	out := append([]string(nil), s...)
	out[0], out[1] = out[1], out[0]
	return out
}

// Match returns the phrases of text, which may be in either language, that name a term or a
// lexicon entry. A phrase inside a longer one that matched is left out ("nhựa" inside "ép phun
// nhựa") unless it has two or more words and names another term ("nhựa kỹ thuật" inside "ép
// phun nhựa kỹ thuật"); overlapping phrases are both kept.
func (m *ConceptMatcher) Match(text string) []ConceptHit { return m.MatchLang(text, "") }

// MatchLang is Match for text known to be in lang: English text ("en") is only searched for
// English phrases, so "than" in "more than" is not Vietnamese coal; Vietnamese text ("vi") is
// not searched for English stems, which only its English loanwords could have.
func (m *ConceptMatcher) MatchLang(text, lang string) []ConceptHit {
	return m.matchNFC(normalizeText(text), lang)
}

// matchNFC is MatchLang for text already in NFC, as the fields of a firm's document are.
func (m *ConceptMatcher) matchNFC(text, lang string) []ConceptHit {
	return dropContained(text, m.matchAllNFC(text, lang))
}

// matchAllNFC is matchNFC keeping the phrases inside longer ones: "cáp điện hạ thế" (low-voltage
// power cable) also names "cáp điện" (power cable) and "cáp" (cable).
func (m *ConceptMatcher) matchAllNFC(text, lang string) []ConceptHit {
	var hits []ConceptHit
	words := textWords(text)
	for from := 0; from < len(words); {
		to := from + 1
		for to < len(words) && words[to].segment == words[from].segment {
			to++
		}
		hits = m.matchSegment(words[from:to], lang, hits)
		from = to
	}
	return hits
}

// entryKeyOf is the key of a lexicon entry with English en: what the entry stands for, the same
// for every entry of the same English words however the Vietnamese reads ("bạc đạn", "vòng bi":
// bearing), its English words folded, in the singular and spelt the American way. A firm's
// document holds the keys of the entries its text names and a query matches them, so a phrase
// the query names is matched as one unit.
func entryKeyOf(en string) string {
	words := textWords(normalizeText(en))
	keys := make([]string, len(words))
	for i, w := range words {
		keys[i] = singular(americanSpelling(w.fold))
	}
	return strings.Join(keys, " ")
}

// matchSegment appends the hits among words, which no punctuation separates.
func (m *ConceptMatcher) matchSegment(words []textWord, lang string, hits []ConceptHit) []ConceptHit {
	add := func(from, to int, ends []trieEnd) {
		for _, e := range ends {
			t := m.targets[e.target]
			if !m.accept(t, e, words[from:to], lang) {
				continue
			}
			h := ConceptHit{Concept: t.concept, Kind: HitTerm, Start: words[from].start, End: words[to-1].end, Lang: t.lang}
			if t.entry >= 0 {
				h.Kind, h.Entry, h.key = HitLexicon, &m.entries[t.entry], m.entryKeys[t.entry]
			}
			hits = append(hits, h)
		}
	}
	// Each word is looked up once; a phrase then walks word ids.
	ids := [3][]uint32{make([]uint32, len(words)), make([]uint32, len(words)), make([]uint32, len(words))}
	for i, w := range words {
		k := m.keysOf(w)
		ids[0][i], ids[1][i], ids[2][i] = k[0], k[1], k[2]
	}
	walk := func(trie *phraseTrie, ids []uint32) {
		for i := range ids {
			node := uint32(0)
			for j := i; j < len(ids) && ids[j] != noWord; j++ {
				var ok bool
				if node, ok = trie.next[trieEdge{node, ids[j]}]; !ok {
					break
				}
				if ends := trie.ends[node]; len(ends) > 0 {
					add(i, j+1, ends)
				}
			}
		}
	}
	walk(&m.folded, ids[0])
	walk(&m.plural, ids[1])
	if lang != "vi" {
		walk(&m.stemmed, ids[2])
	}
	return hits
}

// accept decides whether a phrase that matched words by key also matches them as written.
func (m *ConceptMatcher) accept(t matchTarget, e trieEnd, words []textWord, lang string) bool {
	if t.lang == "vi" {
		if lang == "en" {
			return false
		}
		for k, w := range words {
			switch {
			case w.lower != w.fold && w.lower != e.orig[k]:
				return false // written with other diacritics: another word
			case w.lower == w.fold && e.orig[k] != w.fold && len(words) == 1:
				return false // one syllable without its diacritics is too ambiguous ("ma": mạ, má, mã)
			}
		}
		return true
	}
	for _, w := range words {
		if w.lower != w.fold {
			return false // a Vietnamese word is not English
		}
	}
	return lang == "en" || !t.enOnlyVI
}

// dropContained removes repeated hits and hits inside a longer one: "nhựa" inside "ép phun
// nhựa" says nothing more. A phrase of two or more words inside a longer one is kept when it
// names a concept the longer ones do not, so "Ép phun nhựa kỹ thuật" (a synonym of injection
// moulding) still yields engineering plastics from "nhựa kỹ thuật".
func dropContained(text string, hits []ConceptHit) []ConceptHit {
	out := hits[:0]
	for i, h := range hits {
		keep := true
		multiword := strings.ContainsAny(text[h.Start:h.End], " -/&'’+")
		for j, o := range hits {
			if i == j {
				continue
			}
			same := o.Start == h.Start && o.End == h.End
			if same && j < i && o.Concept == h.Concept && o.Entry == h.Entry {
				keep = false
			}
			if same || o.Start > h.Start || h.End > o.End {
				continue
			}
			// o strictly contains h.
			if !multiword || h.Concept == "" || o.Concept == h.Concept || containsConcept(hits, o, h.Concept) {
				keep = false
			}
			if !keep {
				break
			}
		}
		if keep {
			out = append(out, h)
		}
	}
	return out
}

// containsConcept reports whether a hit with span equal to outer's names concept.
func containsConcept(hits []ConceptHit, outer ConceptHit, concept string) bool {
	for _, o := range hits {
		if o.Start == outer.Start && o.End == outer.End && o.Concept == concept {
			return true
		}
	}
	return false
}

// textWord is a word of a text: its byte span, lowercase NFC form and folded form, and the
// number of the punctuation-free run of text it belongs to.
type textWord struct {
	start, end  int
	lower, fold string
	segment     int
}

// textWords splits text into words. Letters, digits and combining marks make words; spaces,
// hyphens, slashes, ampersands and apostrophes separate words of one phrase ("hot-dip",
// "nhôm/inox"); any other character ends the phrase.
func textWords(text string) []textWord {
	var out []textWord
	segment, start := 0, -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		lower, fold := strings.ToLower(text[start:end]), ""
		if isASCII(lower) {
			fold = lower
		} else {
			fold = string(foldTerm([]byte(lower)))
		}
		out = append(out, textWord{start: start, end: end, lower: lower, fold: fold, segment: segment})
		start = -1
	}
	for i, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if start < 0 {
				start = i
			}
		case unicode.IsSpace(r) || strings.ContainsRune("-/&'’+", r):
			flush(i)
		default:
			flush(i)
			segment++
		}
	}
	flush(len(text))
	return out
}

// keysOf returns the ids of a word in the folded, plural and stemmed tries (noWord where a
// trie does not have it). Firms' texts repeat the same words, so the ids are remembered.
func (m *ConceptMatcher) keysOf(w textWord) [3]uint32 {
	m.keysMu.RLock()
	k, ok := m.keys[w.lower]
	m.keysMu.RUnlock()
	if ok {
		return k
	}
	id := func(t *phraseTrie, key string) uint32 {
		if id, ok := t.words[key]; ok {
			return id
		}
		return noWord
	}
	k = [3]uint32{id(&m.folded, w.fold), noWord, noWord}
	if w.lower == w.fold { // a word with diacritics is not English
		k[1], k[2] = id(&m.plural, singular(americanSpelling(w.fold))), id(&m.stemmed, stemOf(w.fold))
	}
	m.keysMu.Lock()
	if len(m.keys) < maxKeysMemo {
		m.keys[w.lower] = k
	}
	m.keysMu.Unlock()
	return k
}

// maxKeysMemo bounds the memo of word ids; the words of firms' texts are far fewer.
const maxKeysMemo = 200_000

// stemOf is the Snowball stem of a folded English word, spelt the American way first so that
// British and American spellings share a stem.
func stemOf(word string) string {
	env := snowballstem.NewEnv(americanSpelling(word))
	english.Stem(env)
	return env.Current()
}

// singular strips an English plural ending: "moulds", "boxes", "assemblies". Unlike a stem it
// keeps "machines" apart from "machining".
func singular(w string) string {
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		return w[:n-3] + "y"
	case n > 4 && (strings.HasSuffix(w, "sses") || strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "ches") ||
		strings.HasSuffix(w, "xes") || strings.HasSuffix(w, "zes")):
		return w[:n-2]
	case n > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") &&
		!strings.HasSuffix(w, "is"):
		return w[:n-1]
	}
	return w
}

// maxStemMemo bounds the memo of stems; the words of firms' texts are far fewer.
const maxStemMemo = 200_000

// britishRoots are British spellings of trade words with their American form.
var britishRoots = []struct{ uk, us string }{
	{"mould", "mold"}, {"aluminium", "aluminum"}, {"colour", "color"}, {"fibre", "fiber"},
	{"centre", "center"}, {"metre", "meter"}, {"litre", "liter"}, {"tyre", "tire"}, {"grey", "gray"},
	{"sulphur", "sulfur"}, {"programme", "program"}, {"jewellery", "jewelry"}, {"catalogue", "catalog"},
	{"labour", "labor"}, {"kerb", "curb"}, {"plough", "plow"}, {"storey", "story"}, {"draught", "draft"},
}

// americanSpelling rewrites British spellings: the roots above anywhere in a word, and -ise,
// -isation, -yse endings ("galvanise", "anodising"). Both the lexicon and the texts go through it,
// so a word it spells wrongly ("precize") still meets itself.
func americanSpelling(w string) string {
	for _, r := range britishRoots {
		if strings.Contains(w, r.uk) {
			w = strings.Replace(w, r.uk, r.us, 1)
		}
	}
	if utf8.RuneCountInString(w) < 7 {
		return w
	}
	for _, sfx := range []struct{ uk, us string }{
		{"isation", "ization"}, {"isations", "izations"}, {"ise", "ize"}, {"ised", "ized"}, {"ises", "izes"},
		{"ising", "izing"}, {"iser", "izer"}, {"isers", "izers"}, {"yse", "yze"}, {"ysed", "yzed"}, {"ysing", "yzing"},
	} {
		if strings.HasSuffix(w, sfx.uk) {
			return strings.TrimSuffix(w, sfx.uk) + sfx.us
		}
	}
	return w
}
