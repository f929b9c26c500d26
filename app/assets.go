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
	"strconv"
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

// sitemapFirmsPerFile is how many firms one sitemap file lists: two URLs each, well under the
// protocol's 50,000 URLs and 50 MB a file. With more firms, /sitemap.xml is a sitemap index of
// /sitemap-1.xml, /sitemap-2.xml, …, and the first of those also lists the other pages.
const sitemapFirmsPerFile = 20_000

// sitemapIndex is sitemap.xml when the sitemap is split into several files.
type sitemapIndex struct {
	XMLName xml.Name     `xml:"sitemapindex"`
	NS      string       `xml:"xmlns,attr"`
	Maps    []sitemapRef `xml:"sitemap"`
}

type sitemapRef struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// sitemap answers /sitemap.xml: every page in both languages, or an index of the files that
// list them when there are more firms than one file takes. Firms are read without their details,
// so the sitemap of 100,000 firms is a light query.
func (s *Server) sitemap(c echo.Context) error {
	firms, err := s.store.FirmStamps(c.Request().Context())
	if err != nil {
		return err
	}
	if len(firms) <= s.sitemapFirms {
		return s.writeSitemap(c, firms, true)
	}
	index := sitemapIndex{NS: sitemapNS}
	for n := 1; (n-1)*s.sitemapFirms < len(firms); n++ {
		var latest time.Time
		for _, f := range s.sitemapFile(firms, n) {
			if f.UpdatedAt.After(latest) {
				latest = f.UpdatedAt
			}
		}
		index.Maps = append(index.Maps, sitemapRef{
			Loc:     fmt.Sprintf("%s/sitemap-%d.xml", s.origin(c), n),
			LastMod: latest.UTC().Format(time.DateOnly),
		})
	}
	return writeXML(c, index)
}

// sitemapPart answers /sitemap-N.xml, file N of a split sitemap.
func (s *Server) sitemapPart(c echo.Context) error {
	digits, ok := strings.CutSuffix(c.Param("part"), ".xml")
	n, err := strconv.Atoi(digits)
	if !ok || err != nil || n < 1 || digits != strconv.Itoa(n) {
		return echo.ErrNotFound
	}
	firms, err := s.store.FirmStamps(c.Request().Context())
	if err != nil {
		return err
	}
	if len(firms) <= s.sitemapFirms || (n-1)*s.sitemapFirms >= len(firms) {
		return echo.ErrNotFound
	}
	return s.writeSitemap(c, s.sitemapFile(firms, n), n == 1)
}

// sitemapFile returns the firms sitemap file n (from 1) lists.
func (s *Server) sitemapFile(firms []models.FirmStamp, n int) []models.FirmStamp {
	return firms[(n-1)*s.sitemapFirms : min(n*s.sitemapFirms, len(firms))]
}

// writeSitemap writes a sitemap of firms' profiles and, with pages, of the home, browse and
// about pages.
func (s *Server) writeSitemap(c echo.Context, firms []models.FirmStamp, pages bool) error {
	origin := s.origin(c)
	set := sitemapSet{NS: sitemapNS, XHTML: "http://www.w3.org/1999/xhtml"}
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
	if pages {
		for _, p := range []string{"/", "/browse", "/about"} {
			add(p, time.Time{})
		}
		entries, err := s.browseEntries(c.Request().Context())
		if err != nil {
			return err
		}
		for _, e := range entries {
			if e.Count > 0 {
				add(browsePath(e.Kind, e.Code), time.Time{})
			}
		}
	}
	for _, f := range firms {
		add("/suppliers/"+pathEscape(f.Slug), f.UpdatedAt)
	}
	return writeXML(c, set)
}

func writeXML(c echo.Context, v any) error {
	out, err := xml.Marshal(v)
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
