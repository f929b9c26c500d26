package main

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models/store"
)

type aboutData struct {
	SearchURL string
	BrowseURL string
	// The programme's headline figures: firms listed, the share with a current international
	// certificate (percent) and the parks and clusters where listed firms work.
	Firms          int
	CertifiedShare float64
	Parks          int
}

// aboutPage explains the portal, where its data comes from and what "verified" means.
func (s *Server) aboutPage(c echo.Context) error {
	lang := pageLang(c)
	p := s.newPage(c, "about", s.tr(c, "about.title"), s.tr(c, "about.meta"))
	figs, err := s.store.DashboardSummary(c.Request().Context())
	if err != nil {
		return err
	}
	p.Data = aboutData{SearchURL: localPath(lang, "/search"), BrowseURL: localPath(lang, "/browse"),
		Firms: figs.Firms, CertifiedShare: figs.Share(figs.Certified), Parks: len(figs.By[store.DimZone])}
	return s.render(c, http.StatusOK, "about", p)
}
