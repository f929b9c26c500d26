package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models"
)

// backdateFirms sets when the firms were created and last updated: SaveFirms stamps them with
// the database's own clock, not the store's test clock.
func backdateFirms(t *testing.T, s *Store, at time.Time, taxCodes ...string) {
	t.Helper()
	if err := s.db.Exec("UPDATE firms SET created_at = ?, updated_at = ? WHERE tax_code IN ?", at.UTC(), at.UTC(), taxCodes).Error; err != nil {
		t.Fatal(err)
	}
}

func TestFirmsByMonthCountsTheAuditLogInHanoiMonths(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	// The last half hour of March in Hanoi is still March 31 in UTC's afternoon: it counts in March.
	s.SetClock(func() time.Time { return time.Date(2026, 3, 31, 23, 30, 0, 0, models.Hanoi) })
	dashboardFirms(t, s)
	first, err := s.FirmByTaxCode(ctx, "0100000001")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ReviewProfile(ctx, admin, first.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	s.SetClock(func() time.Time { return time.Date(2026, 4, 1, 0, 30, 0, 0, models.Hanoi) })
	if _, err := s.SaveFirms(ctx, []*models.Firm{termFirm(t, s.Reference(), "0100000009", "Công ty E", "co-khi")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FirmsByMonth(ctx, models.Actor{}, 3); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("an anonymous reader: %v", err)
	}
	got, err := s.FirmsByMonth(ctx, admin, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := []MonthCount{{"2026-02", 0, 0}, {"2026-03", 4, 1}, {"2026-04", 1, 0}}
	if len(got) != len(want) {
		t.Fatalf("months %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("month %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestNudgeStaleFirm(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	start := time.Date(2025, 1, 10, 9, 0, 0, 0, models.Hanoi)
	s.SetClock(func() time.Time { return start })
	ref := s.Reference()
	stale := termFirm(t, ref, "0100000001", "Công ty Cũ", "co-khi")
	sample := termFirm(t, ref, "0100000002", "Công ty Mẫu", "co-khi")
	sample.Sample = true
	lonely := termFirm(t, ref, "0100000003", "Công ty Vắng", "co-khi")
	if _, err := s.SaveFirms(ctx, []*models.Firm{stale, sample, lonely}); err != nil {
		t.Fatal(err)
	}
	backdateFirms(t, s, start, "0100000001", "0100000002", "0100000003")
	ids := map[string]uint{}
	for _, tax := range []string{"0100000001", "0100000002", "0100000003"} {
		f, err := s.FirmByTaxCode(ctx, tax)
		if err != nil {
			t.Fatal(err)
		}
		ids[tax] = f.ID
	}
	for i, lang := range []string{"vi", "en"} {
		for _, firm := range []string{"0100000001", "0100000002"} {
			u, err := s.CreateUser(ctx, admin, models.UserInput{Email: lang + firm + "@example.vn", Name: "M", Role: models.RoleSupplier, Lang: lang, Verified: true})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.AddMember(ctx, admin, ids[firm], u.ID, []models.MemberRole{models.MemberOwner, models.MemberEditor}[i]); err != nil {
				t.Fatal(err)
			}
		}
	}
	fresh := time.Date(2025, 6, 1, 9, 0, 0, 0, models.Hanoi)
	s.SetClock(func() time.Time { return fresh })
	if _, err := s.NudgeStaleFirm(ctx, admin, ids["0100000001"]); !errors.Is(err, ErrNudgeNotStale) {
		t.Errorf("a profile five months old: %v", err)
	}
	now := time.Date(2026, 2, 1, 9, 0, 0, 0, models.Hanoi)
	s.SetClock(func() time.Time { return now })
	list, total, err := s.StaleProfiles(ctx, admin, 10)
	if err != nil || total != 3 || len(list) != 3 {
		t.Fatalf("stale profiles %+v, total %d, %v", list, total, err)
	}
	if _, err := s.NudgeStaleFirm(ctx, models.Actor{UserID: 99, Role: models.RoleSupplier}, ids["0100000001"]); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("a supplier: %v", err)
	}
	if _, err := s.NudgeStaleFirm(ctx, admin, ids["0100000002"]); !errors.Is(err, ErrNudgeSample) {
		t.Errorf("a sample firm: %v", err)
	}
	if _, err := s.NudgeStaleFirm(ctx, admin, ids["0100000003"]); !errors.Is(err, ErrNudgeNoMember) {
		t.Errorf("a firm without members: %v", err)
	}
	var before int64
	s.db.Model(&models.Mail{}).Count(&before)
	n, err := s.NudgeStaleFirm(ctx, admin, ids["0100000001"])
	if err != nil || n != 2 {
		t.Fatalf("reminded %d members, %v", n, err)
	}
	var mails []models.Mail
	if err := s.db.Where("id > ?", before).Order("id").Find(&mails).Error; err != nil {
		t.Fatal(err)
	}
	langs := map[string]string{}
	for _, m := range mails {
		langs[m.Recipient] = m.Lang
	}
	if len(mails) != 2 || langs["vi0100000001@example.vn"] != "vi" || langs["en0100000001@example.vn"] != "en" {
		t.Errorf("mails %+v", mails)
	}
	evs, err := s.AuditEvents(ctx, admin, AuditFilter{Action: ActionFirmNudge})
	if err != nil || len(evs) != 1 || *evs[0].FirmID != ids["0100000001"] {
		t.Fatalf("audit %+v, %v", evs, err)
	}
	s.SetClock(func() time.Time { return now.Add(NudgeInterval - time.Minute) })
	if _, err := s.NudgeStaleFirm(ctx, admin, ids["0100000001"]); !errors.Is(err, ErrNudgeRecent) {
		t.Errorf("a second reminder within 30 days: %v", err)
	}
	s.SetClock(func() time.Time { return now.Add(NudgeInterval) })
	if _, err := s.NudgeStaleFirm(ctx, admin, ids["0100000001"]); err != nil {
		t.Errorf("a reminder 30 days later: %v", err)
	}
	list, _, err = s.StaleProfiles(ctx, admin, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range list {
		if (f.NudgedAt != nil) != (f.ID == ids["0100000001"]) {
			t.Errorf("firm %d reminded at %v", f.ID, f.NudgedAt)
		}
	}
}

func TestProgrammeReportOnAPastDay(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	s.SetClock(func() time.Time { return time.Date(2026, 6, 30, 8, 0, 0, 0, models.Hanoi) })
	dashboardFirms(t, s)
	backdateFirms(t, s, time.Date(2026, 6, 30, 8, 0, 0, 0, models.Hanoi), "0100000001", "0100000002", "0100000003", "0100000004")
	if err := s.TakeDashboardSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	s.SetClock(func() time.Time { return time.Date(2026, 7, 2, 8, 0, 0, 0, models.Hanoi) })
	if _, err := s.SaveFirms(ctx, []*models.Firm{termFirm(t, s.Reference(), "0100000009", "Công ty E", "co-khi")}); err != nil {
		t.Fatal(err)
	}
	backdateFirms(t, s, time.Date(2026, 7, 2, 8, 0, 0, 0, models.Hanoi), "0100000009")
	for _, tt := range []struct {
		name                string
		day                 *models.Date
		firms, certified    int
		snapshot, recounted bool
	}{
		// The IATF 16949 certificate expires on 30 June: it counts that day, not the next.
		{"SnapshotDay", models.DateOf(2026, 6, 30), 4, 2, true, false},
		{"RecountedDayAfterExpiry", models.DateOf(2026, 7, 1), 4, 1, false, true},
		{"Today", models.DateOf(2026, 7, 2), 5, 1, false, false},
		{"BeforeAnyFirm", models.DateOf(2026, 6, 1), 0, 0, false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := s.ProgrammeReportOn(ctx, admin, *tt.day)
			if err != nil {
				t.Fatal(err)
			}
			if r.Firms != tt.firms || r.Certified != tt.certified || (r.Snapshot != nil) != tt.snapshot {
				t.Errorf("firms %d, certified %d, snapshot %v; want %d, %d, %v", r.Firms, r.Certified, r.Snapshot != nil, tt.firms, tt.certified, tt.snapshot)
			}
			sectors := 0
			for _, c := range r.By[DimSector] {
				sectors += c.Firms
			}
			if tt.recounted && sectors != tt.firms {
				t.Errorf("the sectors count %d firms, want %d", sectors, tt.firms)
			}
		})
	}
	if _, err := s.ProgrammeReportOn(ctx, admin, *models.DateOf(2026, 7, 3)); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("a day to come: %v", err)
	}
}

func TestDashboardMapPlacesFirmsAtTheirSites(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	ref := s.Reference()
	lat1, lon1, lat2, lon2 := 21.10, 105.80, 21.20, 105.90
	a := termFirm(t, ref, "0100000001", "A", "co-khi")
	a.Sites[0].Latitude, a.Sites[0].Longitude = &lat1, &lon1
	b := termFirm(t, ref, "0100000002", "B", "co-khi")
	b.Sites[0].Latitude, b.Sites[0].Longitude = &lat2, &lon2
	c := termFirm(t, ref, "0100000003", "C", "co-khi")
	c.Sites[0].District = "018"
	if _, err := s.SaveFirms(ctx, []*models.Firm{a, b, c}); err != nil {
		t.Fatal(err)
	}
	pts, err := s.DashboardMap(ctx, admin, DimDistrict)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 2 || pts[0].Key != "017" || pts[0].Firms != 2 || !pts[0].HasPlace || pts[1].HasPlace {
		t.Fatalf("points %+v", pts)
	}
	if d := *pts[0].Lat - 21.15; d > 1e-9 || d < -1e-9 {
		t.Errorf("017 placed at latitude %v, want the mean 21.15", *pts[0].Lat)
	}
}

// TestDashboardCountsAgainAfterAnyChange: the figures kept between pages are never those of
// before a change, whether this process or another one sharing the database made it.
func TestDashboardCountsAgainAfterAnyChange(t *testing.T) {
	s, other := openTwoProcesses(t)
	ctx := context.Background()
	at := time.Date(2026, 6, 30, 9, 0, 0, 0, models.Hanoi)
	s.SetClock(func() time.Time { return at })
	dashboardFirms(t, s)
	figures := func(want, certified int) {
		t.Helper()
		f, err := s.Dashboard(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		if f.Firms != want || f.Certified != certified {
			t.Fatalf("firms %d, certified %d; want %d, %d", f.Firms, f.Certified, want, certified)
		}
	}
	figures(4, 2)
	figures(4, 2)
	if _, err := other.SaveFirms(ctx, []*models.Firm{termFirm(t, other.Reference(), "0100000009", "Công ty E", "co-khi")}); err != nil {
		t.Fatal(err)
	}
	figures(5, 2)
	// Firm B's IATF 16949 expires on 30 June: the next day changes no record, only the day.
	at = time.Date(2026, 7, 1, 9, 0, 0, 0, models.Hanoi)
	figures(5, 1)
	a, err := s.FirmByTaxCode(ctx, "0100000001")
	if err != nil {
		t.Fatal(err)
	}
	if err := other.DecideCertificate(ctx, admin, a.Certificates[0].ID, models.CertificateDecision{Action: "revoke", Note: "suspended by the issuer"}); err != nil {
		t.Fatal(err)
	}
	figures(5, 0)
}
