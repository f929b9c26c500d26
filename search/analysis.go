package search

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/shingle"
	"github.com/blevesearch/bleve/v2/analysis/token/unicodenorm"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search/searcher"
	"golang.org/x/text/unicode/norm"

	"github.com/hanoi-cnht/portal/models"
)

// This file is the one place where the portal's analysis components are registered with bleve.
// The names are stored in the index mapping on disk, so every program that opens the index must
// import this package (which runs init) before it does.

// Analyzer and component names, as written in the mapping.
const (
	// AnalyzerVI is for Vietnamese (and any text people type without diacritics): each word is
	// kept as written (lowercased, NFC) and also folded ("cơ" and "co" at one position), and
	// folded two-syllable shingles ("co khi") are added so compounds score as units.
	AnalyzerVI = "portal_vi"
	// AnalyzerEN is for English: possessives dropped, folded, stop words removed, Snowball
	// (Porter2) stems, so "stamping" meets "stamped parts".
	AnalyzerEN = "portal_en"
	// AnalyzerVISet and AnalyzerENSet are the same analyses (without shingles) keeping each
	// term once, over text made of blocks (see phraseSetAnalyzer). They serve the taxonomy words
	// of a firm: hundreds of overlapping synonyms ("khuôn ép", "khuôn dập", ...) whose repeats
	// carry no meaning but cost time to index and would swamp the scores. Shingles of term words
	// are matched through the glossary instead (glossary.bigrams), which keeps this field small.
	AnalyzerVISet = "portal_vi_set"
	AnalyzerENSet = "portal_en_set"

	tokenizerName = "portal_words"
	nfcName       = "portal_nfc"
	foldKeepName  = "portal_fold_keep"
	foldOnlyName  = "portal_fold_only"
	shingleName   = "portal_fold_shingle"
)

func init() {
	// A query word is one disjunction over a dozen or more fields and spellings. bleve switches
	// such a disjunction to a heap above ten clauses, which profiles showed several times slower
	// than its slice form at this size; bleve documents the threshold as the application's to set.
	searcher.DisjunctionHeapTakeover = 32
	must := func(err error) {
		if err != nil {
			panic(fmt.Sprintf("search: register analysis: %v", err))
		}
	}
	must(registry.RegisterTokenizer(tokenizerName, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		return wordTokenizer{inner: unicodetok.NewUnicodeTokenizer()}, nil
	}))
	must(registry.RegisterTokenFilter(foldKeepName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{keepOriginal: true}, nil
	}))
	must(registry.RegisterTokenFilter(foldOnlyName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{}, nil
	}))
	must(registry.RegisterTokenFilter(shingleName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return foldedShingleFilter{inner: shingle.NewShingleFilter(2, 2, false, " ", "")}, nil
	}))
	must(registry.RegisterAnalyzer(AnalyzerVI, func(_ map[string]interface{}, c *registry.Cache) (analysis.Analyzer, error) {
		return chain(c, tokenizerName, nfcName, lowercase.Name, foldKeepName, shingleName)
	}))
	must(registry.RegisterAnalyzer(AnalyzerEN, func(_ map[string]interface{}, c *registry.Cache) (analysis.Analyzer, error) {
		return chain(c, tokenizerName, nfcName, en.PossessiveName, lowercase.Name, foldOnlyName,
			en.StopName, en.SnowballStemmerName)
	}))
	must(registry.RegisterAnalyzer(AnalyzerVISet, func(_ map[string]interface{}, c *registry.Cache) (analysis.Analyzer, error) {
		a, err := chain(c, tokenizerName, nfcName, lowercase.Name, foldKeepName)
		return newPhraseSetAnalyzer(a), err
	}))
	must(registry.RegisterAnalyzer(AnalyzerENSet, func(_ map[string]interface{}, c *registry.Cache) (analysis.Analyzer, error) {
		a, err := chain(c, tokenizerName, nfcName, en.PossessiveName, lowercase.Name, foldOnlyName,
			en.StopName, en.SnowballStemmerName)
		return newPhraseSetAnalyzer(a), err
	}))
	// bleve registers normalize_unicode only as a constructor taking a form; a named NFC instance
	// lets the analyzers above refer to it by name.
	must(registry.RegisterTokenFilter(nfcName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return unicodenorm.NewUnicodeNormalizeFilter(unicodenorm.NFC)
	}))
}

// chain builds an analyzer from a tokenizer and token filters registered by name.
func chain(c *registry.Cache, tokenizer string, filters ...string) (analysis.Analyzer, error) {
	tok, err := c.TokenizerNamed(tokenizer)
	if err != nil {
		return nil, err
	}
	a := &analysis.DefaultAnalyzer{Tokenizer: tok}
	for _, name := range filters {
		f, err := c.TokenFilterNamed(name)
		if err != nil {
			return nil, err
		}
		a.TokenFilters = append(a.TokenFilters, f)
	}
	return a, nil
}

// wordTokenizer splits text into words with Unicode word boundaries (which keep NFD combining
// marks with their letter) and leaves a one-position gap wherever punctuation stands between two
// words, so that neither shingles nor phrases join words across "khuôn mẫu, đồ gá" or
// "Hà Nội-Hải Phòng".
type wordTokenizer struct{ inner analysis.Tokenizer }

func (t wordTokenizer) Tokenize(input []byte) analysis.TokenStream {
	tokens := t.inner.Tokenize(input)
	shift := 0
	for i, tok := range tokens {
		if i > 0 && !onlySpace(input[tokens[i-1].End:tok.Start]) {
			shift++
		}
		tok.Position += shift
	}
	return tokens
}

func onlySpace(b []byte) bool {
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if !unicode.IsSpace(r) {
			return false
		}
		b = b[n:]
	}
	return true
}

// foldFilter folds each token (diacritics stripped, đ→d). With keepOriginal, a token that
// changes is kept as written and the folded form is added at the same position and offsets, so
// "cơ khí", "co khi" and "CƠ KHÍ" all meet, while a query typed with diacritics can still prefer
// the exact spelling. Tokens arrive lowercased and in NFC.
type foldFilter struct{ keepOriginal bool }

func (f foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := input
	if f.keepOriginal {
		out = make(analysis.TokenStream, 0, len(input)+len(input)/2)
	}
	for _, tok := range input {
		folded := foldTerm(tok.Term)
		switch {
		case !f.keepOriginal:
			tok.Term = folded
		case string(folded) == string(tok.Term):
			out = append(out, tok)
		default:
			out = append(out, tok, &analysis.Token{
				Term: folded, Start: tok.Start, End: tok.End, Position: tok.Position, Type: tok.Type,
			})
		}
	}
	return out
}

// foldTerm returns the folded form of a lowercase NFC term. Precomposed Latin letters, which
// is every Vietnamese letter in NFC, fold through a table; anything else goes through
// models.Fold, which the table was made from, so both agree.
func foldTerm(term []byte) []byte {
	ascii := true
	for _, c := range term {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return term
	}
	out := make([]byte, 0, len(term))
	for i := 0; i < len(term); {
		r, n := utf8.DecodeRune(term[i:])
		i += n
		switch f := foldRune(r); {
		case r < utf8.RuneSelf:
			out = append(out, byte(r))
		case f >= 0:
			out = utf8.AppendRune(out, f)
		default:
			return []byte(models.Fold(string(term)))
		}
	}
	return out
}

// Fold tables for the Latin-1 Supplement to Latin Extended-B and for Latin Extended
// Additional, where Vietnamese letters with tone marks live. -1 marks a rune they do not cover.
var (
	foldLatin    = foldTable(0x00C0, 0x024F)
	foldExtended = foldTable(0x1E00, 0x1EFF)
)

func foldTable(lo, hi rune) []rune {
	t := make([]rune, hi-lo+1)
	for r := lo; r <= hi; r++ {
		t[r-lo] = -1
		if f := []rune(models.Fold(string(r))); len(f) == 1 {
			t[r-lo] = f[0]
		}
	}
	return t
}

func foldRune(r rune) rune {
	switch {
	case r >= 0x00C0 && r <= 0x024F:
		return foldLatin[r-0x00C0]
	case r >= 0x1E00 && r <= 0x1EFF:
		return foldExtended[r-0x1E00]
	}
	return -1
}

// foldedShingleFilter adds two-word shingles made of folded tokens. It runs bleve's shingle
// filter over each run of adjacent positions of the folded stream separately, because bleve's
// filter fills position gaps with filler tokens, and the gaps here mark punctuation that a
// compound must not straddle.
type foldedShingleFilter struct{ inner *shingle.ShingleFilter }

func (f foldedShingleFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	if len(input) < 2 {
		return input
	}
	// The folded token is the last one at each position (foldFilter appends it after the original).
	var folded analysis.TokenStream
	for i, tok := range input {
		if i+1 < len(input) && input[i+1].Position == tok.Position {
			continue
		}
		folded = append(folded, tok)
	}
	out := make(analysis.TokenStream, 0, len(input)+len(folded))
	out = append(out, input...)
	start := 0
	for i := 1; i <= len(folded); i++ {
		if i < len(folded) && folded[i].Position == folded[i-1].Position+1 {
			continue
		}
		if i-start >= 2 {
			out = append(out, f.shingles(folded[start:i])...)
		}
		start = i
	}
	return out
}

// shingles runs bleve's filter over one run of adjacent tokens. The filter counts positions
// from 1 and fills any gap before the first token with fillers, so the run is renumbered from 1
// and the shingles get their real positions back.
func (f foldedShingleFilter) shingles(run analysis.TokenStream) analysis.TokenStream {
	local := make(analysis.TokenStream, len(run))
	for i, tok := range run {
		c := *tok
		c.Position = i + 1
		local[i] = &c
	}
	out := f.inner.Filter(local)
	for _, tok := range out {
		tok.Position = run[tok.Position-1].Position
	}
	return out
}

// phraseSeparator ends each phrase of a phrase-set text. The semicolon breaks shingles and
// phrases for any analyzer; a newline ends a block that phraseSetAnalyzer analyses once.
const phraseSeparator = ";"

// maxMemoBlocks bounds the memo of a phraseSetAnalyzer; the taxonomy has a few hundred terms.
const maxMemoBlocks = 20000

// phraseSetAnalyzer analyses text made of blocks (one a line, each a term's phrases separated by
// semicolons) and keeps each term once. Firms share their taxonomy terms, so each block's
// analysis is remembered: a firm's hundreds of synonyms cost a few map lookups instead of a
// tokenizer pass each. The memo belongs to the analyzer instance bleve builds for an index
// mapping and holds only results of a pure function.
type phraseSetAnalyzer struct {
	inner analysis.Analyzer
	mu    sync.RWMutex
	memo  map[string]*analysedBlock // never modified once stored
	vocab map[string]int32          // a number for every term seen, for cheap de-duplication
}

// analysedBlock is the analysis of one block, with the vocabulary number of each token.
type analysedBlock struct {
	tokens analysis.TokenStream
	ids    []int32
	last   int // highest position
}

func newPhraseSetAnalyzer(inner analysis.Analyzer) *phraseSetAnalyzer {
	return &phraseSetAnalyzer{inner: inner, memo: map[string]*analysedBlock{}, vocab: map[string]int32{}}
}

func (a *phraseSetAnalyzer) Analyze(input []byte) analysis.TokenStream {
	var blocks []*analysedBlock
	var sizes []int
	total, maxID := 0, int32(-1)
	for rest := input; len(rest) > 0; {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		b := a.block(line)
		blocks = append(blocks, b)
		sizes = append(sizes, len(line)+1)
		total += len(b.tokens)
		for _, id := range b.ids {
			maxID = max(maxID, id)
		}
	}
	seen := make([]uint64, maxID/64+1)
	tokens := make([]analysis.Token, 0, total)
	offset, position := 0, 0
	for i, b := range blocks {
		for j, tok := range b.tokens {
			id := b.ids[j]
			if seen[id/64]&(1<<(id%64)) != 0 {
				continue
			}
			seen[id/64] |= 1 << (id % 64)
			c := *tok
			c.Start += offset
			c.End += offset
			c.Position += position
			tokens = append(tokens, c)
		}
		// The next block starts two positions on, so no phrase query spans two blocks.
		position += b.last + 1
		offset += sizes[i]
	}
	out := make(analysis.TokenStream, len(tokens))
	for i := range tokens {
		out[i] = &tokens[i]
	}
	return out
}

func (a *phraseSetAnalyzer) block(line []byte) *analysedBlock {
	a.mu.RLock()
	b, ok := a.memo[string(line)]
	a.mu.RUnlock()
	if ok {
		return b
	}
	// Analysis rewrites its input in place (bleve lowercases token bytes where they lie), so the
	// key is taken first and a private copy analysed; the tokens keep pointing into that copy.
	key := string(line)
	b = &analysedBlock{tokens: a.inner.Analyze([]byte(key))}
	b.ids = make([]int32, len(b.tokens))
	a.mu.Lock()
	defer a.mu.Unlock()
	for i, tok := range b.tokens {
		id, ok := a.vocab[string(tok.Term)]
		if !ok {
			id = int32(len(a.vocab))
			a.vocab[string(tok.Term)] = id
		}
		b.ids[i] = id
		b.last = max(b.last, tok.Position)
	}
	if len(a.memo) < maxMemoBlocks {
		a.memo[key] = b
	}
	return b
}

// normalizeText prepares user or firm text for analysis and storage: valid UTF-8, NFC.
func normalizeText(s string) string {
	return norm.NFC.String(strings.ToValidUTF8(s, ""))
}
