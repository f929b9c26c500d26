package exchange

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/sample"
	"github.com/hanoi-cnht/portal/models/store/storetest"
)

// TestExportImportFullFidelity exports the sample set and imports it into an empty database,
// both reading taxonomy cells with the concept matcher as the portal does: every firm must come
// back with every stored field equal, all its sites and certificate details included. Only what a file does not carry is left out of the comparison: the account that
// owns a profile and the flag that marks firms made by the sample generator.
func TestExportImportFullFidelity(t *testing.T) {
	sizes := []int{950}
	if os.Getenv("PORTAL_ROUNDTRIP_LARGE") == "1" {
		sizes = append(sizes, 10_000)
	}
	ctx := context.Background()
	for _, n := range sizes {
		src := storetest.Open(t)
		firms := sample.Generate(src.Reference(), 2026, 0, n)
		if _, err := src.SaveFirms(ctx, firms); err != nil {
			t.Fatal(err)
		}
		assertSampleCoversDetails(t, firms)
		concepts := conceptsOf(t, src)
		for _, format := range []string{"csv", "xlsx"} {
			t.Run(fmt.Sprintf("%s_%d", strings.ToUpper(format), n), func(t *testing.T) {
				var file bytes.Buffer
				if err := Export(ctx, src, &file, format, WithConcepts(concepts)); err != nil {
					t.Fatal(err)
				}
				dst := storetest.Open(t)
				rep, err := Import(ctx, dst, bytes.NewReader(file.Bytes()), "export."+format, ImportOptions{Concepts: concepts})
				if err != nil {
					t.Fatalf("import: %v %v", err, rep.Problems)
				}
				if len(rep.Mappings) > 0 {
					t.Errorf("%d exported cells were read as other terms, the first %+v", len(rep.Mappings), rep.Mappings[0])
				}
				if rep.Created != n {
					t.Fatalf("created %d of %d firms", rep.Created, n)
				}
				mismatched := 0
				err = src.EachFirm(ctx, 500, func(batch []*models.Firm) error {
					for _, want := range batch {
						got, err := dst.FirmByTaxCode(ctx, want.TaxCode)
						if err != nil {
							return err
						}
						for _, c := range models.FirmChanges(want, got) {
							if c.Field == "sample" || c.Field == "owner" {
								continue
							}
							if mismatched++; mismatched <= 10 {
								t.Errorf("%s %s: exported %q, imported %q", want.TaxCode, c.Field, c.Old, c.New)
							}
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if mismatched > 0 {
					t.Fatalf("%d fields differ after the round trip", mismatched)
				}
			})
		}
	}
}

// assertSampleCoversDetails makes sure the round trip has something to prove: firms with several
// sites, a firm-level verification, certificates with every detail.
func assertSampleCoversDetails(t *testing.T, firms []*models.Firm) {
	t.Helper()
	var multiSite, verified, certDetails, recognitions int
	for _, f := range firms {
		if len(f.Sites) > 1 {
			multiSite++
		}
		if f.VerifiedAt != nil {
			verified++
		}
		for _, c := range f.Certificates {
			if c.Number != "" && c.Issuer != "" && c.IssuedOn != nil && c.Expires != nil && c.VerifiedAt != nil {
				certDetails++
			}
		}
		recognitions += len(f.Recognitions)
	}
	if multiSite == 0 || verified == 0 || certDetails == 0 || recognitions == 0 {
		t.Fatalf("the sample lacks details to round-trip: %d with several sites, %d verified, %d full certificates, %d SPCNCL titles",
			multiSite, verified, certDetails, recognitions)
	}
}
