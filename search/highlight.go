package search

import (
	"bytes"
	"fmt"
	"html"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
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
func (v *view) highlight(m mapping.IndexMapping, p *textPlan, hits []pageHit) (map[string][]Snippet, error) {
	vi, en := p.highlightTerms()
	fields := []struct {
		field, lang, analyzer string
		terms                 map[string]bool
	}{
		{fieldDescriptionVI, "vi", AnalyzerVI, vi},
		{fieldDescriptionEN, "en", AnalyzerEN, en},
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
			if len(text) == 0 || len(f.terms) == 0 {
				continue
			}
			// Analysis lowercases the tokens in place: it gets a copy.
			marks := markedSpans(m.AnalyzerNamed(f.analyzer).Analyze(bytes.Clone(text)), f.terms)
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

// markSpan is a run of bytes of a text.
type markSpan struct{ start, end int }

// markedSpans returns, in text order and merged where they overlap, the spans of the tokens
// whose term is one of terms.
func markedSpans(tokens analysis.TokenStream, terms map[string]bool) []markSpan {
	var out []markSpan
	for _, t := range tokens {
		if !terms[string(t.Term)] {
			continue
		}
		s := markSpan{t.Start, t.End}
		// Tokens come in text order; a shingle starts at its first word and overlaps the next.
		i := len(out)
		for i > 0 && out[i-1].start > s.start {
			i--
		}
		out = append(out, markSpan{})
		copy(out[i+1:], out[i:])
		out[i] = s
	}
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
