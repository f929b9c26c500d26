package exchange

import (
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/hanoi-cnht/portal/models"
)

// ConceptFinder finds the taxonomy terms a text names, as phrases, the way the search index finds
// them in firms' own words (folded words, either order of a Vietnamese compound, plurals, British
// and American spelling). This package may not import search: the app passes its concept matcher
// through this interface.
type ConceptFinder interface {
	// FindConcepts returns the phrases of text that name a term of ref's taxonomy, of any kind.
	// Phrases may overlap, and a phrase inside a longer one may name another term.
	FindConcepts(ref *models.Reference, text string) []ConceptSpan
}

// ConceptSpan is a phrase of a text that names a taxonomy term: the term's code and the byte
// offsets of the phrase in the text.
type ConceptSpan struct {
	Code       string
	Start, End int
}

// CellMapping says what one entry of a taxonomy column was read as, when it was not a term's
// label or synonym as a whole: the terms its phrases name, each filed under its own kind whatever
// the column, and the words no term covered, kept as free text of the column's kind.
type CellMapping struct {
	Row    int          `json:"row"`
	Column string       `json:"column"`
	Value  string       `json:"value"`
	Terms  []MappedTerm `json:"terms"`
	Free   []string     `json:"free,omitempty"`
}

// MappedTerm is a term an entry was mapped to, with its labels for the report.
type MappedTerm struct {
	Code    string          `json:"code"`
	Kind    models.TermKind `json:"kind"`
	LabelVI string          `json:"label_vi"`
	LabelEN string          `json:"label_en"`
}

// Label is the term's label in lang ("vi" or "en").
func (t MappedTerm) Label(lang string) string {
	if lang == "en" && t.LabelEN != "" {
		return t.LabelEN
	}
	return t.LabelVI
}

// readCell maps an entry to the terms its phrases name and the words left over. It returns no
// terms when no phrase names one. whole, when set, is the term the entry as a whole names.
func (imp *rowImporter) readCell(item string, whole *models.Term) ([]models.Term, []string) {
	words := cellWords(item)
	found := imp.concepts.FindConcepts(imp.ref, item)
	if whole != nil {
		found = append(found, ConceptSpan{Code: whole.Code, Start: 0, End: len(item)})
	}
	spans := imp.chooseSpans(item, words, found)
	if len(spans) == 0 {
		return nil, nil
	}
	var terms []models.Term
	covered := make([]bool, len(words))
	for _, s := range spans {
		t, _ := imp.ref.Term(s.Code)
		if !slices.ContainsFunc(terms, func(x models.Term) bool { return x.Code == t.Code }) {
			terms = append(terms, t)
		}
		for i, w := range words {
			if s.Start <= w.start && w.end <= s.End {
				covered[i] = true
			}
		}
	}
	var free []string
	for from := 0; from < len(words); {
		if covered[from] {
			from++
			continue
		}
		to := from
		for to < len(words) && !covered[to] {
			to++
		}
		if text := leftoverText(item, words[from:to]); text != "" && !slices.Contains(free, text) {
			free = append(free, text)
		}
		from = to
	}
	return terms, free
}

// chooseSpans keeps the phrases an entry is mapped by. The matcher offers every reading, which
// suits a search; a firm's filing needs one. Of two phrases that cross ("chi tiết máy" and "máy
// dệt" in "chi tiết máy dệt") the longer is kept, and both when they name terms of different
// kinds ("bánh răng nhựa" and "nhựa POM"). A phrase inside a kept one is kept only when it ends
// the longer phrase, which then says what it is made of or by: "nhựa kỹ thuật" ends "ép phun
// nhựa kỹ thuật", while "linh kiện máy" only begins "linh kiện máy bay".
func (imp *rowImporter) chooseSpans(item string, words []cellWord, found []ConceptSpan) []ConceptSpan {
	type candidate struct {
		ConceptSpan
		kind  models.TermKind
		words int
	}
	var cands []candidate
	for _, s := range found {
		if s.Start < 0 || s.End > len(item) || s.Start >= s.End {
			continue
		}
		t, ok := imp.ref.Term(s.Code)
		if !ok {
			continue
		}
		n := 0
		for _, w := range words {
			if s.Start <= w.start && w.end <= s.End {
				n++
			}
		}
		cands = append(cands, candidate{s, t.Kind, n})
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].words != cands[j].words {
			return cands[i].words > cands[j].words
		}
		return cands[i].Start < cands[j].Start
	})
	var kept []candidate
	for _, c := range cands {
		ok := true
		for _, k := range kept {
			switch {
			case c.Start == k.Start && c.End == k.End:
				ok = c.Code != k.Code // one phrase may name two terms ("nhãn dệt")
			case k.Start <= c.Start && c.End <= k.End:
				ok = c.End == k.End && c.Code != k.Code
			case c.Start < k.End && k.Start < c.End:
				ok = c.kind != k.kind
			}
			if !ok {
				break
			}
		}
		if ok {
			kept = append(kept, c)
		}
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].Start < kept[j].Start })
	out := make([]ConceptSpan, len(kept))
	for i, k := range kept {
		out[i] = k.ConceptSpan
	}
	return out
}

// cellWord is a word of an entry: its byte span, lower-case and folded forms.
type cellWord struct {
	start, end  int
	lower, fold string
}

// cellWords splits an entry into words of letters, digits and combining marks.
func cellWords(s string) []cellWord {
	var out []cellWord
	start := -1
	for i, r := range s {
		inWord := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			out = append(out, newCellWord(s, start, i))
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, newCellWord(s, start, len(s)))
	}
	return out
}

func newCellWord(s string, start, end int) cellWord {
	return cellWord{start: start, end: end, lower: strings.ToLower(s[start:end]), fold: models.FoldKey(s[start:end])}
}

// leftoverText is the text of a run of words no term covered, without the filler at its ends;
// "" when it is all filler ("các loại", "and").
func leftoverText(item string, words []cellWord) string {
	filler, key := fillerEN, func(w cellWord) string { return w.fold }
	if !isASCII(item) {
		// Written with diacritics, a word is compared as written: "lá" (a leaf spring's leaf) is
		// not "là".
		filler, key = fillerVI, func(w cellWord) string { return w.lower }
	}
	pair := func(a, b cellWord) string { return key(a) + " " + key(b) }
	// Trim filler phrases of up to two words at either end.
	for n := len(words); n > 0; n = len(words) {
		switch {
		case n >= 2 && filler[pair(words[0], words[1])]:
			words = words[2:]
		case filler[key(words[0])]:
			words = words[1:]
		case n >= 2 && filler[pair(words[n-2], words[n-1])]:
			words = words[:n-2]
		case filler[key(words[n-1])]:
			words = words[:n-1]
		default:
			return strings.TrimSpace(item[words[0].start:words[len(words)-1].end])
		}
	}
	return ""
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// fillerVI and fillerEN are the words an entry may hold beside the terms it names without
// saying anything more: function words and generic trade words ("sản xuất", "parts"). The
// Vietnamese list, in lower case, is for entries written with diacritics; the English one, folded
// and with the few Vietnamese words that stay unmistakable without diacritics, for the others.
var fillerVI, fillerEN = func() (map[string]bool, map[string]bool) {
	vi := []string{"và", "với", "cho", "của", "các", "những", "bằng", "từ", "theo", "trong", "tại", "hoặc",
		"hay", "là", "có", "được", "một", "mọi", "cùng", "khác", "như", "gồm", "bao gồm", "để", "đến", "v",
		"loại", "các loại", "nhiều loại", "sản xuất", "chế tạo", "gia công", "nhận gia công", "cung cấp",
		"dịch vụ", "chuyên", "linh kiện", "chi tiết", "sản phẩm", "phụ kiện", "etc"}
	en := []string{"and", "or", "of", "for", "with", "by", "the", "a", "an", "in", "on", "to", "from",
		"other", "others", "etc", "various", "all", "including", "such as", "as", "made", "custom",
		"manufacturing", "manufacture", "production", "supply", "service", "services", "part", "parts",
		"component", "components", "product", "products", "va", "cac", "cho", "cac loai", "san xuat",
		"gia cong", "linh kien", "chi tiet", "san pham", "dich vu", "cung cap", "v"}
	set := func(list []string, key func(string) string) map[string]bool {
		m := make(map[string]bool, len(list))
		for _, w := range list {
			m[key(w)] = true
		}
		return m
	}
	return set(vi, strings.ToLower), set(en, models.FoldKey)
}()

// quotedEntry reports whether an entry is written in quotes ("…" or “…”), which keeps it as free
// text as written: export quotes free text that would otherwise be read as terms.
func quotedEntry(item string) (string, bool) {
	for _, q := range [][2]string{{`"`, `"`}, {"“", "”"}} {
		if len(item) > len(q[0])+len(q[1]) && strings.HasPrefix(item, q[0]) && strings.HasSuffix(item, q[1]) {
			if inner := strings.TrimSpace(item[len(q[0]) : len(item)-len(q[1])]); inner != "" {
				return inner, true
			}
		}
	}
	return "", false
}

// freeTextCell is how export writes a free term: as it is, or in quotes when an import would read
// terms in it (or it is itself in quotes), so the round trip gives back the same free text.
func freeTextCell(ref *models.Reference, concepts ConceptFinder, text string) string {
	if _, quoted := quotedEntry(text); quoted {
		return `"` + text + `"`
	}
	if concepts == nil {
		return text
	}
	for _, s := range concepts.FindConcepts(ref, text) {
		if _, ok := ref.Term(s.Code); ok {
			return `"` + text + `"`
		}
	}
	return text
}
