package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models"
)

// dashboardFirms is the fixed test set: a firm with a current verified ISO 9001, one whose
// IATF 16949 expires on 30 June 2026, one with only a rejected certificate and one without.
func dashboardFirms(t *testing.T, s *Store) {
	t.Helper()
	ref := s.Reference()
	a := termFirm(t, ref, "0100000001", "Công ty A", "co-khi", "stamping")
	a.Employees, a.Ownership = 50, models.OwnershipPrivate
	a.Certificates = []models.Certificate{{Standard: "ISO 9001", State: models.CertVerified, Expires: models.DateOf(2028, 1, 1)}}
	a.Recognitions = []models.Recognition{{Year: 2023, Product: "Khuôn dập"}}
	b := termFirm(t, ref, "0100000002", "Công ty B", "o-to")
	b.Employees = 300
	b.Certificates = []models.Certificate{{Standard: "IATF 16949", Expires: models.DateOf(2026, 6, 30)}}
	c := termFirm(t, ref, "0100000003", "Công ty C", "dien-tu")
	c.Certificates = []models.Certificate{{Standard: "ISO 14001", State: models.CertRejected}}
	d := termFirm(t, ref, "0100000004", "Công ty D", "det-may")
	if _, err := s.SaveFirms(context.Background(), []*models.Firm{a, b, c, d}); err != nil {
		t.Fatal(err)
	}
}

func TestDashboardCertificateStopsCountingAfterExpiry(t *testing.T) {
	s := openTestStore(t)
	dashboardFirms(t, s)
	ctx := context.Background()
	for _, tt := range []struct {
		name      string
		at        time.Time
		certified int
	}{
		{"LastDay", time.Date(2026, 6, 30, 23, 59, 0, 0, models.Hanoi), 2},
		{"DayAfter", time.Date(2026, 7, 1, 0, 0, 0, 0, models.Hanoi), 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s.SetClock(func() time.Time { return tt.at })
			f, err := s.Dashboard(ctx, admin)
			if err != nil {
				t.Fatal(err)
			}
			if f.Firms != 4 || f.Certified != tt.certified || f.VerifiedCertified != 1 {
				t.Errorf("firms %d, certified %d, verified %d; want 4, %d, 1", f.Firms, f.Certified, f.VerifiedCertified, tt.certified)
			}
			iatf := 0
			for _, c := range f.By[DimCert] {
				if c.Key == "IATF 16949" {
					iatf = c.Firms
				}
			}
			if want := tt.certified - 1; iatf != want {
				t.Errorf("IATF 16949 counts %d firms, want %d", iatf, want)
			}
		})
	}
}

func TestDashboardCounts(t *testing.T) {
	s := openTestStore(t)
	dashboardFirms(t, s)
	s.SetClock(func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, models.Hanoi) })
	f, err := s.Dashboard(context.Background(), admin)
	if err != nil {
		t.Fatal(err)
	}
	get := func(dim, key string) int {
		for _, c := range f.By[dim] {
			if c.Key == key {
				return c.Firms
			}
		}
		return 0
	}
	for _, tt := range []struct {
		dim, key string
		want     int
	}{
		{DimSector, "co-khi", 1}, {DimSector, "o-to", 1}, {DimProcess, "stamping", 1}, {DimDistrict, "017", 4},
		{DimSize, "small", 1}, {DimSize, "large", 1}, {DimOwnership, "private", 1}, {DimCert, "ISO 14001", 0},
	} {
		if got := get(tt.dim, tt.key); got != tt.want {
			t.Errorf("%s %s counts %d, want %d", tt.dim, tt.key, got, tt.want)
		}
	}
	if f.SPCNCL != 1 || len(f.Recognitions) != 1 || f.Recognitions[0] != (YearCount{Year: 2023, Firms: 1, Products: 1}) {
		t.Errorf("recognitions %d %+v", f.SPCNCL, f.Recognitions)
	}
	if _, err := s.Dashboard(context.Background(), models.Actor{}); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("anonymous read the dashboard: %v", err)
	}
}

func TestUpdateProgrammeTargetIsAudited(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	targets, err := s.ProgrammeTargets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(targets) != 4 {
		t.Fatalf("%d targets seeded, want 4", len(targets))
	}
	var share models.ProgrammeTarget
	for _, x := range targets {
		if x.Metric == models.TargetCertifiedShare && x.Year == 2030 {
			share = x
		}
	}
	t.Run("ErrValueRange", func(t *testing.T) {
		err := s.UpdateProgrammeTarget(ctx, admin, share.ID, models.TargetUpdate{Year: 2030, Value: 140, Source: "x"})
		var ve *models.ValidationError
		if !errors.As(err, &ve) || !ve.Has("value") {
			t.Errorf("got %v, want a value error", err)
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		if err := s.UpdateProgrammeTarget(ctx, models.Actor{}, share.ID, models.TargetUpdate{Year: 2030, Value: 45, Source: "x"}); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("got %v", err)
		}
	})
	t.Run("Audited", func(t *testing.T) {
		if err := s.UpdateProgrammeTarget(ctx, admin, share.ID, models.TargetUpdate{Year: 2030, Value: 45, Source: "Quyết định mới"}); err != nil {
			t.Fatal(err)
		}
		evs, err := s.AuditEvents(ctx, admin, AuditFilter{Action: "target.update"})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 1 || len(evs[0].Changes) != 2 || evs[0].Changes[0].New != "45" {
			t.Errorf("audit rows %+v", evs)
		}
	})
}

func TestDashboardSnapshotOnePerDay(t *testing.T) {
	s := openTestStore(t)
	dashboardFirms(t, s)
	ctx := context.Background()
	s.SetClock(func() time.Time { return time.Date(2026, 6, 30, 8, 0, 0, 0, models.Hanoi) })
	for range 2 {
		if err := s.TakeDashboardSnapshot(ctx); err != nil {
			t.Fatal(err)
		}
	}
	s.SetClock(func() time.Time { return time.Date(2026, 7, 1, 8, 0, 0, 0, models.Hanoi) })
	if err := s.TakeDashboardSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	snaps, err := s.DashboardSnapshots(ctx, "2026-01-01")
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != 2 || snaps[0].Certified != 2 || snaps[1].Certified != 1 || snaps[1].Day != "2026-07-01" {
		t.Errorf("snapshots %+v", snaps)
	}
	exp, err := s.ExpiringCertificates(ctx, admin, 90)
	if err != nil || len(exp) != 0 {
		t.Errorf("expiring after the day: %v %+v", err, exp)
	}
}
