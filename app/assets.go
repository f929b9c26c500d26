package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
)

// assetSet publishes the static files under names that carry a hash of their content
// ("app.3f9a1c2b.css"), so browsers may keep them for a year: a changed file gets a new name.
type assetSet struct {
	byHashed map[string]*asset
	hashed   map[string]string // plain name → hashed name
}

type asset struct {
	body        []byte
	contentType string
	hashed      bool
}

func newAssetSet(fsys fs.FS) (*assetSet, error) {
	set := &assetSet{byHashed: map[string]*asset{}, hashed: map[string]string{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(name, ".go") {
			return err
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		hashedName := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		ctype := mime.TypeByExtension(ext)
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		set.hashed[name] = hashedName
		set.byHashed[hashedName] = &asset{body: body, contentType: ctype, hashed: true}
		// The plain name keeps working for anything that cannot know the hash, uncached.
		set.byHashed[name] = &asset{body: body, contentType: ctype}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("static files: %w", err)
	}
	for _, required := range []string{"app.css", "app.js", "logo.svg"} {
		if _, ok := set.hashed[required]; !ok {
			return nil, fmt.Errorf("static file %s is missing", required)
		}
	}
	return set, nil
}

// url is the address of a static file under its hashed name, for templates: {{ asset "app.css" }}.
func (a *assetSet) url(name string) (string, error) {
	h, ok := a.hashed[name]
	if !ok {
		return "", fmt.Errorf("no static file %q", name)
	}
	return "/static/" + h, nil
}

func (s *Server) static(c echo.Context) error {
	a, ok := s.views.assets.byHashed[c.Param("*")]
	if !ok {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	if a.hashed {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	return c.Blob(http.StatusOK, a.contentType, a.body)
}

func (s *Server) robots(c echo.Context) error {
	origin := s.origin(c)
	body := "User-agent: *\nDisallow: /api/\nDisallow: /search/suggest\nDisallow: /en/search/suggest\n\nSitemap: " +
		origin + "/sitemap.xml\n"
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	return c.String(http.StatusOK, body)
}

// sitemapSet is sitemap.xml: every page in both languages, each entry naming its other language.
type sitemapSet struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	XHTML   string       `xml:"xmlns:xhtml,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string        `xml:"loc"`
	LastMod string        `xml:"lastmod,omitempty"`
	Links   []sitemapLink `xml:"xhtml:link"`
}

type sitemapLink struct {
	Rel      string `xml:"rel,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

func (s *Server) sitemap(c echo.Context) error {
	ctx := c.Request().Context()
	origin := s.origin(c)
	set := sitemapSet{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", XHTML: "http://www.w3.org/1999/xhtml"}
	add := func(base string, modified time.Time) {
		links := make([]sitemapLink, 0, len(languages)+1)
		for _, l := range languages {
			links = append(links, sitemapLink{Rel: "alternate", Hreflang: l, Href: origin + localPath(l, base)})
		}
		links = append(links, sitemapLink{Rel: "alternate", Hreflang: "x-default", Href: origin + base})
		lastmod := ""
		if !modified.IsZero() {
			lastmod = modified.UTC().Format(time.DateOnly)
		}
		for _, l := range languages {
			set.URLs = append(set.URLs, sitemapURL{Loc: origin + localPath(l, base), LastMod: lastmod, Links: links})
		}
	}
	for _, p := range []string{"/", "/browse", "/about"} {
		add(p, time.Time{})
	}
	entries, err := s.browseEntries(ctx)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Count > 0 {
			add(browsePath(e.Kind, e.Code), time.Time{})
		}
	}
	err = s.store.EachFirm(ctx, 500, func(firms []*models.Firm) error {
		for _, f := range firms {
			add("/suppliers/"+pathEscape(f.Slug), f.UpdatedAt)
		}
		return nil
	})
	if err != nil {
		return err
	}
	out, err := xml.Marshal(set)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	return c.Blob(http.StatusOK, "application/xml; charset=utf-8", append([]byte(xml.Header), out...))
}

// browseEntry is one browse page with the number of firms in it.
type browseEntry struct {
	Kind  string
	Code  string
	Count int
}

// browseEntries lists every browse page with its count, from one search without a query.
func (s *Server) browseEntries(ctx context.Context) ([]browseEntry, error) {
	counts, err := s.facetCounts(ctx)
	if err != nil {
		return nil, err
	}
	var out []browseEntry
	for _, k := range browseKinds {
		for _, code := range k.codes(s.store.Reference()) {
			out = append(out, browseEntry{Kind: k.Name, Code: code, Count: counts[k.Name][code]})
		}
	}
	return out, nil
}
