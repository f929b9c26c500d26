package main

import (
	"github.com/labstack/echo/v4"
)

// routes registers every route of the portal.
func (s *Server) routes(e *echo.Echo) {
	// Operations.
	e.GET("/healthz", s.health)

	// JSON API, shared by the public pages and later the buyer tools.
	api := e.Group("/api/v1")
	api.GET("/suppliers", s.apiSuppliers)
	api.GET("/suppliers/:id", s.apiSupplier)
	api.GET("/taxonomy", s.apiTaxonomy)
	api.GET("/suggest", s.apiSuggest)

	// Assets and crawler files.
	e.GET("/static/*", s.static)
	e.GET("/robots.txt", s.robots)
	e.GET("/sitemap.xml", s.sitemap)
	e.GET("/sitemap-:part", s.sitemapPart) // /sitemap-2.xml, when the sitemap is split

	// Public pages: Vietnamese at the root, English under /en.
	s.page(e, "/", s.homePage)
	s.page(e, "/search", s.searchPage)
	s.page(e, "/suppliers/:slug", s.supplierPage)
	s.page(e, "/browse", s.browseIndexPage)
	s.page(e, "/browse/:kind/:code", s.browsePage)
	s.page(e, "/about", s.aboutPage)
	s.page(e, "/search/suggest", s.suggestFragment)
}

// page registers a public page in both languages: path in Vietnamese and /en+path in English.
func (s *Server) page(e *echo.Echo, path string, h echo.HandlerFunc) {
	e.GET(path, withLang("vi", h))
	en := "/en" + path
	if path == "/" {
		e.GET("/en", withLang("en", h))
		en = "/en/"
	}
	e.GET(en, withLang("en", h))
}

func withLang(lang string, h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Set(langKey, lang)
		return h(c)
	}
}

const langKey = "lang"

// localPath is the path of a page in lang: "/suppliers/x" or "/en/suppliers/x".
func localPath(lang, path string) string {
	if lang != "en" {
		return path
	}
	if path == "/" {
		return "/en/"
	}
	return "/en" + path
}
