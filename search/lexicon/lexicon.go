// Package lexicon is the portal's reviewed Vietnamese–English trade vocabulary: the words buyers
// and firms actually write about parts, processes, materials, machines, industries and end
// products, each with its English counterpart and, where one fits, the taxonomy term it belongs
// to.
//
// The taxonomy (models/refdata/taxonomy.csv) names what the portal files firms under; this list
// is wider and flatter, so that "bạc đạn", "vòng bi" and "bearing" can all reach the same firms
// without each becoming a taxonomy term. It is kept as CSV rather than Go so that people who know
// the trade, not only programmers, can review and correct it, and it is embedded so that a
// binary never runs with a lexicon other than the one it was tested against.
package lexicon

import (
	"bytes"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/unicode/norm"
)

//go:embed lexicon.csv priority.csv
var files embed.FS

// Entry is one Vietnamese–English pair. The same Vietnamese may appear in several entries with
// different English (and the other way round): each row is one translation someone can vouch
// for, not a word with all its senses.
type Entry struct {
	// Kind says what the words name, so callers can weigh a machine differently from a part.
	Kind string
	// VI is Vietnamese as firms write it, NFC, lower case except acronyms and proper nouns.
	VI string
	// EN is the English, British spelling; American spellings are left to the search folding.
	EN string
	// Concept is a taxonomy code, or empty where no term fits rather than a near miss.
	Concept string
}

// PriorityItem ties a line of the national priority list of supporting-industry products
// (Decree 111/2015 as amended by Decree 205/2025) to a lexicon entry, so that the portal can
// show which firms make the products the state favours. An item may have several rows when
// its line lists several products.
type PriorityItem struct {
	// Item labels the line: the reference's part (A for Decree 205, B for Decree 111), the
	// sector's Roman numeral and the line's position within it, e.g. "A.II.4".
	Item string
	VI   string
	EN   string
}

// Kinds are the values Entry.Kind may take, in the order the file is kept.
var Kinds = []string{"part", "process", "material", "machine", "industry", "product", "quality", "general"}

// Problems Check reports, for callers (and tests) that need to tell them apart with errors.Is.
var (
	ErrDuplicate = errors.New("duplicate pair")
	ErrEmpty     = errors.New("empty side")
	ErrNotNFC    = errors.New("not NFC")
	ErrKind      = errors.New("unknown kind")
	ErrConcept   = errors.New("unknown concept")
	ErrSpace     = errors.New("leading or trailing space")
)

var (
	lexiconHeader  = []string{"kind", "vi", "en", "concept"}
	priorityHeader = []string{"item", "vi", "en"}
)

// Load returns the embedded lexicon in file order. It parses on every call; callers that look
// words up often should keep the result.
func Load() ([]Entry, error) {
	b, err := files.ReadFile("lexicon.csv")
	if err != nil {
		return nil, err
	}
	return parse(bytes.NewReader(b), "lexicon.csv")
}

// Priority returns the embedded priority list in file order.
func Priority() ([]PriorityItem, error) {
	b, err := files.ReadFile("priority.csv")
	if err != nil {
		return nil, err
	}
	var items []PriorityItem
	err = readCSV(bytes.NewReader(b), "priority.csv", priorityHeader, func(rec []string) {
		items = append(items, PriorityItem{Item: rec[0], VI: rec[1], EN: rec[2]})
	})
	return items, err
}

func parse(r io.Reader, name string) ([]Entry, error) {
	var entries []Entry
	err := readCSV(r, name, lexiconHeader, func(rec []string) {
		entries = append(entries, Entry{Kind: rec[0], VI: rec[1], EN: rec[2], Concept: rec[3]})
	})
	return entries, err
}

// readCSV checks the header and hands each later record to add. A file whose header is not the
// one expected is refused whole: columns silently swapped would turn every translation round.
func readCSV(r io.Reader, name string, header []string, add func([]string)) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(header)
	cr.ReuseRecord = true
	first := true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			// csv.ParseError already says "record on line N".
			return fmt.Errorf("%s: %w", name, err)
		}
		if first {
			first = false
			if strings.Join(rec, ",") != strings.Join(header, ",") {
				line, _ := cr.FieldPos(0)
				return fmt.Errorf("%s:%d: header is %q, want %q", name, line, strings.Join(rec, ","), strings.Join(header, ","))
			}
			continue
		}
		add(rec)
	}
	if first {
		return fmt.Errorf("%s: no header", name)
	}
	return nil
}

// Check returns every problem in entries, not just the first, so that one review round can fix
// them all. concepts holds the taxonomy codes an entry may name. Entries are numbered from 1 in
// the messages; for entries from Load, entry n is on line n+1 of lexicon.csv.
func Check(entries []Entry, concepts map[string]bool) []error {
	kinds := map[string]bool{}
	for _, k := range Kinds {
		kinds[k] = true
	}
	var errs []error
	seen := map[[2]string]int{}
	for i, e := range entries {
		bad := func(problem error, format string, args ...any) {
			errs = append(errs, fmt.Errorf("entry %d (%q, %q): %w"+format, append([]any{i + 1, e.VI, e.EN, problem}, args...)...))
		}
		for _, f := range [...]struct{ name, v string }{{"kind", e.Kind}, {"vi", e.VI}, {"en", e.EN}, {"concept", e.Concept}} {
			if f.v != strings.TrimSpace(f.v) {
				bad(ErrSpace, " in %s", f.name)
			}
		}
		if strings.TrimSpace(e.VI) == "" {
			bad(ErrEmpty, ": no Vietnamese")
		}
		if strings.TrimSpace(e.EN) == "" {
			bad(ErrEmpty, ": no English")
		}
		// Both sides must be NFC: text pasted from Word or a Mac is often decomposed, and then
		// "ổ bi" and "ổ bi" look the same yet never match.
		if !norm.NFC.IsNormalString(e.VI) {
			bad(ErrNotNFC, " in vi")
		}
		if !norm.NFC.IsNormalString(e.EN) {
			bad(ErrNotNFC, " in en")
		}
		if !kinds[e.Kind] {
			bad(ErrKind, " %q", e.Kind)
		}
		if e.Concept != "" && !concepts[e.Concept] {
			bad(ErrConcept, " %q", e.Concept)
		}
		key := [2]string{pairKey(e.VI), pairKey(e.EN)}
		if first, ok := seen[key]; ok {
			bad(ErrDuplicate, " of entry %d", first)
		} else {
			seen[key] = i + 1
		}
	}
	return errs
}

// pairKey is what two entries must not share: case and Unicode composition are no difference to
// a reader, nor to the search, which folds both.
func pairKey(s string) string {
	return strings.ToLower(norm.NFC.String(strings.TrimSpace(s)))
}
