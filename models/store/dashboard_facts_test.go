package store

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/sample"
)

// figuresByKey flattens figures for comparison: every headline figure and every count by
// dimension and key.
func figuresByKey(f *DashboardFigures) map[string]int {
	out := map[string]int{"firms": f.Firms, "certified": f.Certified, "verified": f.VerifiedCertified, "spcncl": f.SPCNCL}
	for dim, counts := range f.By {
		for _, c := range counts {
			out[dim+"/"+c.Key] = c.Firms
		}
	}
	for _, y := range f.Recognitions {
		out[fmt.Sprintf("year/%d/firms", y.Year)] = y.Firms
		out[fmt.Sprintf("year/%d/products", y.Year)] = y.Products
	}
	return out
}

// sqlMap is the map of firms counted from the sites table.
func sqlMap(t *testing.T, s *Store, dim string) map[string]string {
	t.Helper()
	var rows []MapPoint
	if err := s.db.Raw(`SELECT ` + dim + ` AS k, COUNT(DISTINCT firm_id) AS n, AVG(latitude) AS lat, AVG(longitude) AS lon
		FROM sites WHERE ` + dim + ` IS NOT NULL AND ` + dim + ` <> '' GROUP BY ` + dim).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	return mapByKey(rows)
}

func mapByKey(points []MapPoint) map[string]string {
	out := map[string]string{}
	for _, p := range points {
		v := fmt.Sprint(p.Firms)
		if p.Lat != nil && p.Lon != nil {
			v += fmt.Sprintf(" %.9f %.9f", *p.Lat, *p.Lon)
		}
		out[p.Key] = v
	}
	return out
}

// TestDashboardFactsAgreeWithTheTables checks the figures counted from the facts kept in memory
// against the same figures counted by SQL over the tables, on the sample firms and after each
// kind of change, made here or by another process on the same database.
func TestDashboardFactsAgreeWithTheTables(t *testing.T) {
	s, other := openTwoProcesses(t)
	ctx := context.Background()
	at := time.Date(2026, 6, 30, 9, 0, 0, 0, models.Hanoi)
	s.SetClock(func() time.Time { return at })
	firms := sample.GenerateAsOf(s.Reference(), 2026, 0, 300, at)
	if _, err := s.SaveFirms(ctx, firms); err != nil {
		t.Fatal(err)
	}
	agree := func(step string) {
		t.Helper()
		got, err := s.Dashboard(ctx, admin)
		if err != nil {
			t.Fatal(err)
		}
		want, err := s.dashboardCount(ctx, got.Day, false)
		if err != nil {
			t.Fatal(err)
		}
		g, w := figuresByKey(got), figuresByKey(want)
		if !maps.Equal(g, w) {
			for _, k := range slices.Sorted(maps.Keys(w)) {
				if g[k] != w[k] {
					t.Errorf("%s: %s is %d from the facts, %d from the tables", step, k, g[k], w[k])
				}
			}
			for k := range g {
				if _, ok := w[k]; !ok {
					t.Errorf("%s: %s is %d from the facts, absent from the tables", step, k, g[k])
				}
			}
		}
		for _, dim := range []string{DimDistrict, DimZone} {
			pts, err := s.DashboardMap(ctx, admin, dim)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := mapByKey(pts), sqlMap(t, s, dim); !maps.Equal(g, w) {
				t.Errorf("%s: map by %s from the facts %v, from the tables %v", step, dim, g, w)
			}
		}
	}
	agree("sample")
	if got, _ := s.Dashboard(ctx, admin); got.Firms != 300 || got.Certified == 0 || got.SPCNCL == 0 || len(got.By[DimCorridor]) == 0 {
		t.Fatalf("the sample firms leave figures untested: %+v", got)
	}

	whole := reflect.ValueOf(s.dashFacts.firms).UnsafePointer()

	// Another process changes a firm's terms, sites, size and certificates.
	f, err := other.FirmByTaxCode(ctx, firms[0].TaxCode)
	if err != nil {
		t.Fatal(err)
	}
	f.Terms = termFirm(t, other.Reference(), f.TaxCode, f.NameVI, "det-may").Terms
	f.Sites = []models.Site{{District: "017", Zone: "kcn-thang-long"}, {District: "250"}, {District: "017"}}
	f.Employees, f.Ownership = 5, models.OwnershipFDI
	f.Certificates = append(f.Certificates, models.Certificate{Standard: "ISO 14001", Expires: models.DateOf(2026, 6, 30)})
	f.Recognitions = append(f.Recognitions, models.Recognition{Year: 2024, Product: "Vải kỹ thuật"})
	if _, err := other.SaveFirms(ctx, []*models.Firm{f}); err != nil {
		t.Fatal(err)
	}
	agree("a firm changed by another process")
	if reflect.ValueOf(s.dashFacts.firms).UnsafePointer() != whole {
		t.Error("one firm changed, and every firm's facts were read again")
	}

	// A certificate revoked, a firm deleted, a firm added.
	g, err := s.FirmByTaxCode(ctx, firms[1].TaxCode)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range g.Certificates {
		if err := other.DecideCertificate(ctx, admin, c.ID, models.CertificateDecision{Action: "revoke", Note: "suspended"}); err != nil {
			t.Fatal(err)
		}
	}
	h, err := s.FirmByTaxCode(ctx, firms[2].TaxCode)
	if err != nil {
		t.Fatal(err)
	}
	if err := other.DeleteFirm(ctx, admin, h.ID, "closed"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveFirms(ctx, []*models.Firm{termFirm(t, s.Reference(), "0109999991", "Công ty Mới", "co-khi", "stamping")}); err != nil {
		t.Fatal(err)
	}
	agree("revoked, deleted and added")

	// The day after: certificates expiring on 30 June stop counting without any write.
	at = at.AddDate(0, 0, 1)
	agree("the day after")

	// The feed's entries pruned: the facts are read again whole.
	f.Employees = 500
	if _, err := other.SaveFirms(ctx, []*models.Firm{f}); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Exec("DELETE FROM changes").Error; err != nil {
		t.Fatal(err)
	}
	if _, err := other.SaveFirms(ctx, []*models.Firm{termFirm(t, other.Reference(), "0109999992", "Công ty Khác", "dien-tu")}); err != nil {
		t.Fatal(err)
	}
	agree("after the feed was pruned")
	if reflect.ValueOf(s.dashFacts.firms).UnsafePointer() == whole {
		t.Error("the feed's entries were pruned, and the facts were not read again whole")
	}

	// A reading of every firm that fails halfway leaves nothing half read: the next count is
	// right.
	if err := s.db.Exec("DELETE FROM changes").Error; err != nil {
		t.Fatal(err)
	}
	f.Employees = 7
	if _, err := other.SaveFirms(ctx, []*models.Firm{f}); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Exec("ALTER TABLE recognitions RENAME TO recognitions_away").Error; err != nil {
		t.Fatal(err)
	}
	_, err = s.Dashboard(ctx, admin)
	if err := s.db.Exec("ALTER TABLE recognitions_away RENAME TO recognitions").Error; err != nil {
		t.Fatal(err)
	}
	if err == nil {
		t.Fatal("a count without the recognitions table did not fail")
	}
	agree("after a failed reading")
}

// openTwoProcesses opens one new database twice, as two portal processes share it.
func openTwoProcesses(t *testing.T) (*Store, *Store) {
	t.Helper()
	url := newTestDatabase(t)
	var out [2]*Store
	for i := range out {
		s, err := OpenURL(url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		out[i] = s
	}
	return out[0], out[1]
}
