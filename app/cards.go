package main

import (
	"html"
	"html/template"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/search"
)

// resultList is one page of results as the templates show it.
type resultList struct {
	Lang  string
	Total int
	Count string // "123 suppliers"
	Cards []firmCard
	Pages *pagination
}

// firmCard is one firm in a list of results.
type firmCard struct {
	Lang        string
	Name        string
	NameLang    string // "vi" when an English page shows the Vietnamese name
	URL         string
	Highlights  []snippet
	Summary     string
	SummaryLang string
	Sectors     []string
	Certs       []certBadge
	Location    string
	// Matched says why the firm was found: "gears (from the Vietnamese description)".
	Matched []string
}

// snippet is a highlighted piece of a description; Lang is set when it is not in the page's
// language, so the page can say so.
type snippet struct {
	HTML template.HTML
	Lang string
}

// resultList builds the cards, count and page links of a search, linking pages under self.
func (s *Server) resultList(c echo.Context, found *supplierSearch, values url.Values, self string) *resultList {
	lang := pageLang(c)
	ref := s.store.Reference()
	now := s.now()
	res := found.Result
	list := &resultList{Lang: lang, Total: res.Total, Count: s.tr(c, "search.count", "Count", res.Total)}
	hits := make(map[uint]search.Hit, len(res.Hits))
	for _, h := range res.Hits {
		hits[h.ID] = h
	}
	for _, f := range found.Firms {
		card := firmCard{Lang: lang, Name: f.DisplayName(lang), URL: supplierPath(lang, f.Slug),
			Matched: s.matchTexts(lang, hits[f.ID].Matched)}
		if lang == "en" && f.NameEN == "" {
			card.NameLang = "vi"
		}
		for _, sn := range hits[f.ID].Highlights {
			v := snippet{HTML: safeHighlight(sn.Text)}
			if sn.Lang != lang {
				v.Lang = sn.Lang
			}
			card.Highlights = append(card.Highlights, v)
		}
		if len(card.Highlights) == 0 {
			text, textLang := f.DescriptionVI, "vi"
			if lang == "en" && f.DescriptionEN != "" {
				text, textLang = f.DescriptionEN, ""
			} else if lang == "vi" {
				textLang = ""
			}
			card.Summary, card.SummaryLang = excerpt(text, 180), textLang
		}
		for _, t := range f.TermsOf(models.KindSector) {
			card.Sectors = append(card.Sectors, t.Label(lang))
		}
		card.Certs = s.certBadges(c, f.Certificates, now, false)
		card.Location = siteLocation(ref, f.MainSite(), lang)
		list.Cards = append(list.Cards, card)
	}
	list.Pages = s.paginate(c, res, values, self)
	return list
}

// safeHighlight trusts a highlight only if its sole markup is <mark>: search escapes the text
// around the marks, and this guards the page should that ever change.
func safeHighlight(h string) template.HTML {
	bare := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(h)
	if !strings.ContainsAny(bare, "<>") {
		return template.HTML(trimFragment(h))
	}
	return template.HTML(html.EscapeString(bare))
}

// trimFragment drops the broken word a snippet starts or ends with ("…t-German Motorcycle"),
// where the highlighter cut the text; it never cuts into a <mark>.
func trimFragment(h string) string {
	const cut, maxWord = "…", 24
	if rest, ok := strings.CutPrefix(h, cut); ok {
		if i, tag := strings.IndexByte(rest, ' '), strings.IndexByte(rest, '<'); i >= 0 && i < maxWord && (tag < 0 || i < tag) {
			h = cut + rest[i+1:]
		}
	}
	if rest, ok := strings.CutSuffix(h, cut); ok {
		if i, tag := strings.LastIndexByte(rest, ' '), strings.LastIndexByte(rest, '>'); i >= 0 && len(rest)-i < maxWord && i > tag {
			h = strings.TrimRight(rest[:i], ",.;:– ") + cut
		}
	}
	return h
}

// excerpt cuts text to about n characters at a word boundary.
func excerpt(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	cut := string(r[:n])
	if i := strings.LastIndex(cut, " "); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, ",.;:–- ") + "…"
}

// siteLocation is "District · Park" for a site.
func siteLocation(ref *models.Reference, site *models.Site, lang string) string {
	if site == nil {
		return ""
	}
	var parts []string
	if d, ok := ref.District(site.District); ok {
		parts = append(parts, d.Label(lang))
	}
	if z, ok := ref.Zone(site.Zone); ok {
		parts = append(parts, z.Label(lang))
	}
	return strings.Join(parts, " · ")
}
