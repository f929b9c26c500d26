package main

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type aboutData struct {
	SearchURL string
	BrowseURL string
}

// aboutPage explains the portal, where its data comes from and what "verified" means.
func (s *Server) aboutPage(c echo.Context) error {
	lang := pageLang(c)
	p := s.newPage(c, "about", s.tr(c, "about.title"), s.tr(c, "about.meta"))
	p.Data = aboutData{SearchURL: localPath(lang, "/search"), BrowseURL: localPath(lang, "/browse")}
	return s.render(c, http.StatusOK, "about", p)
}
