package main

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/search"
)

// latestCount is how many recently updated profiles the home page lists.
const latestCount = 6

type homeData struct {
	Box       searchBox
	Sectors   []browseLink
	Figures   []figure
	Latest    []firmCard
	BrowseURL string
}

// figure is one headline number on the home page.
type figure struct {
	Value string
	Label string
}

func (s *Server) homePage(c echo.Context) error {
	ctx := c.Request().Context()
	lang := pageLang(c)
	counts, err := s.facetCounts(ctx)
	if err != nil {
		return err
	}
	ref := s.store.Reference()
	d := homeData{Box: newSearchBox(lang, ""), BrowseURL: localPath(lang, "/browse")}
	d.Box.Big = true
	for _, sec := range ref.TermsOfKind(models.KindSector) {
		d.Sectors = append(d.Sectors, browseLink{Label: sec.Label(lang), Count: counts["sector"][sec.Code],
			URL: localPath(lang, browsePath("sector", sec.Code))})
	}
	total := counts["total"][""]
	certified, err := s.certifiedCount(c)
	if err != nil {
		return err
	}
	zones := 0
	for _, n := range counts["zone"] {
		if n > 0 {
			zones++
		}
	}
	share := 0
	if total > 0 {
		share = (certified*100 + total/2) / total
	}
	d.Figures = []figure{
		{formatNumber(lang, total), s.tr(c, "home.figure.firms")},
		{s.tr(c, "home.figure.share_value", "Share", share), s.tr(c, "home.figure.certified")},
		{formatNumber(lang, zones), s.tr(c, "home.figure.zones")},
	}
	latest, err := s.store.LatestFirms(ctx, latestCount)
	if err != nil {
		return err
	}
	d.Latest = s.resultList(c, &supplierSearch{Firms: latest, Result: emptyResult()}, nil, "").Cards
	p := s.newPage(c, "home", s.tr(c, "home.title"), s.tr(c, "home.meta"))
	p.Data = d
	return s.render(c, http.StatusOK, "home", p)
}

func emptyResult() *search.Result { return &search.Result{} }

// certifiedCount counts firms holding at least one current certificate of a listed (international)
// standard: several values of one filter mean any of them, and expired certificates are not indexed.
func (s *Server) certifiedCount(c echo.Context) (int, error) {
	values := url.Values{"per_page": {"1"}}
	for _, st := range s.store.Reference().Standards {
		values.Add("cert", st.Code)
	}
	if len(values["cert"]) == 0 {
		return 0, nil
	}
	found, err := s.searchSuppliers(c.Request().Context(), values, pageLang(c))
	if err != nil {
		return 0, err
	}
	return found.Result.Total, nil
}
