package search

import (
	"fmt"
	"html"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	index "github.com/blevesearch/bleve_index_api"
	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
)

// snippetRunes is the length of a snippet, in characters, before the ellipses.
const snippetRunes = 200

// snippetContext is how many characters a snippet shows before its first mark.
const snippetContext = 40

// ellipsis marks a snippet that starts or ends inside its description.
const ellipsis = "…"

// highlight returns, by document id, a snippet of each of the hits' descriptions that holds a
// word of p, with those words in <mark> tags. The descriptions are read from the view's stored
// fields and analysed again here with their fields' analyzers, so the index keeps no term
// positions for them and the search gathers none. Text around the marks is escaped, so the
// snippets are safe HTML.
func (v *view) highlight(p *textPlan, hits []pageHit) (map[string][]Snippet, error) {
	vi, en := p.highlightTerms()
	fields := []struct {
		field, lang string
		pairs       bool
		match       func(lower, fold []byte) bool
	}{
		{fieldDescriptionVI, "vi", true, viMatcher(vi)},
		{fieldDescriptionEN, "en", false, enMatcher(en)},
	}
	out := make(map[string][]Snippet, len(hits))
	for _, h := range hits {
		doc, err := v.reader.Document(h.id)
		if err != nil {
			return nil, fmt.Errorf("search: read firm %s for its snippets: %w", h.id, err)
		}
		if doc == nil {
			continue
		}
		texts := map[string][]byte{}
		doc.VisitFields(func(f index.Field) {
			if f.Name() == fieldDescriptionVI || f.Name() == fieldDescriptionEN {
				texts[f.Name()] = f.Value()
			}
		})
		for _, f := range fields {
			text := texts[f.field]
			if len(text) == 0 {
				continue
			}
			marks := markWords(text, f.pairs, f.match)
			if len(marks) > 0 {
				out[h.id] = append(out[h.id], Snippet{Text: snippet(text, marks), Lang: f.lang})
			}
		}
	}
	return out, nil
}

// highlightTerms are the terms of p that the text query looks for in the Vietnamese and the
// English description: each word folded and as typed, adjacent pairs, and English stems.
func (p *textPlan) highlightTerms() (vi, en map[string]bool) {
	vi, en = map[string]bool{}, map[string]bool{}
	for _, part := range p.parts {
		for _, w := range part.words {
			vi[w.fold], vi[w.orig] = true, true
			if w.orig == w.fold && w.stem != "" {
				en[w.stem] = true
			}
		}
		for _, sh := range part.shingles {
			vi[sh] = true
		}
	}
	return vi, en
}

// markWords returns the spans of the words of text, and with pairs of the pairs of adjacent
// words, that match says are a query's: what the field's analyzer would find, without the cost
// of its tokens. match gets each word lowercased and folded.
func markWords(text []byte, pairs bool, match func(lower, fold []byte) bool) []markSpan {
	var out []markSpan
	var lower, fold, prevFold, pair []byte
	prev, hasPrev := markSpan{}, false
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		if !isWordRune(r) {
			hasPrev = hasPrev && unicode.IsSpace(r) // punctuation parts a pair
			i += size
			continue
		}
		start := i
		lower, fold = lower[:0], fold[:0]
		for i < len(text) {
			r, size := utf8.DecodeRune(text[i:])
			if !isWordRune(r) {
				break
			}
			i += size
			r = unicode.ToLower(r)
			lower = utf8.AppendRune(lower, r)
			if f := foldRune(r); f >= 0 {
				r = f
			}
			fold = utf8.AppendRune(fold, r)
		}
		w := markSpan{start, i}
		if match(lower, fold) {
			out = append(out, w)
		}
		if pairs && hasPrev {
			pair = append(append(append(pair[:0], prevFold...), ' '), fold...)
			if match(nil, pair) {
				out = append(out, markSpan{prev.start, w.end})
			}
		}
		prev, hasPrev, prevFold = w, true, append(prevFold[:0], fold...)
	}
	return mergeSpans(out)
}

// viMatcher matches a word whose lowercase or folded form is one of terms. Most words of a
// text share no first letter with any term and are passed over without a lookup.
func viMatcher(terms map[string]bool) func(lower, fold []byte) bool {
	var first [256]bool
	for t := range terms {
		if t != "" {
			first[t[0]] = true
		}
	}
	return func(lower, fold []byte) bool {
		return first[fold[0]] && terms[string(fold)] || len(lower) > 0 && first[lower[0]] && terms[string(lower)]
	}
}

// enMatcher matches a word whose English stem is one of stems. Only words that begin like a
// stem are stemmed.
func enMatcher(stems map[string]bool) func(lower, fold []byte) bool {
	heads := map[string]bool{}
	for st := range stems {
		heads[st[:min(len(st), 3)]] = true
	}
	return func(_, fold []byte) bool {
		if !heads[string(fold[:min(len(fold), 3)])] {
			return false
		}
		env := snowballstem.NewEnv(string(fold))
		english.Stem(env)
		return stems[env.Current()]
	}
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// markSpan is a run of bytes of a text.
type markSpan struct{ start, end int }

// mergeSpans sorts spans by their start and merges those that overlap.
func mergeSpans(out []markSpan) []markSpan {
	slices.SortFunc(out, func(a, b markSpan) int { return a.start - b.start })
	merged := out[:0]
	for _, s := range out {
		if n := len(merged); n > 0 && s.start <= merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, s.end)
			continue
		}
		merged = append(merged, s)
	}
	return merged
}

// snippet cuts the window of text of snippetRunes characters that holds the most marks, with
// some context before them, and marks them.
func snippet(text []byte, marks []markSpan) string {
	best, bestCount := 0, 0
	for i, m := range marks {
		end := advanceRunes(text, m.start, snippetRunes)
		n := 0
		for _, o := range marks[i:] {
			if o.end > end {
				break
			}
			n++
		}
		if n > bestCount {
			best, bestCount = i, n
		}
	}
	// Some words of context before the first mark, or all the room left when the text ends
	// sooner; then the window starts at a word.
	first := marks[best].start
	back := snippetContext
	if room := snippetRunes - utf8.RuneCount(text[first:advanceRunes(text, first, snippetRunes)]); room > back {
		back = room
	}
	start := backRunes(text, first, back)
	if sp := strings.IndexByte(string(text[start:first]), ' '); start > 0 && sp >= 0 {
		start += sp + 1
	}
	end := advanceRunes(text, start, snippetRunes)
	var b strings.Builder
	if start > 0 {
		b.WriteString(ellipsis)
	}
	at := start
	for _, m := range marks {
		if m.start < start {
			continue
		}
		if m.end > end {
			break
		}
		b.WriteString(html.EscapeString(string(text[at:m.start])))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(string(text[m.start:m.end])))
		b.WriteString("</mark>")
		at = m.end
	}
	b.WriteString(html.EscapeString(string(text[at:end])))
	if end < len(text) {
		b.WriteString(ellipsis)
	}
	return b.String()
}

// advanceRunes returns the offset n characters after from, or the text's end.
func advanceRunes(text []byte, from, n int) int {
	for ; n > 0 && from < len(text); n-- {
		_, size := utf8.DecodeRune(text[from:])
		from += size
	}
	return from
}

// backRunes returns the offset n characters before from, or 0.
func backRunes(text []byte, from, n int) int {
	for ; n > 0 && from > 0; n-- {
		_, size := utf8.DecodeLastRune(text[:from])
		from -= size
	}
	return from
}
