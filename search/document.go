package search

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/search/lexicon"
)

// firmDoc is what the index holds for one firm: the text to search, the codes to filter and
// facet on, and the few stored values search needs itself. The json names are the index fields.
type firmDoc struct {
	TaxCode       string     `json:"tax_code"`
	Names         string     `json:"names"`
	NameVI        string     `json:"name_vi"`
	NameEN        string     `json:"name_en,omitempty"`
	NameENWords   string     `json:"name_en_words,omitempty"`
	NameExact     []string   `json:"name_exact"`
	NameSort      string     `json:"name_sort"`
	NameSortEN    string     `json:"name_sort_en"`
	DescriptionVI string     `json:"description_vi,omitempty"`
	DescriptionEN string     `json:"description_en,omitempty"`
	Terms         string     `json:"terms,omitempty"`
	TermsEN       string     `json:"terms_en,omitempty"`
	Free          string     `json:"free,omitempty"`
	Concepts      string     `json:"concepts,omitempty"`
	ConceptsEN    string     `json:"concepts_en,omitempty"`
	Lexicon       string     `json:"lexicon,omitempty"`
	LexiconEN     string     `json:"lexicon_en,omitempty"`
	Found         []string   `json:"found,omitempty"`
	Entries       []string   `json:"entries,omitempty"`
	Sector        []string   `json:"sector,omitempty"`
	Product       []string   `json:"product,omitempty"`
	Process       []string   `json:"process,omitempty"`
	Material      []string   `json:"material,omitempty"`
	Cert          []string   `json:"cert,omitempty"`
	CertVerified  []string   `json:"cert_verified,omitempty"`
	Verified      string     `json:"verified,omitempty"`
	Corridor      []string   `json:"corridor,omitempty"`
	District      []string   `json:"district,omitempty"`
	Zone          []string   `json:"zone,omitempty"`
	Size          string     `json:"size,omitempty"`
	Ownership     string     `json:"ownership,omitempty"`
	SPCNCL        string     `json:"spcncl,omitempty"`
	Market        []string   `json:"market,omitempty"`
	Facets        []string   `json:"facets,omitempty"`
	Match         []string   `json:"match_facts,omitempty"`
	Updated       time.Time  `json:"updated"`
	Employees     float64    `json:"employees"`
	ValidUntil    *time.Time `json:"valid_until,omitempty"`
	Stamp         string     `json:"stamp"`
	Slug          string     `json:"slug"`
}

// docID is the index document id of a firm.
func docID(id uint) string { return strconv.FormatUint(uint64(id), 10) }

// stampOf encodes a firm's update time as stored in the index, to compare with the database.
func stampOf(t time.Time) string { return strconv.FormatInt(t.UnixNano(), 10) }

// docBuilder makes firm documents for one version of the reference data. It keeps every
// term's words normalised, because each term's words go into the document of every firm that
// has the term.
type docBuilder struct {
	ref     *models.Reference
	words   map[string]termWords
	matcher *ConceptMatcher
	// entryWords are the sides of each lexicon entry as phrase-set blocks.
	entryWords map[*lexicon.Entry]termWords
}

// termWords are a term's phrases, normalised, as one block of text each for the Vietnamese
// and the English field (see phraseSetAnalyzer): all of them, and the English ones alone. vi
// holds the Vietnamese ones alone, for the fields of concepts found: there the English words
// are matched stemmed only, which keeps those fields, in every firm's document, half as long.
type termWords struct {
	all, en, vi string
}

func newDocBuilder(ref *models.Reference) *docBuilder {
	entries, err := lexicon.Load()
	if err != nil {
		// The lexicon is embedded and checked by its tests: a binary without it cannot have passed them.
		panic(fmt.Sprintf("search: load the lexicon: %v", err))
	}
	b := &docBuilder{ref: ref, words: make(map[string]termWords, len(ref.Terms)),
		matcher: NewConceptMatcher(ref, entries), entryWords: make(map[*lexicon.Entry]termWords, len(entries))}
	for _, t := range ref.Terms {
		b.words[t.Code] = wordsOf(t)
	}
	for i := range b.matcher.entries {
		e := &b.matcher.entries[i]
		var vi, en phraseSet
		vi.add(e.VI)
		en.add(e.EN)
		b.entryWords[e] = termWords{vi: vi.text(), en: en.text()}
	}
	return b
}

func wordsOf(t models.Term) termWords {
	var all, en, vi phraseSet
	for _, p := range t.Words() {
		all.add(p)
	}
	// Only English words are worth stemming; Vietnamese ones are matched folded in Terms.
	en.add(t.LabelEN)
	for _, p := range t.SynonymsEN {
		en.add(p)
	}
	vi.add(t.LabelVI)
	for _, p := range t.SynonymsVI {
		vi.add(p)
	}
	return termWords{all: all.text(), en: en.text(), vi: vi.text()}
}

// doc builds the document for f. Certificate fields depend on now: an expired certificate is
// left out, and ValidUntil records when the next one will expire, so the index can reindex the
// firm at that moment (see Index.refreshExpired).
func (b *docBuilder) doc(f *models.Firm, now time.Time) *firmDoc {
	d := &firmDoc{
		TaxCode:       f.TaxCode,
		NameVI:        normalizeText(f.NameVI),
		NameEN:        normalizeText(f.NameEN),
		DescriptionVI: normalizeText(f.DescriptionVI),
		DescriptionEN: normalizeText(f.DescriptionEN),
		Size:          string(f.SizeBand()),
		Ownership:     string(f.Ownership),
		Updated:       f.UpdatedAt.UTC(),
		Employees:     float64(f.Employees),
		Stamp:         stampOf(f.UpdatedAt),
		Slug:          f.Slug,
	}
	d.addNames(f)
	b.addTerms(d, f)
	mentioned := b.addFound(d, f)
	d.addCertificates(b.ref, f, now)
	d.addPlaces(f)
	d.addFacets()
	d.addMatchFacts(f, mentioned)
	return d
}

// addNames fills the name fields.
func (d *firmDoc) addNames(f *models.Firm) {
	// Names are indexed without their legal form: "Công ty", "TNHH", "Cổ phần", "Co., Ltd" are in
	// every name, so they only made the postings of "cong", "ty" and "co" as long as the index.
	// Exact names are matched through NameExact.
	var names phraseSet
	for _, n := range []string{f.NameVI, f.NameEN, f.ShortName} {
		names.add(withoutLegalForm(n))
	}
	d.Names = names.text()
	d.NameENWords = normalizeText(withoutLegalForm(f.NameEN))
	d.NameSort = sortKey(f.NameVI)
	d.NameSortEN = d.NameSort
	if f.NameEN != "" {
		d.NameSortEN = sortKey(f.NameEN)
	}
	for _, n := range []string{f.NameVI, f.NameEN, f.ShortName, stripLegalForm(f.NameVI), stripLegalForm(f.NameEN)} {
		if k := models.FoldKey(n); k != "" {
			d.NameExact = appendUnique(d.NameExact, k)
		}
	}
}

// addTerms fills the taxonomy fields: codes for filters, words for the text query.
func (b *docBuilder) addTerms(d *firmDoc, f *models.Firm) {
	ref := b.ref
	// Term words go into one text, a term's phrases a line (see phraseSetAnalyzer): one field
	// value analyses far faster than hundreds of array elements, and no shingle joins two
	// synonyms.
	var terms, termsEN []string
	var free phraseSet
	addTerm := func(t models.Term) {
		switch t.Kind {
		case models.KindSector:
			d.Sector = appendUnique(d.Sector, t.Code)
		case models.KindProduct:
			d.Product = appendUnique(d.Product, t.Code)
		case models.KindProcess:
			d.Process = appendUnique(d.Process, t.Code)
		case models.KindMaterial:
			d.Material = appendUnique(d.Material, t.Code)
		}
		w, ok := b.words[t.Code]
		if !ok { // a term newer than this builder's reference data
			w = wordsOf(t)
		}
		terms = append(terms, w.all)
		termsEN = append(termsEN, w.en)
	}
	for _, t := range f.Terms {
		addTerm(t)
	}
	// A product implies its sector, so a sector filter finds firms that only listed products.
	for _, t := range f.Terms {
		if t.Parent == "" || slices.Contains(d.Sector, t.Parent) {
			continue
		}
		if p, ok := ref.Term(t.Parent); ok && p.Kind == models.KindSector {
			addTerm(p)
		}
	}
	for _, ft := range f.FreeTerms {
		free.add(ft.Text)
	}
	for _, r := range f.Recognitions {
		free.add(r.Product)
	}
	d.Terms, d.TermsEN, d.Free = strings.Join(terms, "\n"), strings.Join(termsEN, "\n"), free.text()
	if len(f.Recognitions) > 0 {
		d.SPCNCL = "yes"
	}
}

// Where a concept was found in a firm's text, as written in the found field after its code.
const (
	foundInName        = "name"
	foundInVI          = "vi"
	foundInEN          = "en"
	foundInOwnWords    = "own"
	foundInCustomers   = "customers"
	foundInRecognition = "spcncl"
)

// foundSources lists the places a concept can be found, in the order explanations prefer them.
var foundSources = []string{foundInOwnWords, foundInVI, foundInEN, foundInName, foundInRecognition, foundInCustomers}

// foundTerm is how a concept found in a place is written in the found field, beside the bare
// code: the code scores, once however many places name it; the places explain it.
func foundTerm(code, source string) string { return code + ":" + source }

// addFound fills the fields of what was found in the firm's own text: the concepts, with
// where each was found, and their words in both languages; both sides of each lexicon entry
// matched, so "máy nông nghiệp" in a description makes "agricultural machinery" findable; and
// the keys of the entries, those inside longer ones too, since "cáp điện hạ thế" is also a
// "cáp điện".
// Concepts the firm is filed under are left out: they are already in the terms fields, and
// counting them twice would rank a firm for repeating itself.
// It returns the concepts that make a term criterion partly met (see foundConcepts): those
// found in the names, the descriptions, the firm's own words and its recognitions, filed under
// or not.
func (b *docBuilder) addFound(d *firmDoc, f *models.Firm) []string {
	var mentioned []string
	assigned := map[string]bool{}
	for _, t := range f.Terms {
		assigned[t.Code] = true
	}
	var concepts, lex blocks
	scan := func(text, lang, source string, mention bool) {
		if strings.TrimSpace(text) == "" {
			return
		}
		all := b.matcher.matchAllNFC(text, lang)
		for _, h := range all {
			if h.key != "" {
				d.Entries = appendUnique(d.Entries, h.key)
			}
		}
		for _, h := range dropContained(text, all) {
			if h.Entry != nil {
				lex.add(h.Entry.VI+"\x00"+h.Entry.EN, b.entryWords[h.Entry])
			}
			if mention && h.Concept != "" {
				mentioned = appendUnique(mentioned, h.Concept)
			}
			if h.Concept == "" || assigned[h.Concept] {
				continue
			}
			d.Found = appendUnique(d.Found, h.Concept)
			d.Found = appendUnique(d.Found, foundTerm(h.Concept, source))
			if w, ok := b.words[h.Concept]; ok {
				concepts.add(h.Concept, w)
			}
		}
	}
	// The document's texts are already in NFC; the lists are not.
	scan(d.NameVI, "vi", foundInName, true)
	scan(normalizeText(f.ShortName), "vi", foundInName, false)
	scan(d.NameEN, "en", foundInName, true)
	scan(d.DescriptionVI, "vi", foundInVI, true)
	scan(d.DescriptionEN, "en", foundInEN, true)
	// Import cells and typed lists may be in either language.
	for _, ft := range f.FreeTerms {
		scan(normalizeText(ft.Text), "", foundInOwnWords, true)
	}
	for _, c := range f.KeyCustomers {
		scan(normalizeText(c), "", foundInCustomers, false)
	}
	for _, r := range f.Recognitions {
		scan(normalizeText(r.Product), "", foundInRecognition, true)
	}
	d.Concepts, d.ConceptsEN = concepts.text()
	d.Lexicon, d.LexiconEN = lex.text()
	return mentioned
}

// blocks collects the phrase-set blocks of a field pair once each (see phraseSetAnalyzer).
type blocks struct {
	seen   map[string]bool
	vi, en []string
}

func (b *blocks) add(key string, w termWords) {
	if b.seen[key] {
		return
	}
	if b.seen == nil {
		b.seen = map[string]bool{}
	}
	b.seen[key] = true
	b.vi = append(b.vi, w.vi)
	b.en = append(b.en, w.en)
}

func (b *blocks) text() (string, string) { return strings.Join(b.vi, "\n"), strings.Join(b.en, "\n") }

// addCertificates fills the certificate fields from the certificates that count at now
// (claimed or verified, and not expired; a certificate the Department rejected or revoked never
// counts), and ValidUntil with the moment the first of them expires.
func (d *firmDoc) addCertificates(ref *models.Reference, f *models.Firm, now time.Time) {
	for i := range f.Certificates {
		c := &f.Certificates[i]
		if st := c.Status(now); st != models.CertClaimed && st != models.CertVerified {
			continue
		}
		code := standardCode(ref, c.Standard)
		if code == "" {
			continue
		}
		d.Cert = appendUnique(d.Cert, code)
		if c.Status(now) == models.CertVerified {
			d.CertVerified = appendUnique(d.CertVerified, code)
			d.Verified = "yes"
		}
		if c.Expires != nil {
			until := c.Expires.End()
			if d.ValidUntil == nil || until.Before(*d.ValidUntil) {
				d.ValidUntil = &until
			}
		}
	}
}

// addPlaces fills the location and market fields.
func (d *firmDoc) addPlaces(f *models.Firm) {
	for _, s := range f.Sites {
		if s.District != "" {
			d.District = appendUnique(d.District, s.District)
		}
		if s.Zone != "" {
			d.Zone = appendUnique(d.Zone, s.Zone)
		}
		for _, c := range s.Corridors {
			d.Corridor = appendUnique(d.Corridor, c)
		}
	}
	for _, m := range f.ExportMarkets {
		if c, ok := models.ResolveCountry(m); ok {
			d.Market = appendUnique(d.Market, c.Code)
		}
	}
}

// addFacets lists every facet value of the document in the one field the columns read.
func (d *firmDoc) addFacets() {
	for _, fv := range []struct {
		field  string
		values []string
	}{
		{fieldSector, d.Sector}, {fieldProduct, d.Product}, {fieldProcess, d.Process}, {fieldMaterial, d.Material},
		{fieldCert, d.Cert}, {fieldCertVerified, d.CertVerified}, {fieldCorridor, d.Corridor},
		{fieldDistrict, d.District}, {fieldZone, d.Zone}, {fieldSize, []string{d.Size}},
		{fieldOwnership, []string{d.Ownership}}, {fieldMarket, d.Market},
	} {
		for _, v := range fv.values {
			if v != "" {
				d.Facets = append(d.Facets, facetTerm(fv.field, v))
			}
		}
	}
}

// facetTerm is how a facet value is written in the facets field.
func facetTerm(field, value string) string { return field + ":" + value }

// standardCode is the code of the standard a certificate names, or its text when the standard
// is not in the reference list (still facetable, never matched by a filter).
func standardCode(ref *models.Reference, s string) string {
	if st, ok := ref.Standard(s); ok {
		return st.Code
	}
	if st, ok := ref.ResolveStandard(s); ok {
		return st.Code
	}
	return strings.TrimSpace(s)
}

// legalForms are the words of a company's legal form, dropped when a name is sorted or matched
// exactly, so "Công ty TNHH Cơ khí Tân Phát" sorts under T and "Tân Phát" finds it.
var legalForms = []string{
	"cong ty trach nhiem huu han mot thanh vien", "cong ty tnhh mot thanh vien", "cong ty tnhh mtv",
	"cong ty trach nhiem huu han", "cong ty tnhh", "cong ty co phan", "cong ty cp", "doanh nghiep tu nhan",
	"chi nhanh cong ty tnhh", "chi nhanh cong ty co phan", "chi nhanh", "cong ty", "tnhh", "ctcp",
}

var legalSuffixes = []string{
	"co ltd", "company limited", "co limited", "joint stock company", "jsc", "ltd", "limited",
	"corporation", "corp", "company", "llc", "inc",
}

// stripLegalForm returns the folded key of name without its legal form, or "" when there was
// none to strip.
func stripLegalForm(name string) string {
	k := models.FoldKey(name)
	out := k
	for _, p := range legalForms {
		if strings.HasPrefix(out, p+" ") {
			out = strings.TrimPrefix(out, p+" ")
			break
		}
	}
	for _, s := range legalSuffixes {
		if strings.HasSuffix(out, " "+s) {
			out = strings.TrimSuffix(out, " "+s)
			break
		}
	}
	if out == k {
		return ""
	}
	return out
}

// withoutLegalForm returns name without a leading legal form or a trailing English one, as
// written; a name that is nothing but a legal form is returned whole.
func withoutLegalForm(name string) string {
	words := strings.Fields(name)
	keys := make([][]string, len(words)) // each word's folded tokens ("Co.,Ltd" has two)
	var flat []string
	for i, w := range words {
		keys[i] = strings.Fields(models.FoldKey(w))
		flat = append(flat, keys[i]...)
	}
	// cut returns how many words make up exactly n tokens from the start (or from the end), or -1.
	cut := func(n int, fromEnd bool) int {
		got := 0
		for i := range words {
			j := i
			if fromEnd {
				j = len(words) - 1 - i
			}
			got += len(keys[j])
			if got == n {
				return i + 1
			}
			if got > n {
				return -1
			}
		}
		return -1
	}
	from, to := 0, len(words)
	joined := strings.Join(flat, " ")
	for _, p := range legalForms {
		if strings.HasPrefix(joined, p+" ") {
			if n := cut(len(strings.Fields(p)), false); n > 0 {
				from = n
			}
			break
		}
	}
	for _, sfx := range legalSuffixes {
		if strings.HasSuffix(joined, " "+sfx) {
			if n := cut(len(strings.Fields(sfx)), true); n > 0 {
				to = len(words) - n
			}
			break
		}
	}
	rest := words[from:max(from, to)]
	restKey := models.FoldKey(strings.Join(rest, " "))
	if len(rest) == 0 || slices.Contains(legalForms, restKey) || slices.Contains(legalSuffixes, restKey) {
		return name
	}
	return strings.Join(rest, " ")
}

// sortKey is the key a name sorts by: folded, without the legal form.
func sortKey(name string) string {
	if k := stripLegalForm(name); k != "" {
		return k
	}
	return models.FoldKey(name)
}

// phraseSet collects phrases once each, ignoring case.
type phraseSet struct {
	seen map[string]bool
	list []string
}

func (p *phraseSet) add(s string) {
	s = normalizeText(strings.TrimSpace(s))
	if s != "" {
		p.put(s, strings.ToLower(s))
	}
}

func (p *phraseSet) put(s, key string) {
	if p.seen[key] {
		return
	}
	if p.seen == nil {
		p.seen = map[string]bool{}
	}
	p.seen[key] = true
	p.list = append(p.list, s)
}

func (p *phraseSet) text() string { return strings.Join(p.list, phraseSeparator) }

func appendUnique(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}
