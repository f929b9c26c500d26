package search

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
	"github.com/hanoi-cnht/portal/models/store/storetest"
)

// testNow is the clock of every test index, so certificate status does not depend on the day
// the tests run.
var testNow = time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)

func testClock() time.Time { return testNow }

// fixtureFirm is a firm of testdata/firms.json, written for people rather than for the store.
type fixtureFirm struct {
	N             int               `json:"n"`
	NameVI        string            `json:"name_vi"`
	NameEN        string            `json:"name_en"`
	ShortName     string            `json:"short_name"`
	DescriptionVI string            `json:"description_vi"`
	DescriptionEN string            `json:"description_en"`
	Employees     int               `json:"employees"`
	Ownership     string            `json:"ownership"`
	Terms         []string          `json:"terms"`
	FreeTerms     []models.FreeTerm `json:"free_terms"`
	District      string            `json:"district"`
	Zone          string            `json:"zone"`
	Certs         []struct {
		Standard string `json:"standard"`
		Verified bool   `json:"verified"`
		Expires  string `json:"expires"`
	} `json:"certs"`
	Markets []string `json:"markets"`
	SPCNCL  []struct {
		Year    int    `json:"year"`
		Product string `json:"product"`
	} `json:"spcncl"`
}

// fixtureTaxCode is the tax code of fixture firm n.
func fixtureTaxCode(n int) string { return fmt.Sprintf("01060000%02d", n) }

// fixtureFirms reads testdata/firms.json into firms ready to save.
func fixtureFirms(t testing.TB, ref *models.Reference) []*models.Firm {
	t.Helper()
	b, err := os.ReadFile("testdata/firms.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx []fixtureFirm
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatalf("testdata/firms.json: %v", err)
	}
	verifiedAt := testNow.AddDate(0, -2, 0)
	firms := make([]*models.Firm, 0, len(fx))
	for _, x := range fx {
		f := &models.Firm{
			TaxCode: fixtureTaxCode(x.N), NameVI: x.NameVI, NameEN: x.NameEN, ShortName: x.ShortName,
			DescriptionVI: x.DescriptionVI, DescriptionEN: x.DescriptionEN, Employees: x.Employees,
			Ownership: models.Ownership(x.Ownership), FreeTerms: x.FreeTerms, ExportMarkets: x.Markets,
			Sites: []models.Site{{District: x.District, Zone: x.Zone, Address: "Hà Nội"}},
		}
		for _, code := range x.Terms {
			term, ok := ref.Term(code)
			if !ok {
				t.Fatalf("fixture firm %d: no taxonomy term %q", x.N, code)
			}
			f.Terms = append(f.Terms, term)
		}
		for _, c := range x.Certs {
			cert := models.Certificate{Standard: c.Standard}
			if c.Expires != "" {
				d, err := models.ParseDate(c.Expires)
				if err != nil {
					t.Fatal(err)
				}
				cert.Expires = d
			}
			if c.Verified {
				cert.VerifiedAt = &verifiedAt
			}
			f.Certificates = append(f.Certificates, cert)
		}
		for _, r := range x.SPCNCL {
			f.Recognitions = append(f.Recognitions, models.Recognition{Year: r.Year, Product: r.Product})
		}
		firms = append(firms, f)
	}
	return firms
}

// loadFixtures saves the fixture firms and returns the id of each by fixture number.
func loadFixtures(t testing.TB, s *store.Store) map[int]uint {
	t.Helper()
	firms := fixtureFirms(t, s.Reference())
	if _, err := s.SaveFirms(context.Background(), firms); err != nil {
		t.Fatal(err)
	}
	ids := map[int]uint{}
	for i, f := range firms {
		ids[i+1] = f.ID
	}
	return ids
}

// quietLogger keeps expected rebuild and repair messages out of test output.
func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newIndexDir is where a test keeps its index: a directory that does not exist yet, in the
// test's temp dir, as the portal keeps it in its data directory.
func newIndexDir(t testing.TB) string { return filepath.Join(t.TempDir(), IndexDir) }

// openTestIndex opens an index in dir over s with the test clock; it is closed at cleanup.
func openTestIndex(t testing.TB, dir string, s *store.Store, opts ...Option) *Index {
	t.Helper()
	ix, err := Open(dir, s, append([]Option{WithClock(testClock), WithLogger(quietLogger())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// fixtureIndex is a store with the fixture firms and an index over it.
func fixtureIndex(t testing.TB) (*Index, *store.Store, map[int]uint) {
	t.Helper()
	s := storetest.Open(t)
	ids := loadFixtures(t, s)
	return openTestIndex(t, newIndexDir(t), s), s, ids
}

// taxCodes returns the tax codes of hits, in order.
func taxCodes(t testing.TB, s *store.Store, hits []Hit) []string {
	t.Helper()
	ids := make([]uint, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	firms, err := s.FirmsByIDs(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(firms))
	for i, f := range firms {
		out[i] = f.TaxCode
	}
	return out
}
