package sample

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hanoi-cnht/portal/models"
)

// writeDescriptions writes two to four sentences about the firm, in Vietnamese and, for some
// firms, in English, picking among several openings and sentence shapes so profiles differ.
func (w *sampleWorld) writeDescriptions(sf *sampleFirm) {
	r := sf.r
	ctx := descContext{
		name:      sf.NameVI,
		short:     sf.ShortName,
		year:      sf.FoundedYear,
		employees: sf.Employees,
		area:      100 * (3 + r.IntN(8) + sf.Employees/4),
		certs:     sf.currentCertLabels(w.asOf),
	}
	sf.describeIn(&ctx, "vi")
	// Which sentences to write: an opening, then two or three of the others, in a fixed order.
	picks := sentencePlan(r, ctx)
	sf.DescriptionVI = composeDescription(ctx, picks, "vi")
	if sf.english {
		ctx.name = sf.NameEN
		if sf.ShortName == sf.core.vi {
			ctx.short = sf.core.en
		}
		sf.describeIn(&ctx, "en")
		sf.DescriptionEN = composeDescription(ctx, picks, "en")
	}
}

// describeIn fills in the parts of c that are written in a language. Each call draws the
// industries anew from the firm's generator, so calls must stay in the same order for a seed to
// give the same firms.
func (sf *sampleFirm) describeIn(c *descContext, lang string) {
	c.products = termLabels(firstN(sf.productTerms(), 3), lang)
	c.processes = termLabels(sf.processes, lang)
	c.materials = termLabels(sf.materials, lang)
	c.machines = phraseSide(sf.machines, lang)
	c.customers = phraseSide(firstN(sf.customers, 2), lang)
	c.industries = phraseSide(pickN(sf.r, sf.sector.profile.industries, 2+sf.r.IntN(2)), lang)
	c.markets = countryNames(sf.ExportMarkets, lang)
	c.sector, c.place, c.qc = lowerFirst(sf.sector.term.LabelVI), sf.place, sf.qc.vi
	if lang == "en" {
		c.sector, c.place, c.qc = lowerFirst(sf.sector.term.LabelEN), sf.placeEN, sf.qc.en
	}
}

func (sf *sampleFirm) productTerms() []models.Term {
	out := make([]models.Term, len(sf.products))
	for i, p := range sf.products {
		out[i] = p.term
	}
	return out
}

func (sf *sampleFirm) currentCertLabels(asOf time.Time) []string {
	var out []string
	for _, c := range sf.Certificates {
		if c.Current(asOf) {
			out = append(out, c.Label())
		}
	}
	return out
}

func termLabels(ts []models.Term, lang string) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = lowerFirst(t.Label(lang))
	}
	return out
}

func phraseSide(ps []phrase, lang string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.vi
		if lang == "en" {
			out[i] = p.en
		}
	}
	return out
}

func countryNames(codes []string, lang string) []string {
	var out []string
	for _, c := range codes {
		if country, ok := models.ResolveCountry(c); ok {
			out = append(out, country.Label(lang))
		}
	}
	return out
}

// descContext is what a sentence template can say about a firm, in one language.
type descContext struct {
	name, short, sector, place, qc                                  string
	year, employees, area                                           int
	products, processes, materials, machines, customers, industries []string
	markets, certs                                                  []string
}

// placeSaid reports whether a sentence names the firm's place, so a later one need not repeat it.
func placeSaid(s string, c descContext) bool { return c.place != "" && strings.Contains(s, c.place) }

// sentencePlan picks, for each kind, which template is used, or -1 to leave that kind out. The
// same plan drives both languages, so the English text says what the Vietnamese says.
func sentencePlan(r *rand.Rand, c descContext) [4]int {
	plan := [4]int{}
	for k := range plan {
		plan[k] = -1
		var options []int
		for i, s := range descSentences {
			if s.kind == k && s.ok(c) {
				options = append(options, i)
			}
		}
		if len(options) > 0 {
			plan[k] = choose(r, options)
		}
	}
	// Keep the opening and one to three of the rest.
	keep := 1 + r.IntN(3)
	for _, k := range r.Perm(3) {
		if plan[k+1] < 0 {
			continue
		}
		if keep == 0 {
			plan[k+1] = -1
			continue
		}
		keep--
	}
	return plan
}

// composeDescription writes the planned sentences in one language.
func composeDescription(c descContext, plan [4]int, lang string) string {
	var parts []string
	for _, i := range plan {
		if i < 0 {
			continue
		}
		s := descSentences[i]
		text := s.vi(c)
		if lang == "en" {
			text = s.en(c)
		}
		if placeSaid(text, c) {
			c.place = ""
		}
		parts = append(parts, text)
	}
	return strings.Join(parts, " ")
}

func joinVI(xs []string) string { return joinList(xs, " và ") }

func joinEN(xs []string) string { return joinList(xs, " and ") }

// joinList writes "a, b and c", or "a; b; c" when an item has commas of its own (taxonomy labels
// such as "Bơm, van" would otherwise run together).
func joinList(xs []string, and string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	for _, x := range xs {
		if strings.Contains(x, ",") {
			return strings.Join(xs, "; ")
		}
	}
	return strings.Join(xs[:len(xs)-1], ", ") + and + xs[len(xs)-1]
}

// thousands writes n with a thousands separator: "1.200" in Vietnamese, "1,200" in English.
func thousands(n int, sep string) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	return s
}

// lowerFirst lowers a label's first letter for use mid-sentence, unless it starts an acronym
// ("SMT assembly", "PCB").
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	next, _ := utf8.DecodeRuneInString(s[n:])
	if unicode.IsUpper(next) || unicode.IsDigit(next) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
