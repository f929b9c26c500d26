package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
)

func init() {
	const staffOnly = "ldddaa"
	authzTables["dashboard"] = map[string]authzCase{
		"GET /staff/dashboard":                  {Want: staffOnly},
		"POST /staff/dashboard/targets/:target": {Path: "/staff/dashboard/targets/1", Form: url.Values{"year": {"2025"}, "value": {"45"}, "source": {"Quyết định 6126/QĐ-UBND"}}, Want: staffOnly},
		"GET /staff/dashboard/export":           {Path: "/staff/dashboard/export?table=sector&format=csv", Want: staffOnly},
		"GET /staff/dashboard/report":           {Path: "/staff/dashboard/report?day=2026-01-15", Want: staffOnly},
		"GET /staff/dashboard/spcncl/:year":     {Path: "/staff/dashboard/spcncl/2024", Want: staffOnly},
		"POST /staff/dashboard/nudge/:firm":     {Path: "/staff/dashboard/nudge/{firmA}", Want: staffOnly},
	}
}

// dashboardFixture is a portal on SQLite with samples generated firms, and a staff account.
func dashboardFixture(t *testing.T, samples int) (*authzFixture, *sql.DB) {
	t.Helper()
	dir := t.TempDir()
	ui, err := newUIFixture(dir, samples)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ui.close)
	u, err := ui.store.CreateUser(context.Background(), models.SystemActor("test"), models.UserInput{
		Email: "staff@soct.hanoi.gov.vn", Name: "Staff", Role: models.RoleStaff, Verified: true})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite3", filepath.Join(dir, store.DatabaseFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return &authzFixture{srv: ui.srv, store: ui.store, users: map[string]*models.User{"staff": u}, ids: map[string]string{}}, raw
}

// linkedTotal is how many firms the search a dashboard figure links to finds, through the API.
func linkedTotal(t *testing.T, cl *staffClient, href string) int {
	t.Helper()
	u, err := url.Parse(href)
	if err != nil {
		t.Fatal(err)
	}
	if p := strings.TrimPrefix(u.Path, "/en"); p != "/search" {
		t.Fatalf("figure links to %s, not the search", href)
	}
	r := cl.get("/api/v1/suppliers?" + u.RawQuery)
	expectStatus(t, r, http.StatusOK)
	var body struct{ Total int }
	if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
		t.Fatal(err)
	}
	return body.Total
}

func figureNumber(t *testing.T, s *goquery.Selection) int {
	t.Helper()
	n, err := strconv.Atoi(strings.NewReplacer(".", "", ",", "", "\u00a0", "").Replace(strings.TrimSpace(s.Text())))
	if err != nil {
		t.Fatalf("figure %q: %v", s.Text(), err)
	}
	return n
}

// sqlCount runs a count written for this test, apart from the store's queries.
func sqlCount(t *testing.T, db *sql.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestDashboardFiguresCountTheFirmsTheyLinkTo(t *testing.T) {
	for _, tc := range []struct {
		name    string
		samples int
	}{{"FixedSet", 0}, {"SampleData", uiSampleSize}} {
		t.Run(tc.name, func(t *testing.T) {
			fx, db := dashboardFixture(t, tc.samples)
			cl := fx.as(t, "staff")
			today := models.Today(fx.store.Now()).String()
			current := `FROM certificates c WHERE c.state NOT IN ('rejected', 'revoked') AND (c.expires IS NULL OR c.expires >= ?)
				AND c.standard IN (SELECT code FROM standards)`
			independent := map[string]int{
				"firms":     sqlCount(t, db, "SELECT COUNT(*) FROM firms"),
				"certified": sqlCount(t, db, "SELECT COUNT(DISTINCT c.firm_id) "+current, today),
				"verified":  sqlCount(t, db, "SELECT COUNT(DISTINCT c.firm_id) "+current+" AND c.state = 'verified'", today),
				"spcncl":    sqlCount(t, db, "SELECT COUNT(DISTINCT firm_id) FROM recognitions"),
			}
			for _, lang := range []string{"vi", "en"} {
				r := cl.get(localPath(lang, "/staff/dashboard"))
				expectStatus(t, r, http.StatusOK)
				figures := r.Doc.Find("a[data-figure]")
				if figures.Length() < 10 && tc.samples > 0 {
					t.Fatalf("%s: only %d figures", lang, figures.Length())
				}
				figures.Each(func(_ int, a *goquery.Selection) {
					key, _ := a.Attr("data-figure")
					href, _ := a.Attr("href")
					n := figureNumber(t, a)
					if got := linkedTotal(t, cl, href); got != n {
						t.Errorf("%s: figure %s shows %d, its search %s finds %d", lang, key, n, href, got)
					}
					if want, ok := independent[key]; ok && want != n {
						t.Errorf("%s: figure %s shows %d, SQL counts %d", lang, key, n, want)
					}
				})
				r.Doc.Find("table.dash-table[data-dim=district] tbody tr").Each(func(_ int, tr *goquery.Selection) {
					a := tr.Find("a[data-figure]")
					code, _ := a.Attr("data-figure")
					if want := sqlCount(t, db, "SELECT COUNT(DISTINCT firm_id) FROM sites WHERE district = ?", code); figureNumber(t, a) != want {
						t.Errorf("district %s: SQL counts %d", code, want)
					}
				})
				if r.Doc.Find("svg.dash-chart title").Length() == 0 {
					t.Error("no chart has a text alternative")
				}
			}
		})
	}
}

func TestDashboardTargetEditIsAudited(t *testing.T) {
	fx, _ := dashboardFixture(t, 0)
	cl := fx.as(t, "staff")
	targets, err := fx.store.ProgrammeTargets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatUint(uint64(targets[0].ID), 10)
	t.Run("ErrValueNotANumber", func(t *testing.T) {
		r := cl.post("/en/staff/dashboard/targets/"+id, url.Values{"year": {"2030"}, "value": {"many"}, "source": {"x"}})
		expectStatus(t, r, http.StatusUnprocessableEntity)
		if r.Doc.Find(".error-summary").Length() == 0 {
			t.Error("no error summary")
		}
	})
	t.Run("ErrYearTaken", func(t *testing.T) {
		r := cl.post("/staff/dashboard/targets/"+id, url.Values{"year": {"2030"}, "value": {"45"}, "source": {"x"}})
		expectStatus(t, r, http.StatusUnprocessableEntity)
	})
	t.Run("Saved", func(t *testing.T) {
		r := cl.post("/staff/dashboard/targets/"+id, url.Values{"year": {"2031"}, "value": {"55"}, "source": {"Kế hoạch mới"}})
		expectStatus(t, r, http.StatusSeeOther)
		evs, err := fx.store.AuditEvents(context.Background(), models.SystemActor("test"), store.AuditFilter{Action: "target.update"})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 1 || evs[0].ActorName != "Staff" {
			t.Fatalf("audit rows %+v", evs)
		}
		page := cl.get("/staff/dashboard")
		if !strings.Contains(page.Doc.Find("#targets").Text(), "Kế hoạch mới") {
			t.Error("the dashboard does not show the new source")
		}
	})
}

func TestDashboardExports(t *testing.T) {
	fx, _ := dashboardFixture(t, 20)
	cl := fx.as(t, "staff")
	for _, tc := range []struct{ path, ctype, name, heading string }{
		{"/staff/dashboard/export?table=sector&format=csv", "text/csv; charset=utf-8", "dashboard-sector-vi-", "Doanh nghiệp theo ngành"},
		{"/en/staff/dashboard/export?table=sector&format=csv", "text/csv; charset=utf-8", "dashboard-sector-en-", "Firms by sector"},
		{"/en/staff/dashboard/export?table=spcncl&format=csv", "text/csv; charset=utf-8", "dashboard-spcncl-en-", "Products"},
		{"/en/staff/dashboard/export?table=district&format=xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "dashboard-district-en-", ""},
	} {
		r := cl.get(tc.path)
		expectStatus(t, r, http.StatusOK)
		day := models.Today(fx.store.Now()).String()
		if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, tc.name+day) {
			t.Errorf("%s: content disposition %q", tc.path, cd)
		}
		if ct := r.Header.Get("Content-Type"); ct != tc.ctype {
			t.Errorf("%s: content type %q", tc.path, ct)
		}
		if !strings.Contains(r.Body, tc.heading) {
			t.Errorf("%s: no heading %q", tc.path, tc.heading)
		}
	}
	if r := cl.get("/staff/dashboard/export?table=firms&format=pdf"); r.Status != http.StatusNotFound {
		t.Errorf("an unknown table: status %d", r.Status)
	}
}

func TestAboutPageShowsProgrammeFigures(t *testing.T) {
	fx, db := dashboardFixture(t, 20)
	for _, lang := range []string{"vi", "en"} {
		r := uiGet(t, fx.srv, localPath(lang, "/about"))
		text := r.Doc.Find(".about-figures").Text()
		if firms := sqlCount(t, db, "SELECT COUNT(*) FROM firms"); !strings.Contains(text, strconv.Itoa(firms)) {
			t.Errorf("%s: the about page's figures %q miss the %d firms", lang, text, firms)
		}
	}
}
