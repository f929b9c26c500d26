package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
)

// TestDashboardTrendFiguresCountWhatTheyLinkTo checks the figures that link to the audit log
// and to the firms of a year's recognitions against counts written here in SQL.
func TestDashboardTrendFiguresCountWhatTheyLinkTo(t *testing.T) {
	for _, tc := range []struct {
		name    string
		samples int
	}{{"FixedSet", 0}, {"SampleData", uiSampleSize}} {
		t.Run(tc.name, func(t *testing.T) {
			fx, db := dashboardFixture(t, tc.samples)
			cl := fx.as(t, "staff")
			// Two firms have not been touched for 13 months.
			old := fx.store.Now().AddDate(0, -13, 0).UTC()
			if _, err := db.Exec("UPDATE firms SET updated_at = ? WHERE id IN (SELECT id FROM firms ORDER BY id LIMIT 2)", old); err != nil {
				t.Fatal(err)
			}
			for _, lang := range []string{"vi", "en"} {
				r := cl.get(localPath(lang, "/staff/dashboard"))
				expectStatus(t, r, http.StatusOK)
				audits := r.Doc.Find("a[data-audit]")
				if audits.Length() != 2*12 {
					t.Fatalf("%s: %d monthly figures, want 24", lang, audits.Length())
				}
				sum := 0
				audits.Each(func(_ int, a *goquery.Selection) {
					href, _ := a.Attr("href")
					u, err := url.Parse(href)
					if err != nil {
						t.Fatal(err)
					}
					q := u.Query()
					from, _ := time.ParseInLocation(time.DateOnly, q.Get("from"), models.Hanoi)
					until, _ := time.ParseInLocation(time.DateOnly, q.Get("until"), models.Hanoi)
					want := sqlCount(t, db, "SELECT COUNT(*) FROM audit_events WHERE action = ? AND at >= ? AND at < ?",
						q.Get("action"), from.UTC(), until.AddDate(0, 0, 1).UTC())
					if n := figureNumber(t, a); n != want {
						key, _ := a.Attr("data-audit")
						t.Errorf("%s: %s shows %d, the audit log holds %d", lang, key, n, want)
					}
					sum += figureNumber(t, a)
				})
				if created := sqlCount(t, db, "SELECT COUNT(*) FROM audit_events WHERE action = 'firm.create'"); sum < created {
					t.Errorf("%s: the months count %d, the audit log %d firms created", lang, sum, created)
				}
				r.Doc.Find("a[data-list^=spcncl-]").Each(func(_ int, a *goquery.Selection) {
					key, _ := a.Attr("data-list")
					year, _ := strconv.Atoi(strings.TrimPrefix(key, "spcncl-"))
					want := sqlCount(t, db, "SELECT COUNT(DISTINCT firm_id) FROM recognitions WHERE year = ?", year)
					href, _ := a.Attr("href")
					list := cl.get(href)
					expectStatus(t, list, http.StatusOK)
					if n, listed := figureNumber(t, a), list.Doc.Find("li[data-firm]").Length(); n != want || listed != want {
						t.Errorf("%s: %d shows %d firms, lists %d, SQL counts %d", lang, year, n, listed, want)
					}
				})
				stale := sqlCount(t, db, "SELECT COUNT(*) FROM firms WHERE updated_at < ?", fx.store.Now().AddDate(0, -12, 0).UTC())
				if stale < 2 {
					t.Fatalf("only %d stale firms", stale)
				}
				if rows := r.Doc.Find("table[data-table=stale] tbody tr").Length(); rows != min(stale, staleListed) {
					t.Errorf("%s: %d stale rows, SQL counts %d", lang, rows, stale)
				}
				for _, id := range []string{"chart-months-title", "map-district-title", "map-zone-title"} {
					if tc.samples > 0 || id == "chart-months-title" {
						if strings.TrimSpace(r.Doc.Find("#"+id).Text()) == "" {
							t.Errorf("%s: the chart %s has no text alternative", lang, id)
						}
					}
				}
				if tc.samples > 0 && r.Doc.Find("svg.dash-map circle").Length() == 0 {
					t.Errorf("%s: the maps have no dots", lang)
				}
			}
		})
	}
}

// TestDashboardSharePerMonthFromSnapshots: the line shows the last snapshot of each month.
func TestDashboardSharePerMonthFromSnapshots(t *testing.T) {
	fx, db := dashboardFixture(t, 0)
	now := models.Today(fx.store.Now())
	last := now.AddDate(0, -1, 0)
	month := last.Format("2006-01")
	for _, sn := range []struct {
		day              string
		firms, certified int
	}{{month + "-01", 10, 1}, {month + "-20", 10, 4}, {now.String(), 8, 2}} {
		if _, err := db.Exec(`INSERT INTO dashboard_snapshots (day, firms, certified, verified_certified, verified_firms, taken_at)
			VALUES (?, ?, ?, 0, 0, ?)`, sn.day, sn.firms, sn.certified, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
	}
	r := fx.as(t, "staff").get("/en/staff/dashboard")
	rows := r.Doc.Find("table[data-table=share] tbody tr")
	if rows.Length() != 2 {
		t.Fatalf("%d months of share", rows.Length())
	}
	if got := strings.Join(cellTexts(rows.First()), "|"); got != month+"|10|4|40.0 %" {
		t.Errorf("the month before shows %q", got)
	}
	if r.Doc.Find("svg path.dash-line").Length() != 1 || r.Doc.Find("svg circle.dash-point").Length() != 2 {
		t.Error("no line with two points")
	}
	if !strings.Contains(r.Doc.Find("#chart-share-title").Text(), month+": 40.0 %") {
		t.Errorf("text alternative %q", r.Doc.Find("#chart-share-title").Text())
	}
}

func TestDashboardNudgeStaleFirm(t *testing.T) {
	fx, db := dashboardFixture(t, 5)
	ctx := context.Background()
	cl := fx.as(t, "staff")
	var firm, sample uint
	if err := db.QueryRow("SELECT id FROM firms WHERE sample = 0 ORDER BY id LIMIT 1").Scan(&firm); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow("SELECT id FROM firms WHERE sample = 1 ORDER BY id LIMIT 1").Scan(&sample); err != nil {
		t.Fatal(err)
	}
	for i, lang := range []string{"vi", "en"} {
		u, err := fx.store.CreateUser(ctx, models.SystemActor("test"), models.UserInput{Email: fmt.Sprintf("member%d@example.vn", i),
			Name: "Member", Role: models.RoleSupplier, Lang: lang, Verified: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := fx.store.AddMember(ctx, models.SystemActor("test"), firm, u.ID, models.MemberOwner); err != nil {
			t.Fatal(err)
		}
	}
	path := func(id uint) string { return fmt.Sprintf("/en/staff/dashboard/nudge/%d", id) }
	t.Run("ErrNotStale", func(t *testing.T) {
		r := cl.post(path(firm), nil)
		expectStatus(t, r, http.StatusConflict)
		if !strings.Contains(r.Doc.Find(".error-summary").Text(), "updated within the last year") {
			t.Errorf("error summary %q", r.Doc.Find(".error-summary").Text())
		}
	})
	old := fx.store.Now().AddDate(-2, 0, 0).UTC()
	if _, err := db.Exec("UPDATE firms SET updated_at = ? WHERE id IN (?, ?)", old, firm, sample); err != nil {
		t.Fatal(err)
	}
	t.Run("ErrSampleFirm", func(t *testing.T) {
		expectStatus(t, cl.post(path(sample), nil), http.StatusConflict)
		page := cl.get("/en/staff/dashboard")
		if page.Doc.Find(fmt.Sprintf("tr[data-firm=\"%d\"] form", sample)).Length() != 0 {
			t.Error("a sample firm has a reminder button")
		}
	})
	t.Run("Sent", func(t *testing.T) {
		before := sqlCount(t, db, "SELECT COUNT(*) FROM outbox")
		r := cl.post(path(firm), nil)
		expectStatus(t, r, http.StatusSeeOther)
		rows, err := db.Query("SELECT lang, subject FROM outbox ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		subjects := map[string]string{}
		for rows.Next() {
			var lang, subject string
			if err := rows.Scan(&lang, &subject); err != nil {
				t.Fatal(err)
			}
			subjects[lang] = subject
		}
		if after := sqlCount(t, db, "SELECT COUNT(*) FROM outbox"); after != before+2 {
			t.Fatalf("%d mails queued, want 2", after-before)
		}
		if len(subjects) != 2 || subjects["en"] != "mail.profile_stale" {
			t.Errorf("subjects by language %q", subjects)
		}
		if n := sqlCount(t, db, "SELECT COUNT(*) FROM audit_events WHERE action = 'firm.nudge' AND firm_id = ?", firm); n != 1 {
			t.Errorf("%d audit rows", n)
		}
		page := cl.get("/en/staff/dashboard")
		if row := page.Doc.Find(fmt.Sprintf("tr[data-firm=\"%d\"]", firm)).Text(); !strings.Contains(row, "less than 30 days") {
			t.Errorf("the worklist does not say the firm was just reminded: %q\n%s", row, page.Doc.Find("table[data-table=stale]").Text())
		}
	})
	t.Run("ErrTooSoon", func(t *testing.T) {
		expectStatus(t, cl.post(path(firm), nil), http.StatusConflict)
	})
}

func TestDashboardProgrammeReport(t *testing.T) {
	fx, db := dashboardFixture(t, 20)
	cl := fx.as(t, "staff")
	if err := fx.store.TakeDashboardSnapshot(context.Background()); err != nil {
		t.Fatal(err)
	}
	today := models.Today(fx.store.Now())
	r := cl.get("/en/staff/dashboard")
	action, _ := r.Doc.Find("form.dash-report").Attr("action")
	for _, tc := range []struct{ day, name string }{{today.String(), "programme-report-en-" + today.String() + ".xlsx"}} {
		rep := cl.get(action + "?day=" + tc.day)
		expectStatus(t, rep, http.StatusOK)
		if cd := rep.Header.Get("Content-Disposition"); !strings.Contains(cd, tc.name) {
			t.Errorf("file %q", cd)
		}
		wb, err := excelize.OpenReader(bytes.NewReader([]byte(rep.Body)))
		if err != nil {
			t.Fatal(err)
		}
		sheets := wb.GetSheetList()
		if len(sheets) != len(store.DashboardDims)+2 {
			t.Errorf("sheets %v", sheets)
		}
		rows, err := wb.GetRows(sheets[0])
		if err != nil {
			t.Fatal(err)
		}
		firms := sqlCount(t, db, "SELECT COUNT(*) FROM firms")
		found := false
		for _, row := range rows {
			if len(row) > 1 && row[0] == "Firms listed" {
				found = row[1] == strconv.Itoa(firms)
			}
		}
		if !found {
			t.Errorf("the summary sheet does not give %d firms listed: %v", firms, rows)
		}
	}
	for _, day := range []string{today.AddDate(0, 0, 1).Format(time.DateOnly), "2026-13-01", "yesterday"} {
		expectStatus(t, cl.get("/en/staff/dashboard/report?day="+day), http.StatusBadRequest)
	}
	past := cl.get("/staff/dashboard/report?day=2020-01-01")
	expectStatus(t, past, http.StatusOK)
	wb, err := excelize.OpenReader(bytes.NewReader([]byte(past.Body)))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := wb.GetRows(wb.GetSheetList()[0])
	if len(rows) < 5 || rows[4][1] != "0" || !strings.Contains(rows[1][1], "đếm lại") {
		t.Errorf("a day before any firm: %v", rows)
	}
}

func TestDashboardExportsEveryTable(t *testing.T) {
	fx := newAuthzFixture(t) // with the event of setupEvent
	cl := fx.as(t, "staff")
	page := cl.get("/en/staff/dashboard")
	expectStatus(t, page, http.StatusOK)
	links := page.Doc.Find(".dash-exports a")
	tables := map[string]bool{}
	links.Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		u, _ := url.Parse(href)
		tables[u.Query().Get("table")] = true
		r := cl.get(href)
		expectStatus(t, r, http.StatusOK)
		day := models.Today(fx.store.Now()).String()
		if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "-en-"+day+"."+u.Query().Get("format")) {
			t.Errorf("%s: file %q", href, cd)
		}
	})
	for _, want := range append(append([]string{}, store.DashboardDims...), dashboardExtraTables...) {
		if !tables[want] {
			t.Errorf("the table %s has no download", want)
		}
	}
	var ev uint
	fmt.Sscan(fx.ids["{event}"], &ev)
	res, err := fx.store.EventResults(context.Background(), models.SystemActor("test"), ev)
	if err != nil {
		t.Fatal(err)
	}
	// The same figures as the event's results page: one event, three approved participants, two
	// requests, one accepted of one answered.
	years := page.Doc.Find("table[data-table=years] tbody tr")
	want := []string{"1", strconv.Itoa(res.Participants), strconv.Itoa(res.RequestsMade), "100 %", strconv.Itoa(res.Held),
		strconv.Itoa(res.Scheduled), strconv.Itoa(res.NoShows)}
	if got := cellTexts(years); years.Length() != 1 || strings.Join(got[1:], "|") != strings.Join(want, "|") || res.Participants != 3 || res.RequestsMade != 2 {
		t.Errorf("the years compared: %q, want %q", got, want)
	}
	summary := page.Doc.Find("details.dash-event summary").Text()
	if want := fmt.Sprintf("%d requests", res.RequestsMade); !strings.Contains(summary, want) {
		t.Errorf("the event's line %q lacks %q", summary, want)
	}
	ex := cl.get("/en/staff/dashboard/export?table=events&format=csv")
	if !strings.Contains(ex.Body, "Trial matching day") {
		t.Errorf("the events export:\n%s", ex.Body)
	}
}

// cellTexts are the texts of the cells of the rows, in order.
func cellTexts(rows *goquery.Selection) []string {
	var out []string
	rows.Find("th, td").Each(func(_ int, c *goquery.Selection) { out = append(out, strings.TrimSpace(c.Text())) })
	return out
}
