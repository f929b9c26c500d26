package main

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/labstack/echo/v4"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/hanoi-cnht/portal/locales"
	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/auth"
	"github.com/hanoi-cnht/portal/models/exchange"
	"github.com/hanoi-cnht/portal/models/store"
	"github.com/hanoi-cnht/portal/models/upload"
	"github.com/hanoi-cnht/portal/static"
	"github.com/hanoi-cnht/portal/templates"
)

// languages are the site's languages; Vietnamese is served at the root, English under /en.
var languages = []string{"vi", "en"}

// pageTemplates are the pages: every template file but the shared ones and the fragments. Each
// is parsed once over the layout and the shared partials.
func pageTemplates() ([]string, error) {
	names, err := fs.Glob(templates.FS, "*.html")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range names {
		name := strings.TrimSuffix(n, ".html")
		if !slices.Contains(sharedTemplates, n) && !slices.Contains(fragmentTemplates, name) {
			out = append(out, name)
		}
	}
	return out, nil
}

// fragmentTemplates render without the layout.
var fragmentTemplates = []string{"suggest"}

// sharedTemplates are parsed into every page's set.
var sharedTemplates = []string{"layout.html", "partials.html", "forms.html", "profile_form.html", "buyer_partials.html"}

// views holds everything pages are rendered with: the template sets, the messages in both
// languages and the hashed names of the static files. It is built once at start.
type views struct {
	pages    map[string]*template.Template
	messages *catalog
	assets   *assetSet
	sample   sampleFlag
	bufs     sync.Pool
}

// newViews parses every template and message file, failing if a page, a message file or a
// message a template uses is missing.
func newViews() (*views, error) {
	msgs, err := loadCatalog(locales.FS)
	if err != nil {
		return nil, err
	}
	assets, err := newAssetSet(static.FS)
	if err != nil {
		return nil, err
	}
	v := &views{pages: map[string]*template.Template{}, messages: msgs, assets: assets}
	v.bufs.New = func() any { return new(bytes.Buffer) }
	funcs := v.funcs()
	pages, err := pageTemplates()
	if err != nil {
		return nil, err
	}
	for _, name := range pages {
		files := append(append([]string{}, sharedTemplates...), name+".html")
		t, err := template.New(name).Funcs(funcs).ParseFS(templates.FS, files...)
		if err != nil {
			return nil, fmt.Errorf("parse page template %s: %w", name, err)
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("page template %s defines no content", name)
		}
		v.pages[name] = t
	}
	for _, name := range fragmentTemplates {
		t, err := template.New(name).Funcs(funcs).ParseFS(templates.FS, "partials.html", name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse fragment template %s: %w", name, err)
		}
		v.pages[name] = t
	}
	used, err := templateMessageIDs(templates.FS)
	if err != nil {
		return nil, err
	}
	if err := msgs.require(append(used, codeMessageIDs()...)); err != nil {
		return nil, err
	}
	return v, nil
}

func (v *views) funcs() template.FuncMap {
	return template.FuncMap{
		"t":        v.messages.tr,
		"asset":    v.assets.url,
		"local":    localPath,
		"num":      formatNumber,
		"date":     formatDate,
		"datetime": formatDateTime,
		"join":     func(list []string) string { return strings.Join(list, ", ") },
		"field":    formField,
		"choice":   choiceOf,
		// changeLabel names a changed field in the page's language.
		"changeLabel": v.messages.changeLabel,
	}
}

// catalog holds the messages of every language. Messages without arguments or plural forms
// are kept as plain strings, so most lookups are a map read.
type catalog struct {
	plain      map[string]map[string]string
	ids        map[string]map[string]bool
	localizers map[string]*i18n.Localizer
}

func loadCatalog(fsys fs.FS) (*catalog, error) {
	bundle := i18n.NewBundle(language.Vietnamese)
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &catalog{plain: map[string]map[string]string{}, ids: map[string]map[string]bool{},
		localizers: map[string]*i18n.Localizer{}}
	for _, lang := range languages {
		c.plain[lang], c.ids[lang] = map[string]string{}, map[string]bool{}
		files, err := localeFiles(fsys, lang)
		if err != nil {
			return nil, err
		}
		for _, name := range files {
			file, err := bundle.LoadMessageFileFS(fsys, name)
			if err != nil {
				return nil, fmt.Errorf("load messages %s: %w", name, err)
			}
			for _, m := range file.Messages {
				if c.ids[lang][m.ID] {
					return nil, fmt.Errorf("message %s is in more than one %s file", m.ID, lang)
				}
				c.ids[lang][m.ID] = true
				if m.One == "" && !strings.Contains(m.Other, "{{") {
					c.plain[lang][m.ID] = m.Other
				}
			}
		}
		c.localizers[lang] = i18n.NewLocalizer(bundle, lang)
	}
	return c, nil
}

// localeFiles are a language's message files: LANG.toml and AREA.LANG.toml (account.vi.toml).
func localeFiles(fsys fs.FS, lang string) ([]string, error) {
	names, err := fs.Glob(fsys, "*.toml")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range names {
		if n == lang+".toml" || strings.HasSuffix(n, "."+lang+".toml") {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no message file for %s", lang)
	}
	return out, nil
}

// require fails naming every message id that is missing in a language.
func (c *catalog) require(ids []string) error {
	var missing []string
	for _, lang := range languages {
		for _, id := range ids {
			if !c.ids[lang][id] {
				missing = append(missing, lang+":"+id)
			}
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return fmt.Errorf("messages missing: %s", strings.Join(missing, ", "))
	}
	return nil
}

// tr translates id into lang. args are name/value pairs for the message's template; a "Count"
// picks the plural form and is also offered formatted for lang as "N".
func (c *catalog) tr(lang, id string, args ...any) string {
	if len(args) == 0 {
		if s, ok := c.plain[lang][id]; ok {
			return s
		}
	}
	data := make(map[string]any, len(args)/2+1)
	for i := 0; i+1 < len(args); i += 2 {
		if k, ok := args[i].(string); ok {
			data[k] = args[i+1]
		}
	}
	lc := &i18n.LocalizeConfig{MessageID: id, TemplateData: data}
	if n, ok := data["Count"]; ok {
		lc.PluralCount = n
		if i, ok := n.(int); ok {
			data["N"] = formatNumber(lang, i)
		}
	}
	loc, ok := c.localizers[lang]
	if !ok || !c.ids[lang][id] {
		slog.Warn("message missing", "lang", lang, "id", id)
		return id
	}
	s, err := loc.Localize(lc)
	if err != nil {
		slog.Warn("message failed", "lang", lang, "id", id, "err", err)
		return id
	}
	return s
}

// messageCall finds the message ids templates pass to t: {{ t .Lang "search.title" }}.
var messageCall = regexp.MustCompile(`\bt\s+(?:\$?[\w.]*|"[a-z]{2}")\s+"([a-z0-9_.]+)"`)

// templateMessageIDs returns every message id the templates use.
func templateMessageIDs(fsys fs.FS) ([]string, error) {
	names, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var ids []string
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		for _, m := range messageCall.FindAllSubmatch(b, -1) {
			if id := string(m[1]); !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	return ids, nil
}

// page is what the layout needs from every page, with the page's own data in Data.
type page struct {
	Lang         string
	Title        string
	Description  string
	Canonical    string
	Alternates   []alternate
	Switch       alternate
	Section      string // the navigation entry marked current
	NoIndex      bool
	SampleData   bool
	OfferEnglish string // the English page's URL, when English should be offered
	Self         string // this page's own path and query, to stay here when the offer is declined
	// Account is the signed-in account's name for the header, "" for visitors; Staff says
	// whether the staff area is offered.
	Account string
	Staff   bool
	Data    any
}

// alternate is the same page in another language.
type alternate struct {
	Lang  string
	Href  string
	Label string
}

// newPage fills what every page shows from the request: the language, the same page's URL in
// both languages (path, query and filters kept), the canonical URL and the notices.
func (s *Server) newPage(c echo.Context, section, title, description string) *page {
	lang := pageLang(c)
	r := c.Request()
	base := basePath(r.URL.Path)
	origin := s.origin(c)
	canonicalQuery := canonicalValues(r.URL.Query()).Encode()
	p := &page{Lang: lang, Title: title, Description: description, Section: section, Self: r.URL.RequestURI()}
	for _, l := range languages {
		href := origin + withQuery(localPath(l, base), canonicalQuery)
		p.Alternates = append(p.Alternates, alternate{Lang: l, Href: href})
		if l == lang {
			p.Canonical = href
		} else {
			p.Switch = alternate{Lang: l, Href: withQuery(localPath(l, base), r.URL.RawQuery),
				Label: s.views.messages.tr(l, "lang.name")}
		}
	}
	p.Alternates = append(p.Alternates, alternate{Lang: "x-default", Href: p.Alternates[0].Href})
	p.SampleData = s.hasSampleData()
	if u := userOf(c); u != nil {
		p.Account, p.Staff, p.NoIndex = cmp.Or(u.Name, u.Email), actorOf(c).IsStaff(), true
	}
	if lang == "vi" && !hasLangCookie(r) && prefersEnglish(r.Header.Get("Accept-Language")) {
		p.OfferEnglish = p.Switch.Href
	}
	rememberLang(c, lang)
	return p
}

// render executes a page template with the layout and writes it with status.
func (s *Server) render(c echo.Context, status int, name string, p *page) error {
	return s.execute(c, status, name, "layout", p)
}

// execute runs one named template of a page's set, buffered so a failure never sends half a page.
func (s *Server) execute(c echo.Context, status int, set, name string, data any) error {
	t, ok := s.views.pages[set]
	if !ok {
		return fmt.Errorf("no template set %q", set)
	}
	buf := s.views.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer s.views.bufs.Put(buf)
	if err := t.ExecuteTemplate(buf, name, data); err != nil {
		return fmt.Errorf("render %s/%s: %w", set, name, err)
	}
	h := c.Response().Header()
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// tr translates id in the language of the request.
func (s *Server) tr(c echo.Context, id string, args ...any) string {
	return s.views.messages.tr(pageLang(c), id, args...)
}

// pageLang is the language of the page: the route's, or for unrouted paths (404s) the path's.
func pageLang(c echo.Context) string {
	if l, ok := c.Get(langKey).(string); ok {
		return l
	}
	if p := c.Request().URL.Path; p == "/en" || strings.HasPrefix(p, "/en/") {
		return "en"
	}
	return "vi"
}

// basePath is the path without the /en prefix: "/en/suppliers/x" → "/suppliers/x".
func basePath(p string) string {
	if p == "/en" || p == "/en/" {
		return "/"
	}
	if strings.HasPrefix(p, "/en/") {
		return p[3:]
	}
	if p == "" {
		return "/"
	}
	return p
}

func withQuery(path, rawQuery string) string {
	if rawQuery == "" {
		return path
	}
	return path + "?" + rawQuery
}

// canonicalValues drops empty parameters and the default first page, so one result page has one URL.
func canonicalValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		if k == "lang" {
			continue
		}
		for _, x := range vs {
			if x == "" || (k == "page" && x == "1") {
				continue
			}
			out.Add(k, x)
		}
	}
	return out
}

// langCookie remembers the language a visitor last read, so the English offer is made once.
const langCookie = "lang"

func hasLangCookie(r *http.Request) bool {
	_, err := r.Cookie(langCookie)
	return err == nil
}

func rememberLang(c echo.Context, lang string) {
	if ck, err := c.Request().Cookie(langCookie); err == nil && ck.Value == lang {
		return
	}
	c.SetCookie(&http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.Scheme() == "https"})
}

// prefersEnglish reports whether the browser ranks English above Vietnamese.
func prefersEnglish(acceptLanguage string) bool {
	if acceptLanguage == "" {
		return false
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil {
		return false
	}
	for _, t := range tags {
		base, _ := t.Base()
		switch base.String() {
		case "vi":
			return false
		case "en":
			return true
		}
	}
	return false
}

// sampleFlag caches whether sample firms are loaded: it is asked on every page, changes rarely,
// and every write through the store marks it stale.
type sampleFlag struct {
	value atomic.Bool
	// checked is when value was read (Unix nanoseconds); 0 means stale.
	checked atomic.Int64
}

// sampleFlagTTL bounds how stale the flag can be if a change bypasses the store's observers.
const sampleFlagTTL = time.Minute

func (f *sampleFlag) invalidate() { f.checked.Store(0) }

// hasSampleData reports whether the database holds sample firms. No lock is held while the
// database is asked: two pages that find the flag stale may both ask, which costs a query and
// blocks no one.
func (s *Server) hasSampleData() bool {
	f := &s.views.sample
	if at := f.checked.Load(); at != 0 && time.Since(time.Unix(0, at)) < sampleFlagTTL {
		return f.value.Load()
	}
	// Not the request's context: a cancelled request must not cache "no sample data".
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	has, err := s.store.HasSampleData(ctx)
	if err != nil {
		slog.Warn("ask the database for sample firms", "err", err)
		return f.value.Load()
	}
	f.value.Store(has)
	f.checked.Store(time.Now().UnixNano())
	return has
}

// formatNumber writes n with the thousands separator of lang: 1.234 in Vietnamese, 1,234 in English.
func formatNumber(lang string, n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	sep := "."
	if lang == "en" {
		sep = ","
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// formatDate writes the day t falls on in Hanoi as people of lang read it: 02/01/2027 or
// 2 Jan 2027. A calendar date (midnight UTC) stays the same day.
func formatDate(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(models.Hanoi)
	if lang == "en" {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02/01/2006")
}

// formatDateTime writes an instant in Hanoi time as people of lang read it.
func formatDateTime(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(models.Hanoi)
	if lang == "en" {
		return t.Format("2 Jan 2006 15:04")
	}
	return t.Format("15:04 02/01/2006")
}

func itoa(n int) string { return strconv.Itoa(n) }

// codeMessageIDs are the message ids the Go code builds; newViews checks them like the
// templates' own.
func codeMessageIDs() []string {
	ids := []string{"lang.name", "browse.title", "browse.meta", "browse.page_description",
		"browse.fact.zone_kind", "browse.fact.district", "browse.fact.area", "browse.fact.area_value",
		"browse.fact.note", "browse.fact.outside_hanoi", "browse.fact.roads", "browse.fact.sector",
		"facet.more", "facet.selected", "search.title", "search.title_query", "search.meta", "search.count",
		"pagination.page", "error.400.param", "firm.meta_description", "firm.founded", "firm.employees",
		"firm.tax_code", "home.title", "home.meta", "home.figure.firms", "home.figure.share_value",
		"home.figure.certified", "home.figure.zones", "about.title", "about.meta"}
	for _, k := range browseKinds {
		ids = append(ids, "browse.kind."+k.Name, "browse.kind_one."+k.Name)
	}
	for _, k := range append(append([]string{}, zoneKinds...), "unknown") {
		ids = append(ids, "zone_kind."+zoneKindKey(k))
	}
	for _, k := range facetOrder {
		ids = append(ids, "facet."+k)
	}
	for _, k := range store.DashboardDims {
		ids = append(ids, dashboardDimTitle(k))
	}
	for _, m := range []string{models.TargetFirms, models.TargetCertifiedShare} {
		ids = append(ids, "dashboard.target."+m, "dashboard.target.value_"+m)
	}
	for _, k := range toggleFilters {
		ids = append(ids, "filter."+k)
	}
	for _, k := range sortOrders {
		ids = append(ids, "sort."+k)
	}
	for _, k := range []string{"400", "404", "413", "500"} {
		ids = append(ids, "error."+k+".title", "error."+k+".heading", "error."+k+".message")
	}
	for _, b := range models.SizeBands {
		ids = append(ids, "size."+string(b))
	}
	for _, o := range models.Ownerships {
		ids = append(ids, "ownership."+string(o))
	}
	for _, st := range certStatuses {
		ids = append(ids, "cert.status."+string(st))
	}
	for _, k := range suggestKinds {
		ids = append(ids, "suggest.kind."+k)
	}
	for _, k := range models.TermKinds {
		ids = append(ids, "firm.terms."+string(k))
	}
	// Validation errors are shown in the user's language by their key.
	ids = append(ids, models.MessageKeys()...)
	ids = append(ids, exchange.MessageKeys()...)
	for _, k := range models.TermKinds {
		ids = append(ids, "import.kind."+string(k))
	}
	ids = append(ids, auth.Keys()...)
	ids = append(ids, upload.Keys()...)
	for _, d := range doneNotices {
		ids = append(ids, "done."+d)
	}
	for _, r := range models.Roles {
		ids = append(ids, "role."+string(r))
	}
	for _, k := range append(append([]string{}, mailKeys...), mailKeysOfEvents...) {
		ids = append(ids, k+".subject", k+".body")
	}
	for _, k := range matchSources {
		ids = append(ids, "match.source."+k)
	}
	for _, f := range changeFields {
		ids = append(ids, "change."+f)
	}
	ids = append(ids, supplierMessageIDs()...)
	ids = append(ids, staffMessageIDs()...)
	ids = append(ids, sourcingMessageIDs()...)
	ids = append(ids, buyerMessageIDs()...)
	ids = append(ids, eventMessageIDs()...)
	return ids
}
