package main

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
)

type errorData struct {
	Status  int
	Heading string
	Message string
	Fix     string // a link that may fix the request, such as the search without a bad parameter
	Home    string
	Search  string
}

// renderError shows the error page for status in the request's language; if even that fails,
// a line of plain text.
func (s *Server) renderError(c echo.Context, status int) error {
	lang := pageLang(c)
	key := "error.500"
	switch {
	case status == http.StatusNotFound || status == http.StatusMethodNotAllowed:
		key = "error.404"
	case status == http.StatusRequestEntityTooLarge:
		key = "error.413"
	case status >= 400 && status < 500:
		key = "error.400"
	}
	if c.Request().Method == http.MethodHead {
		return c.NoContent(status)
	}
	p := s.newPage(c, "", s.tr(c, key+".title"), s.tr(c, key+".heading"))
	p.NoIndex = true
	p.Data = errorData{Status: status, Heading: s.tr(c, key+".heading"), Message: s.tr(c, key+".message"),
		Home: localPath(lang, "/"), Search: localPath(lang, "/search")}
	if err := s.render(c, status, "error", p); err != nil {
		slog.Error("render error page", "status", status, "err", err)
		return c.String(status, strconv.Itoa(status)+" "+http.StatusText(status))
	}
	return nil
}
