package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/sample"
	"github.com/hanoi-cnht/portal/models/store"
	"github.com/hanoi-cnht/portal/models/store/storetest"
	"github.com/hanoi-cnht/portal/search"
)

// uiFixture is a real server over a real store and index, filled with sample firms and a few
// firms made by hand to test particular pages. Tests share it and only read from it.
type uiFixture struct {
	dir   string
	srv   *Server
	store *store.Store
	index *search.Index
	// Firms made by hand, by slug.
	scriptFirm string // description with <script>, and the word "zyxwidget"
	viOnlyFirm string // no English text; verified, claimed and expired certificates
	sector     models.Term
	product    models.Term
	zone       string
}

// uiSampleSize is how many sample firms the shared fixture holds: enough for several pages of
// results in every sector, small enough to build in a few seconds.
const uiSampleSize = 300

var (
	uiOnce    sync.Once
	uiShared  *uiFixture
	uiErr     error
	uiDataDir string
)

// postgresTests are the tests that run a second time on PostgreSQL when PORTAL_TEST_DATABASE_URL
// is set: the real program end to end (one and two instances), accounts, and every route's
// authorization, which between them write and read every table.
const postgresTests = "^(TestEndToEnd|TestMigrateStore.*|TestTwoInstances.*|TestInstance.*|TestLogin.*|TestSignUp.*|TestStateChangingRoutes.*|TestAuthorization.*|TestPagesThatNeedAnAccount)$"

func TestMain(m *testing.M) {
	code := storetest.Run(m, postgresTests)
	if liveStop != nil {
		liveStop()
	}
	if uiShared != nil {
		uiShared.close()
	}
	if benchUI != nil {
		benchUI.close()
		os.RemoveAll(benchUI.dir)
	}
	if uiDataDir != "" {
		os.RemoveAll(uiDataDir)
	}
	os.Exit(code)
}

// sharedUI returns the fixture shared by the read-only page tests, building it on first use.
func sharedUI(t testing.TB) *uiFixture {
	t.Helper()
	uiOnce.Do(func() {
		uiDataDir, uiErr = os.MkdirTemp("", "portal-ui-")
		if uiErr == nil {
			uiShared, uiErr = newUIFixture(uiDataDir, uiSampleSize)
		}
	})
	if uiErr != nil {
		t.Fatalf("build the page fixture: %v", uiErr)
	}
	return uiShared
}

func newUIFixture(dir string, samples int) (*uiFixture, error) {
	ctx := context.Background()
	db, err := store.Open(dir)
	if err != nil {
		return nil, err
	}
	ref := db.Reference()
	if samples > 0 {
		if _, err := db.SaveFirms(ctx, sample.Generate(ref, 2026, 0, samples)); err != nil {
			db.Close()
			return nil, fmt.Errorf("save sample firms: %w", err)
		}
	}
	f := &uiFixture{dir: dir, store: db}
	if err := f.addHandmadeFirms(ctx); err != nil {
		db.Close()
		return nil, err
	}
	index, err := search.Open(filepath.Join(dir, "index"), db)
	if err != nil {
		db.Close()
		return nil, err
	}
	f.index = index
	if f.srv, err = NewServer(db, index); err != nil {
		f.close()
		return nil, err
	}
	return f, nil
}

func (f *uiFixture) close() {
	if f.index != nil {
		f.index.Close()
	}
	f.store.Close()
}

// addHandmadeFirms adds the firms whose content the tests check.
func (f *uiFixture) addHandmadeFirms(ctx context.Context) error {
	ref := f.store.Reference()
	f.sector = ref.TermsOfKind(models.KindSector)[0]
	for _, p := range ref.TermsOfKind(models.KindProduct) {
		if p.Parent == f.sector.Code {
			f.product = p
			break
		}
	}
	processes := ref.TermsOfKind(models.KindProcess)
	f.zone = "kcn-thang-long"
	now := time.Now()
	verifiedAt := now.AddDate(0, -2, 0)
	y := now.Year()
	script := &models.Firm{
		TaxCode: "0109990001", NameVI: "Công ty TNHH Kiểm Thử Zyx", NameEN: "Zyx Test Company Limited",
		DescriptionVI: "Linh kiện zyxwidget <script>alert('vi')</script> chất lượng cao.",
		DescriptionEN: "Precision zyxwidget parts <script>alert('en')</script> & <b>bold</b> claims.",
		Employees:     45, Ownership: models.OwnershipPrivate, FoundedYear: 2005,
		Terms: []models.Term{f.sector, f.product, processes[0]},
		Sites: []models.Site{{Address: "Lô 1", District: "017", Zone: f.zone}},
	}
	viOnly := &models.Firm{
		TaxCode: "0109990002", NameVI: "Công ty Cổ phần Cơ khí Quvortex",
		DescriptionVI: "Gia công cơ khí chính xác quvortex cho ngành ô tô và xe máy.",
		Employees:     150, Ownership: models.OwnershipJointVenture, FoundedYear: 1999,
		Website: "https://quvortex.example.vn", Email: "sales@quvortex.example.vn", Phone: "+84 24 3888 9999",
		ContactName: "Nguyễn Văn A",
		Terms:       []models.Term{f.sector, f.product, processes[1]},
		Certificates: []models.Certificate{
			{Standard: "ISO 9001", Edition: "2015", Number: "VN-123", Issuer: "Bureau Veritas",
				IssuedOn: models.DateOf(y-1, 1, 10), Expires: models.DateOf(y+2, 1, 9), VerifiedAt: &verifiedAt},
			{Standard: "ISO 14001", Edition: "2015", IssuedOn: models.DateOf(y-1, 3, 1), Expires: models.DateOf(y+2, 2, 28)},
			{Standard: "IATF 16949", Edition: "2016", IssuedOn: models.DateOf(y-5, 1, 1), Expires: models.DateOf(y-2, 1, 1)},
		},
		KeyCustomers:  models.StringList{"Honda Vietnam"},
		ExportMarkets: models.StringList{"JP", "Hàn Quốc"},
		Recognitions:  []models.Recognition{{Year: y - 1, Product: "Bánh răng côn xoắn"}},
		Sites:         []models.Site{{Address: "Số 5 đường Hồng Hà", Ward: "Phúc Thịnh", District: "017", Zone: f.zone}},
	}
	if _, err := f.store.SaveFirms(ctx, []*models.Firm{script, viOnly}); err != nil {
		return fmt.Errorf("save handmade firms: %w", err)
	}
	f.scriptFirm, f.viOnlyFirm = script.Slug, viOnly.Slug
	return nil
}

// uiResponse is a page fetched through the server, parsed.
type uiResponse struct {
	Status int
	Header http.Header
	Body   string
	Doc    *goquery.Document
}

// uiGet requests path from the server with optional headers given as name, value pairs.
func uiGet(t testing.TB, h http.Handler, path string, headers ...string) *uiResponse {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body := rec.Body.String()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("GET %s: parse: %v", path, err)
	}
	return &uiResponse{Status: rec.Code, Header: rec.Header(), Body: body, Doc: doc}
}

// messageIDText is what a message id looks like if it leaks onto a page untranslated.
var messageIDText = regexp.MustCompile(`^[a-z]+(\.[a-z0-9_]+)+$`)

// checkCommonPage checks what every page must have, in lang.
func checkCommonPage(t *testing.T, r *uiResponse, lang, path string) {
	t.Helper()
	doc := r.Doc
	if got, _ := doc.Find("html").Attr("lang"); got != lang {
		t.Errorf("html lang = %q, want %q", got, lang)
	}
	if strings.TrimSpace(doc.Find("title").Text()) == "" {
		t.Error("no title")
	}
	if d, _ := doc.Find(`meta[name=description]`).Attr("content"); strings.TrimSpace(d) == "" {
		t.Error("no meta description")
	}
	for _, sel := range []string{"header", "nav", "main#main", "footer", "a.skip-link[href='#main']"} {
		if doc.Find(sel).Length() == 0 {
			t.Errorf("no %s", sel)
		}
	}
	if n := doc.Find("h1").Length(); n != 1 {
		t.Errorf("%d h1 elements, want 1", n)
	}
	checkHeadingOrder(t, doc)
	if doc.Find("[style]").Length() > 0 {
		t.Error("an inline style attribute (CSP allows none)")
	}
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		if src, ok := s.Attr("src"); !ok || !strings.HasPrefix(src, "/static/") {
			t.Errorf("inline or foreign script: %s", s.Text())
		}
	})
	doc.Find("body *").Not("a.url").Contents().Each(func(_ int, s *goquery.Selection) {
		if goquery.NodeName(s) == "#text" && messageIDText.MatchString(strings.TrimSpace(s.Text())) {
			t.Errorf("raw message id on the page: %q", strings.TrimSpace(s.Text()))
		}
	})
	for _, attr := range []string{"aria-label", "placeholder", "title", "content", "data-msg-count"} {
		doc.Find("[" + attr + "]").Each(func(_ int, s *goquery.Selection) {
			if v, _ := s.Attr(attr); messageIDText.MatchString(v) {
				t.Errorf("raw message id in %s: %q", attr, v)
			}
		})
	}

	u, _ := url.Parse(path)
	base := basePath(u.Path)
	other := "en"
	if lang == "en" {
		other = "vi"
	}
	canonical, ok := doc.Find(`link[rel=canonical]`).Attr("href")
	if !ok || !strings.HasPrefix(canonical, "http") {
		t.Errorf("canonical = %q, want an absolute URL", canonical)
	}
	alts := map[string]string{}
	doc.Find(`link[rel=alternate][hreflang]`).Each(func(_ int, s *goquery.Selection) {
		alts[s.AttrOr("hreflang", "")] = s.AttrOr("href", "")
	})
	for _, l := range []string{"vi", "en", "x-default"} {
		a, err := url.Parse(alts[l])
		if err != nil || a.Host == "" {
			t.Errorf("hreflang %s alternate = %q", l, alts[l])
			continue
		}
		wantPath := localPath(l, base)
		if l == "x-default" {
			wantPath = base
		}
		if a.Path != wantPath {
			t.Errorf("hreflang %s alternate path = %q, want %q", l, a.Path, wantPath)
		}
		if !sameFilters(a.Query(), u.Query()) {
			t.Errorf("hreflang %s alternate %q loses the query of %q", l, alts[l], path)
		}
	}
	sw := doc.Find("a.lang-switch")
	if sw.Length() != 1 {
		t.Fatalf("%d language switch links", sw.Length())
	}
	if sw.AttrOr("hreflang", "") != other || sw.AttrOr("lang", "") != other {
		t.Errorf("language switch hreflang=%q lang=%q, want %q", sw.AttrOr("hreflang", ""), sw.AttrOr("lang", ""), other)
	}
	want := localPath(other, base)
	if u.RawQuery != "" {
		want += "?" + u.RawQuery
	}
	if href := sw.AttrOr("href", ""); href != want {
		t.Errorf("language switch href = %q, want %q", href, want)
	}
}

// sameFilters compares queries ignoring the default first page.
func sameFilters(a, b url.Values) bool {
	return canonicalValues(a).Encode() == canonicalValues(b).Encode()
}

// checkHeadingOrder fails when a heading skips a level on the way down.
func checkHeadingOrder(t *testing.T, doc *goquery.Document) {
	t.Helper()
	last := 0
	doc.Find("h1, h2, h3, h4, h5, h6").Each(func(_ int, s *goquery.Selection) {
		level := int(goquery.NodeName(s)[1] - '0')
		if last > 0 && level > last+1 {
			t.Errorf("heading %q is h%d after h%d", strings.TrimSpace(s.Text()), level, last)
		}
		last = level
	})
}

func TestPagesRenderInBothLanguages(t *testing.T) {
	f := sharedUI(t)
	paths := []string{
		"/",
		"/search",
		"/search?q=nh%E1%BB%B1a",
		"/search?q=plastic&sector=" + url.QueryEscape(f.sector.Code) + "&page=1",
		"/search?sector=" + url.QueryEscape(f.sector.Code) + "&cert=ISO+9001&sort=name&page=2",
		"/search?q=qqqqzzzzxx",
		"/suppliers/" + f.viOnlyFirm,
		"/suppliers/" + f.scriptFirm,
		"/browse",
		"/browse/sector/" + f.sector.Code,
		"/browse/product/" + f.product.Code,
		"/browse/zone/" + f.zone,
		"/browse/district/017",
		"/browse/corridor/" + f.store.Reference().Corridors[0].Code,
		"/browse/process/" + f.store.Reference().TermsOfKind(models.KindProcess)[0].Code,
		"/browse/material/" + f.store.Reference().TermsOfKind(models.KindMaterial)[0].Code,
		"/about",
	}
	for _, lang := range languages {
		for _, p := range paths {
			path := localPath(lang, p)
			if p == "/" && lang == "en" {
				path = "/en/"
			}
			t.Run(lang+path, func(t *testing.T) {
				r := uiGet(t, f.srv, path)
				if r.Status != http.StatusOK {
					t.Fatalf("status %d: %s", r.Status, r.Body)
				}
				checkCommonPage(t, r, lang, path)
			})
		}
	}
}

func TestHomePage(t *testing.T) {
	f := sharedUI(t)
	for _, lang := range languages {
		t.Run(lang, func(t *testing.T) {
			r := uiGet(t, f.srv, localPath(lang, "/"))
			doc := r.Doc
			form := doc.Find("form[role=search]")
			if form.AttrOr("action", "") != localPath(lang, "/search") || form.AttrOr("method", "") != "get" {
				t.Errorf("search form action=%q method=%q", form.AttrOr("action", ""), form.AttrOr("method", ""))
			}
			in := form.Find("input#q[name=q][role=combobox]")
			if in.Length() != 1 || in.AttrOr("aria-controls", "") != "q-list" {
				t.Error("the search box is not a combobox controlling the suggestion list")
			}
			if doc.Find(`label[for=q]`).Length() != 1 {
				t.Error("the search box has no label")
			}
			tiles := doc.Find(".tiles .tile")
			if tiles.Length() != len(f.store.Reference().TermsOfKind(models.KindSector)) {
				t.Errorf("%d sector tiles", tiles.Length())
			}
			if !strings.Contains(tiles.First().AttrOr("href", ""), localPath(lang, "/browse/sector/")) {
				t.Errorf("tile links to %q", tiles.First().AttrOr("href", ""))
			}
			figures := doc.Find(".figure-value")
			if figures.Length() != 3 {
				t.Fatalf("%d headline figures", figures.Length())
			}
			total, _ := f.store.CountFirms(context.Background())
			if got := figures.Eq(0).Text(); got != formatNumber(lang, int(total)) {
				t.Errorf("firms listed = %q, want %d", got, total)
			}
			if !strings.HasSuffix(figures.Eq(1).Text(), "%") {
				t.Errorf("certified share = %q", figures.Eq(1).Text())
			}
			if n := doc.Find("#latest-heading + .cards .card").Length(); n != latestCount {
				t.Errorf("%d latest profiles, want %d", n, latestCount)
			}
		})
	}
}

func TestSearchPageFiltersAndPaging(t *testing.T) {
	f := sharedUI(t)
	for _, lang := range languages {
		t.Run(lang, func(t *testing.T) {
			path := localPath(lang, "/search") + "?sector=" + url.QueryEscape(f.sector.Code)
			r := uiGet(t, f.srv, path)
			doc := r.Doc
			if r.Status != 200 {
				t.Fatalf("status %d", r.Status)
			}
			chips := doc.Find(".chips a.chip")
			if chips.Length() != 1 || !strings.Contains(chips.Text(), f.sector.Label(lang)) {
				t.Fatalf("chips = %q, want the sector %q", chips.Text(), f.sector.Label(lang))
			}
			if href := chips.AttrOr("href", ""); href != localPath(lang, "/search") {
				t.Errorf("removing the only filter leads to %q", href)
			}
			sel := doc.Find(`[data-facet=sector] a.is-selected`)
			if sel.Length() != 1 || sel.AttrOr("aria-current", "") != "true" {
				t.Errorf("the chosen sector is not marked selected in its facet")
			}
			for _, key := range []string{"sector", "product", "process", "cert", "corridor", "district", "zone", "size"} {
				if doc.Find(`[data-facet=`+key+`] .facet-link .count`).Length() == 0 {
					t.Errorf("facet %s shows no counts", key)
				}
			}
			found, err := f.srv.searchSuppliers(context.Background(), url.Values{"sector": {f.sector.Code}}, lang)
			if err != nil {
				t.Fatal(err)
			}
			if want := f.srv.views.messages.tr(lang, "search.count", "Count", found.Result.Total); doc.Find("#results-heading").Text() != want {
				t.Errorf("count = %q, want %q", doc.Find("#results-heading").Text(), want)
			}
			cards := doc.Find(".cards .card")
			if cards.Length() != len(found.Firms) {
				t.Errorf("%d cards, want %d", cards.Length(), len(found.Firms))
			}
			for i, firm := range found.Firms {
				if href := cards.Eq(i).Find(".card-title a").AttrOr("href", ""); href != supplierPath(lang, firm.Slug) {
					t.Errorf("result %d links to %q, want %q", i, href, supplierPath(lang, firm.Slug))
				}
			}
			next := doc.Find(`.pagination a[rel=next]`).AttrOr("href", "")
			nu, _ := url.Parse(next)
			if nu.Query().Get("page") != "2" || nu.Query().Get("sector") != f.sector.Code {
				t.Fatalf("next page link %q loses the filter or the page", next)
			}
			r2 := uiGet(t, f.srv, next)
			if r2.Doc.Find(`.pagination a[aria-current=page]`).Text() != "Page 2" && !strings.HasSuffix(r2.Doc.Find(`.pagination a[aria-current=page]`).Text(), "2") {
				t.Errorf("page 2 is not marked current")
			}
			if r2.Doc.Find(".cards .card").First().Find("a").AttrOr("href", "") == cards.First().Find("a").AttrOr("href", "") {
				t.Error("page 2 shows the first result of page 1")
			}
			// Adding a second facet value keeps the first.
			add := doc.Find(`[data-facet=cert] a.facet-link`).First().AttrOr("href", "")
			au, _ := url.Parse(add)
			if au.Query().Get("sector") != f.sector.Code || au.Query().Get("cert") == "" || au.Query().Has("page") {
				t.Errorf("a facet link %q does not add to the current filters", add)
			}
			// Sort form carries the filters.
			if doc.Find(`form[data-sort] input[type=hidden][name=sector]`).AttrOr("value", "") != f.sector.Code {
				t.Error("the sort form drops the filter")
			}
		})
	}
}

func TestSearchPagePartialResults(t *testing.T) {
	f := sharedUI(t)
	r := uiGet(t, f.srv, "/en/search?sector="+url.QueryEscape(f.sector.Code), "X-Partial", "results")
	if r.Status != 200 {
		t.Fatalf("status %d", r.Status)
	}
	if !strings.HasPrefix(r.Body, `<div id="results-region"`) || strings.Contains(r.Body, "<html") {
		t.Errorf("the partial is not just the results region: %.80s", r.Body)
	}
	if !slices.Contains(r.Header.Values("Vary"), "X-Partial") {
		t.Errorf("Vary = %q, want X-Partial", r.Header.Values("Vary"))
	}
	if r.Doc.Find(".cards .card").Length() == 0 {
		t.Error("no results in the partial")
	}
}

func TestSearchPageEmptyResultsSuggestChanges(t *testing.T) {
	f := sharedUI(t)
	for _, lang := range languages {
		t.Run(lang, func(t *testing.T) {
			path := localPath(lang, "/search") + "?q=zyxwidget&zone=kcn-noi-bai"
			r := uiGet(t, f.srv, path)
			if r.Status != 200 {
				t.Fatalf("status %d", r.Status)
			}
			if r.Doc.Find(".cards .card").Length() != 0 {
				t.Skip("the fixture has a zyxwidget firm in Noi Bai")
			}
			if r.Doc.Find(".empty").Length() != 1 {
				t.Fatal("no empty-result help")
			}
			var dropped bool
			r.Doc.Find(".empty-tips a").Each(func(_ int, s *goquery.Selection) {
				u, _ := url.Parse(s.AttrOr("href", ""))
				if u.Query().Get("q") == "zyxwidget" && !u.Query().Has("zone") {
					dropped = true
				}
			})
			if !dropped {
				t.Errorf("no link to the search without the park filter: %s", r.Doc.Find(".empty").Text())
			}
		})
	}
}

func TestSearchPageBadParameters(t *testing.T) {
	f := sharedUI(t)
	for _, lang := range languages {
		for _, q := range []string{"page=abc", "page=0", "sector=no-such-sector", "sort=sideways", "per_page=100000",
			"verified=maybe", "q=" + strings.Repeat("x", 500) + "&page=-1"} {
			t.Run(lang+"/"+q[:min(len(q), 20)], func(t *testing.T) {
				path := localPath(lang, "/search") + "?" + q
				r := uiGet(t, f.srv, path)
				if r.Status != http.StatusBadRequest {
					t.Fatalf("status %d, want 400", r.Status)
				}
				if got, _ := r.Doc.Find("html").Attr("lang"); got != lang {
					t.Errorf("error page in %q, want %q", got, lang)
				}
				param := strings.SplitN(q, "=", 2)[0]
				if strings.HasPrefix(q, "q=") {
					param = "page"
				}
				if !strings.Contains(r.Doc.Find("main").Text(), "“"+param+"”") {
					t.Errorf("the page does not name the parameter %q: %s", param, r.Doc.Find("main").Text())
				}
				fix := r.Doc.Find(".error-page a").First().AttrOr("href", "")
				if fu, _ := url.Parse(fix); fu.Query().Has(param) {
					t.Errorf("the fix link %q keeps the bad parameter", fix)
				}
			})
		}
	}
}

func TestSearchHighlightsAreEscaped(t *testing.T) {
	f := sharedUI(t)
	for _, lang := range languages {
		t.Run(lang, func(t *testing.T) {
			r := uiGet(t, f.srv, localPath(lang, "/search")+"?q=zyxwidget")
			card := r.Doc.Find(".cards .card").First()
			if card.Length() == 0 {
				t.Fatal("the zyxwidget firm was not found")
			}
			if card.Find(".snippet mark").Length() == 0 {
				t.Errorf("no highlighted word in %q", card.Find(".snippet").Text())
			}
			if strings.Contains(r.Body, "<script>alert") || strings.Contains(r.Body, "<b>bold") {
				t.Error("markup from a firm's description reached the page unescaped")
			}
			if r.Doc.Find("main script, main b").Length() > 0 {
				t.Error("a script or b element inside main")
			}
			if !strings.Contains(card.Find(".snippet").Text(), "<script>") {
				t.Errorf("the escaped text is missing from the snippet: %q", card.Find(".snippet").Text())
			}
			// The firm's descriptions in both languages match; the one not in the page's
			// language says which it is.
			other := map[string]string{"vi": "en", "en": "vi"}[lang]
			marked := card.Find(".snippet span[lang]")
			if marked.Length() != 1 || marked.AttrOr("lang", "") != other || marked.Find("mark").Length() == 0 {
				html, _ := card.Find(".snippet").Html()
				t.Errorf("want one snippet marked lang=%q: %s", other, html)
			}
			wantWord := map[string]string{"vi": "Precision", "en": "Linh kiện"}[lang]
			if !strings.Contains(marked.Text(), wantWord) {
				t.Errorf("the %s snippet reads %q", other, marked.Text())
			}
		})
	}
	if got := safeHighlight(`a <mark>b</mark> <img src=x onerror=alert(1)>`); strings.Contains(string(got), "<img") {
		t.Errorf("safeHighlight let markup through: %s", got)
	}
}

func TestSupplierPage(t *testing.T) {
	f := sharedUI(t)
	ref := f.store.Reference()
	firm, err := f.store.FirmBySlug(context.Background(), f.viOnlyFirm)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("EnglishShowsVietnameseOnlyText", func(t *testing.T) {
		r := uiGet(t, f.srv, supplierPath("en", f.viOnlyFirm))
		doc := r.Doc
		if doc.Find("h1").AttrOr("lang", "") != "vi" {
			t.Error("the Vietnamese name on the English page has no lang=vi")
		}
		desc := doc.Find(".description p[lang=vi]")
		if !strings.Contains(desc.Text(), "quvortex") {
			t.Errorf("the Vietnamese description is not marked lang=vi: %q", doc.Find(".description").Text())
		}
		if doc.Find(".description .vi-only").Text() != "Vietnamese only" {
			t.Error("no visible Vietnamese-only mark")
		}
		var labels []string
		doc.Find(".tags a").Each(func(_ int, s *goquery.Selection) { labels = append(labels, s.Text()) })
		if !slices.Contains(labels, f.product.LabelEN) || !slices.Contains(labels, f.sector.LabelEN) {
			t.Errorf("taxonomy terms %q are not in English", labels)
		}
		if href := doc.Find(".tags a").First().AttrOr("href", ""); !strings.HasPrefix(href, "/en/browse/") {
			t.Errorf("a term links to %q, not its browse page", href)
		}
		markets := doc.Find("#trade-heading").Parent().Text()
		if !strings.Contains(markets, "Japan") || !strings.Contains(markets, "South Korea") {
			t.Errorf("export markets not named in English: %q", markets)
		}
		if !strings.Contains(doc.Find("#spcncl-heading").Parent().Text(), "Bánh răng côn xoắn") {
			t.Error("no SPCNCL recognition")
		}
		zone, _ := ref.Zone(f.zone)
		if doc.Find(`.site-meta a[href="/en/browse/zone/`+f.zone+`"]`).Text() != zone.Label("en") {
			t.Error("the site's park is not shown and linked")
		}
		if doc.Find(`.site-meta a[href^="/en/browse/corridor/"]`).Length() == 0 {
			t.Error("the site's corridor is not shown")
		}
		if doc.Find(`.contact a[href^="mailto:"]`).Length() != 1 || doc.Find(`.contact a[href^="tel:+84"]`).Length() != 1 {
			h, _ := doc.Find(".contact").Html()
			t.Errorf("contact details missing: %s", h)
		}
		if doc.Find(".updated time").AttrOr("datetime", "") != firm.UpdatedAt.Format("2006-01-02") {
			t.Error("no last-updated date")
		}
	})
	t.Run("CertificateStatuses", func(t *testing.T) {
		for _, lang := range languages {
			doc := uiGet(t, f.srv, supplierPath(lang, f.viOnlyFirm)).Doc
			want := map[string]string{"ISO 9001:2015": "verified", "ISO 14001:2015": "claimed", "IATF 16949:2016": "expired"}
			doc.Find(".cert-list .cert").Each(func(_ int, s *goquery.Selection) {
				label := s.Find(".cert-title strong").Text()
				status := want[label]
				if !s.Find(".badge").HasClass("badge-" + status) {
					t.Errorf("%s: certificate %s has badge %q, want %s", lang, label, s.Find(".badge").AttrOr("class", ""), status)
				}
				if s.Find("time[datetime]").Length() != 1 {
					t.Errorf("%s: certificate %s shows no expiry date", lang, label)
				}
				delete(want, label)
			})
			if len(want) > 0 {
				t.Errorf("%s: certificates not shown: %v", lang, want)
			}
		}
	})
	t.Run("SimilarSuppliersLeaveOutTheFirm", func(t *testing.T) {
		doc := uiGet(t, f.srv, supplierPath("vi", f.viOnlyFirm)).Doc
		similar := doc.Find(".similar .card")
		if similar.Length() == 0 {
			t.Fatal("no similar suppliers")
		}
		similar.Each(func(_ int, s *goquery.Selection) {
			if s.Find("a").AttrOr("href", "") == supplierPath("vi", f.viOnlyFirm) {
				t.Error("the firm is listed as similar to itself")
			}
		})
	})
	t.Run("PrintStylesheet", func(t *testing.T) {
		css, _ := f.srv.views.assets.url("app.css")
		r := uiGet(t, f.srv, css)
		if !strings.Contains(r.Body, "@media print") {
			t.Error("no print styles")
		}
	})
}

func TestNotFoundPages(t *testing.T) {
	f := sharedUI(t)
	for _, tc := range []struct{ path, lang string }{
		{"/suppliers/no-such-firm", "vi"},
		{"/en/suppliers/no-such-firm", "en"},
		{"/no/such/page", "vi"},
		{"/en/no/such/page", "en"},
		{"/browse/sector/no-such-sector", "vi"},
		{"/en/browse/planet/earth", "en"},
		{"/en/browse/zone/kcn-thang-long?page=x", "en"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			r := uiGet(t, f.srv, tc.path)
			if r.Status != http.StatusNotFound {
				t.Fatalf("status %d, want 404", r.Status)
			}
			if got, _ := r.Doc.Find("html").Attr("lang"); got != tc.lang {
				t.Errorf("lang %q, want %q", got, tc.lang)
			}
			want := f.srv.views.messages.tr(tc.lang, "error.404.heading")
			if r.Doc.Find("h1").Text() != want {
				t.Errorf("h1 = %q, want %q", r.Doc.Find("h1").Text(), want)
			}
			if r.Doc.Find(`meta[name=robots][content=noindex]`).Length() != 1 {
				t.Error("error page is indexable")
			}
		})
	}
}

func TestErrorPageFallsBackToText(t *testing.T) {
	f := sharedUI(t)
	srv := *f.srv
	srv.views = &views{pages: map[string]*template.Template{}, messages: f.srv.views.messages, assets: f.srv.views.assets}
	req := httptest.NewRequest(http.MethodGet, "/en/whatever", nil)
	rec := httptest.NewRecorder()
	c := srv.echo.NewContext(req, rec)
	if err := srv.renderError(c, http.StatusInternalServerError); err != nil {
		t.Fatal(err)
	}
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "500 Internal Server Error") {
		t.Errorf("fallback = %d %q", rec.Code, rec.Body.String())
	}
}

func TestEnglishOffer(t *testing.T) {
	f := sharedUI(t)
	for _, tc := range []struct {
		name    string
		path    string
		headers []string
		offer   bool
	}{
		{"EnglishBrowserFirstVisit", "/?x=1", []string{"Accept-Language", "en-GB,en;q=0.9"}, true},
		{"VietnameseBrowser", "/", []string{"Accept-Language", "vi-VN,vi;q=0.9,en;q=0.5"}, false},
		{"NoPreference", "/", nil, false},
		{"ReturningVisitor", "/", []string{"Accept-Language", "en-US", "Cookie", "lang=vi"}, false},
		{"EnglishPage", "/en/", []string{"Accept-Language", "en-US"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := uiGet(t, f.srv, tc.path, tc.headers...)
			offer := r.Doc.Find("[data-offer]")
			if (offer.Length() == 1) != tc.offer {
				t.Fatalf("offer shown = %v, want %v", offer.Length() == 1, tc.offer)
			}
			if tc.offer {
				if href := offer.Find(`a[hreflang=en]`).AttrOr("href", ""); href != "/en/?x=1" {
					t.Errorf("the offer links to %q", href)
				}
				if offer.AttrOr("lang", "") != "en" {
					t.Error("the English offer is not marked lang=en")
				}
				if href := offer.Find("[data-dismiss]").AttrOr("href", ""); href != tc.path {
					t.Errorf("dismiss links to %q, want %q", href, tc.path)
				}
				if !strings.Contains(r.Header.Get("Set-Cookie"), "lang=vi") {
					t.Errorf("no lang cookie set: %q", r.Header.Get("Set-Cookie"))
				}
			}
		})
	}
}

func TestSampleDataNotice(t *testing.T) {
	f := sharedUI(t)
	for _, p := range []string{"/", "/en/about"} {
		if uiGet(t, f.srv, p).Doc.Find(".notice-sample").Length() != 1 {
			t.Errorf("%s: no sample-data notice while sample firms are loaded", p)
		}
	}

	t.Run("GoneOnceSampleFirmsAreDeleted", func(t *testing.T) {
		own, err := newUIFixture(t.TempDir(), 3)
		if err != nil {
			t.Fatal(err)
		}
		defer own.close()
		if uiGet(t, own.srv, "/").Doc.Find(".notice-sample").Length() != 1 {
			t.Fatal("no notice with sample firms")
		}
		ctx := context.Background()
		for _, firm := range sample.Generate(own.store.Reference(), 2026, 0, 3) {
			stored, err := own.store.FirmByTaxCode(ctx, firm.TaxCode)
			if err != nil {
				t.Fatal(err)
			}
			if err := own.store.DeleteFirm(ctx, models.SystemActor("test"), stored.ID, ""); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range []string{"/", "/about"} {
			doc := uiGet(t, own.srv, p).Doc
			if doc.Find(".notice-sample").Length() != 0 {
				t.Errorf("%s: sample notice still shown after the sample firms were deleted", p)
			}
		}
	})
}

func TestStaticAssets(t *testing.T) {
	f := sharedUI(t)
	doc := uiGet(t, f.srv, "/").Doc
	css := doc.Find(`link[rel=stylesheet]`).AttrOr("href", "")
	js := doc.Find(`script[src]`).AttrOr("src", "")
	icon := doc.Find(`link[rel=icon]`).AttrOr("href", "")
	hashed := regexp.MustCompile(`^/static/[a-z]+\.[0-9a-f]{8}\.(css|js|svg)$`)
	for _, u := range []string{css, js, icon} {
		if !hashed.MatchString(u) {
			t.Errorf("%q is not a content-hashed static URL", u)
			continue
		}
		r := uiGet(t, f.srv, u)
		if r.Status != 200 {
			t.Errorf("%s: status %d", u, r.Status)
		}
		if cc := r.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", u, cc)
		}
	}
	if r := uiGet(t, f.srv, "/static/app.00000000.css"); r.Status != 404 {
		t.Errorf("an unknown hash answered %d", r.Status)
	}
	if r := uiGet(t, f.srv, "/static/app.css"); r.Status != 200 || r.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("the plain name answered %d with Cache-Control %q", r.Status, r.Header.Get("Cache-Control"))
	}
}

func TestRobotsAndSitemap(t *testing.T) {
	f := sharedUI(t)
	robots := uiGet(t, f.srv, "/robots.txt")
	if !strings.Contains(robots.Body, "Sitemap: http://example.com/sitemap.xml") {
		t.Errorf("robots.txt: %s", robots.Body)
	}
	r := uiGet(t, f.srv, "/sitemap.xml")
	if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/xml") {
		t.Fatalf("status %d, type %q", r.Status, r.Header.Get("Content-Type"))
	}
	var set struct {
		URLs []struct {
			Loc   string `xml:"loc"`
			Links []struct {
				Hreflang string `xml:"hreflang,attr"`
				Href     string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(r.Body), &set); err != nil {
		t.Fatal(err)
	}
	locs := map[string]bool{}
	for _, u := range set.URLs {
		locs[u.Loc] = true
		if len(u.Links) != 3 {
			t.Errorf("%s has %d alternates, want vi, en and x-default", u.Loc, len(u.Links))
		}
	}
	total, _ := f.store.CountFirms(context.Background())
	firms := 0
	for loc := range locs {
		if strings.Contains(loc, "/suppliers/") {
			firms++
		}
	}
	if firms != 2*int(total) {
		t.Errorf("%d supplier URLs, want %d", firms, 2*total)
	}
	for _, p := range []string{"/", "/browse", "/about", "/browse/sector/" + f.sector.Code, "/browse/zone/" + f.zone,
		"/browse/district/017", "/browse/product/" + f.product.Code, "/suppliers/" + f.viOnlyFirm} {
		for _, lang := range languages {
			if u := "http://example.com" + localPath(lang, p); !locs[u] {
				t.Errorf("sitemap lacks %s", u)
			}
		}
	}
}

// TestSitemapSplitsIntoFiles checks that a sitemap with more firms than one file takes becomes an
// index of files that together list every profile once, and the other pages in the first file.
func TestSitemapSplitsIntoFiles(t *testing.T) {
	f := sharedUI(t)
	srv, err := NewServer(f.store, f.index)
	if err != nil {
		t.Fatal(err)
	}
	srv.baseURL = "https://cnht.example"
	srv.sitemapFirms = 150
	total, _ := f.store.CountFirms(context.Background())
	files := (int(total) + 149) / 150

	r := uiGet(t, srv, "/sitemap.xml")
	var index struct {
		XMLName xml.Name
		Maps    []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"sitemap"`
	}
	if err := xml.Unmarshal([]byte(r.Body), &index); err != nil {
		t.Fatal(err)
	}
	if index.XMLName.Local != "sitemapindex" || len(index.Maps) != files {
		t.Fatalf("got <%s> with %d files, want a sitemapindex of %d", index.XMLName.Local, len(index.Maps), files)
	}
	seen := map[string]int{}
	for i, m := range index.Maps {
		want := fmt.Sprintf("https://cnht.example/sitemap-%d.xml", i+1)
		if m.Loc != want || m.LastMod == "" {
			t.Errorf("file %d: %+v, want %s with a lastmod", i+1, m, want)
		}
		r := uiGet(t, srv, strings.TrimPrefix(m.Loc, "https://cnht.example"))
		if r.Status != 200 {
			t.Fatalf("%s: status %d", m.Loc, r.Status)
		}
		var set struct {
			URLs []struct {
				Loc string `xml:"loc"`
			} `xml:"url"`
		}
		if err := xml.Unmarshal([]byte(r.Body), &set); err != nil {
			t.Fatal(err)
		}
		home := false
		for _, u := range set.URLs {
			seen[u.Loc]++
			home = home || u.Loc == "https://cnht.example/"
		}
		if home != (i == 0) {
			t.Errorf("%s lists the home page: %v", m.Loc, home)
		}
	}
	firms := 0
	for loc, n := range seen {
		if n != 1 {
			t.Errorf("%s listed %d times", loc, n)
		}
		if strings.Contains(loc, "/suppliers/") {
			firms++
		}
	}
	if firms != 2*int(total) {
		t.Errorf("%d supplier URLs, want %d", firms, 2*total)
	}
	for _, p := range []string{"/sitemap-0.xml", fmt.Sprintf("/sitemap-%d.xml", files+1), "/sitemap-01.xml", "/sitemap-x.xml", "/sitemap-1.txt"} {
		if r := uiGet(t, srv, p); r.Status != 404 {
			t.Errorf("%s: status %d, want 404", p, r.Status)
		}
	}
	// Unsplit, there are no numbered files.
	if r := uiGet(t, f.srv, "/sitemap-1.xml"); r.Status != 404 {
		t.Errorf("/sitemap-1.xml of an unsplit sitemap: status %d", r.Status)
	}
}

func TestSuggestFragment(t *testing.T) {
	f := sharedUI(t)
	r := uiGet(t, f.srv, "/en/search/suggest?q="+url.QueryEscape(f.sector.LabelEN[:4]))
	if r.Status != 200 {
		t.Fatalf("status %d", r.Status)
	}
	opts := r.Doc.Find(`li[role=option]`)
	if opts.Length() == 0 {
		t.Fatalf("no options: %s", r.Body)
	}
	opts.Each(func(i int, s *goquery.Selection) {
		if s.AttrOr("id", "") != fmt.Sprintf("q-opt-%d", i) || !strings.HasPrefix(s.AttrOr("data-href", ""), "/en/") {
			t.Errorf("option %d: id %q href %q", i, s.AttrOr("id", ""), s.AttrOr("data-href", ""))
		}
	})
	if r := uiGet(t, f.srv, "/search/suggest?q="+strings.Repeat("a", 200)); r.Status != 400 {
		t.Errorf("an over-long prefix answered %d", r.Status)
	}
}

// TestResultsPageSize keeps a results page under 100 KB as transferred, before images.
func TestResultsPageSize(t *testing.T) {
	f := sharedUI(t)
	doc := uiGet(t, f.srv, "/en/search?q=parts").Doc
	total := 0
	for _, u := range []string{"/en/search?q=parts", doc.Find(`link[rel=stylesheet]`).AttrOr("href", ""), doc.Find(`script[src]`).AttrOr("src", ""),
		doc.Find(`link[rel=icon]`).AttrOr("href", "")} {
		total += transferredSize(t, f.srv, u)
	}
	t.Logf("results page with its CSS, JS and logo: %d bytes gzipped", total)
	if total > 100*1024 {
		t.Errorf("results page transfers %d bytes, want under 100 KB", total)
	}
}

// transferredSize is the gzip-compressed size of a response, or its size when not compressed.
func transferredSize(t testing.TB, h http.Handler, path string) int {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("%s: status %d", path, rec.Code)
	}
	if rec.Header().Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(rec.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, zr)
	}
	return rec.Body.Len()
}

var (
	benchOnce sync.Once
	benchUI   *uiFixture
	benchErr  error
)

// BenchmarkSearchPage measures the server time of results pages over the full sample set (the
// 950 firms a new database starts with), reporting the median and the 99th percentile:
// go test ./app -run '^$' -bench BenchmarkSearchPage -benchtime 3000x
func BenchmarkSearchPage(b *testing.B) {
	benchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "portal-bench-")
		if err != nil {
			benchErr = err
			return
		}
		benchUI, benchErr = newUIFixture(dir, sampleSize)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	f := benchUI
	ref := f.store.Reference()
	queries := []string{
		"/search?q=nh%E1%BB%B1a",
		"/en/search?q=plastic+injection",
		"/en/search?sector=" + ref.TermsOfKind(models.KindSector)[0].Code + "&cert=ISO+9001",
		"/search?q=khuon+mau&district=017&page=2",
		"/en/search?q=wire+harness&sort=name",
		"/en/search",
	}
	// The whole page, as a browser gets it, with every search computed afresh.
	b.Run("PageUncached", func(b *testing.B) {
		reportPercentiles(b, func(i int) {
			f.srv.cache.clear()
			req := httptest.NewRequest(http.MethodGet, queries[i%len(queries)], nil)
			rec := httptest.NewRecorder()
			f.srv.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Fatalf("%s: status %d", req.URL, rec.Code)
			}
		})
	})
	// The whole page with the search cache warm, as repeated searches find it.
	b.Run("Page", func(b *testing.B) {
		reportPercentiles(b, func(i int) {
			req := httptest.NewRequest(http.MethodGet, queries[i%len(queries)], nil)
			rec := httptest.NewRecorder()
			f.srv.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Fatalf("%s: status %d", req.URL, rec.Code)
			}
		})
	})
	// The search and the loading of its firms alone, to tell the page's own share.
	b.Run("SearchOnly", func(b *testing.B) {
		reportPercentiles(b, func(i int) {
			f.srv.cache.clear()
			u, _ := url.Parse(queries[i%len(queries)])
			lang := pageLang(f.srv.echo.NewContext(httptest.NewRequest(http.MethodGet, u.Path, nil), nil))
			if _, err := f.srv.searchSuppliers(context.Background(), u.Query(), lang); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkSourcingPage measures the server time of the find-suppliers page over the full
// sample set, each requirement of six criteria matched afresh (the page keeps no cache):
// go test ./app -run '^$' -bench BenchmarkSourcingPage -benchtime 1000x
func BenchmarkSourcingPage(b *testing.B) {
	benchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "portal-bench-")
		if err != nil {
			benchErr = err
			return
		}
		benchUI, benchErr = newUIFixture(dir, sampleSize)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	f := benchUI
	row := func(n int, kind, value string, required bool, weight string) string {
		q := url.Values{}
		q.Set("k"+strconv.Itoa(n), kind)
		q.Set("v"+strconv.Itoa(n), value)
		if required {
			q.Set("n"+strconv.Itoa(n), "required")
		}
		if weight != "" {
			q.Set("w"+strconv.Itoa(n), weight)
		}
		return "&" + q.Encode()
	}
	pages := []string{
		"/en/find-suppliers?q=brackets+for+air+conditioners" + row(1, "process", "stamping", true, "") +
			row(2, "cert", "IATF 16949", true, "") + row(3, "corridor", "Hà Nội – Hải Phòng", false, "2") +
			row(4, "size", "medium", false, "") + row(5, "market", "JP", false, "") + row(6, "equipment", "press ≥ 200 t", false, ""),
		"/find-suppliers?q=" + row(1, "process", "ép phun nhựa", true, "") + row(2, "cert", "ISO 9001", true, "") +
			row(3, "material", "engineering-plastic", false, "") + row(4, "district", "Mê Linh", false, "") +
			row(5, "ownership", "fdi", false, "") + row(6, "near", "21.115, 105.785, 20", false, ""),
		"/find-suppliers?q=gia+c%C3%B4ng+c%C6%A1+kh%C3%AD+ch%C3%ADnh+x%C3%A1c" + row(1, "sector", "co-khi", true, "") +
			row(2, "process", "cnc-machining", true, "") + row(3, "equipment", "CNC ≥ 5 trục", false, "3") +
			row(4, "cert", "ISO 14001", false, "") + row(5, "zone", "KCN Thăng Long", false, "") + row(6, "spcncl", "có", false, ""),
		"/en/find-suppliers?q=" + row(1, "product", "wire-harness", true, "") + row(2, "cert", "IATF 16949", true, "") +
			row(3, "market", "Japan", true, "") + row(4, "size", "large", false, "") +
			row(5, "corridor", "ql5-hai-phong", false, "") + row(6, "ownership", "jv", false, "") + "&near_misses=1",
		"/en/find-suppliers?q=" + row(1, "process", "powder-coating", false, "") + row(2, "district", "279", false, "") +
			row(3, "size", "small", false, "") + row(4, "cert", "ISO 9001", false, "") + row(5, "market", "KR", false, "") +
			row(6, "near", "20.86, 105.87, 15", false, ""),
	}
	reportPercentiles(b, func(i int) {
		req := httptest.NewRequest(http.MethodGet, pages[i%len(pages)], nil)
		rec := httptest.NewRecorder()
		f.srv.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("%s: status %d", req.URL, rec.Code)
		}
	})
}

// reportPercentiles runs fn b.N times and reports the median and 99th percentile time.
func reportPercentiles(b *testing.B, fn func(i int)) {
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		fn(i)
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	pct := func(p float64) float64 {
		return float64(times[min(len(times)-1, int(float64(len(times))*p))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

func TestTrimFragment(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"…t-German <mark>parts</mark> maker of die-casting mac…", "…<mark>parts</mark> maker of die-casting…"},
		{"<mark>parts</mark> for cars", "<mark>parts</mark> for cars"},
		{"…ab<mark>parts</mark>", "…ab<mark>parts</mark>"},
		{"Whole sentence, <mark>parts</mark> and more…", "Whole sentence, <mark>parts</mark> and…"},
	} {
		if got := trimFragment(tc.in); got != tc.want {
			t.Errorf("trimFragment(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
