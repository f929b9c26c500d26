package store

import (
	"context"
	"errors"
	"testing"

	"github.com/hanoi-cnht/portal/models"
)

// TestFieldsNoPageShowsAreSaved: a write that changes only facts hidden from the API (the owner
// account, the sample flag, corridors chosen by staff, certificate evidence) is saved like any
// other.
func TestFieldsNoPageShowsAreSaved(t *testing.T) {
	owner := uint(42)
	tests := []struct {
		name   string
		change func(f *models.Firm)
		check  func(f *models.Firm) bool
	}{
		{"Owner", func(f *models.Firm) { f.OwnerUserID = &owner }, func(f *models.Firm) bool { return f.OwnerUserID != nil && *f.OwnerUserID == owner }},
		{"SampleFlag", func(f *models.Firm) { f.Sample = true }, func(f *models.Firm) bool { return f.Sample }},
		{"CorridorChosenByStaff", func(f *models.Firm) {
			f.Sites[0].Corridors, f.Sites[0].CorridorsSet = models.StringList{"ql5-hai-phong"}, true
		}, func(f *models.Firm) bool { return f.Sites[0].CorridorsSet && len(f.Sites[0].Corridors) == 1 }},
		{"CertificateEvidence", func(f *models.Firm) { f.Certificates[0].Evidence = "evidence/3f9a.pdf" },
			func(f *models.Firm) bool { return f.Certificates[0].Evidence == "evidence/3f9a.pdf" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s := openTestStore(t)
			f := termFirm(t, s.Reference(), "0101234567", "Công ty TNHH Cơ khí Ẩn", "co-khi")
			f.Certificates = []models.Certificate{{Standard: "ISO 9001"}}
			if err := s.SaveFirm(ctx, f); err != nil {
				t.Fatal(err)
			}
			stored, err := s.FirmByTaxCode(ctx, f.TaxCode)
			if err != nil {
				t.Fatal(err)
			}
			tt.change(stored)
			ids, err := s.SaveFirms(ctx, []*models.Firm{stored})
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) != 1 {
				t.Fatalf("the change was taken for no change: %d firms written", len(ids))
			}
			got, err := s.FirmByTaxCode(ctx, f.TaxCode)
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(got) {
				t.Fatalf("the change was not saved: %+v", got)
			}
		})
	}
}

func TestWriteFirmsConflicts(t *testing.T) {
	ctx := context.Background()
	t.Run("ErrConflictChangedSincePlanned", func(t *testing.T) {
		s := openTestStore(t)
		f := termFirm(t, s.Reference(), "0101234567", "Công ty TNHH Đồng thời", "co-khi")
		if err := s.SaveFirm(ctx, f); err != nil {
			t.Fatal(err)
		}
		stored, err := s.StoredFirms(ctx, []string{f.TaxCode})
		if err != nil {
			t.Fatal(err)
		}
		mine := *stored[f.TaxCode]
		mine.NameEN = "Concurrent Co., Ltd"
		batch := models.PlanFirms(s.Reference(), s.Now(), stored, []*models.Firm{&mine})
		// Someone else changes the firm between the plan and the write.
		theirs := termFirm(t, s.Reference(), "0101234567", "Công ty TNHH Đồng thời", "co-khi")
		theirs.Employees = 77
		if err := s.SaveFirm(ctx, theirs); err != nil {
			t.Fatal(err)
		}
		if _, err := s.WriteFirms(ctx, batch); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("want ErrConflict, got %v", err)
		}
		got, _ := s.FirmByTaxCode(ctx, f.TaxCode)
		if got.Employees != 77 || got.NameEN != "" {
			t.Fatalf("the other writer's change was lost or the stale write applied: %+v", got)
		}
	})
	t.Run("ErrConflictTaxCodeCreatedMeanwhile", func(t *testing.T) {
		s := openTestStore(t)
		f := termFirm(t, s.Reference(), "0107654321", "Công ty TNHH Trùng mã", "co-khi")
		batch := models.PlanFirms(s.Reference(), s.Now(), nil, []*models.Firm{f})
		batch.SampleNext = 99
		if err := s.SaveFirm(ctx, termFirm(t, s.Reference(), "0107654321", "Công ty TNHH Đến trước", "co-khi")); err != nil {
			t.Fatal(err)
		}
		if _, err := s.WriteFirms(ctx, batch); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("want ErrConflict from the driver's unique constraint, got %v", err)
		}
		// The stream position of a batch that failed is not recorded.
		if v, err := s.Meta(ctx, models.SampleNextKey); err != nil || v != "" {
			t.Fatalf("sample position %q (%v) written by a failed batch", v, err)
		}
	})
}

func TestSamplePositionIsWrittenWithTheFirms(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	f := termFirm(t, s.Reference(), "0101112223", "Công ty TNHH Mẫu", "co-khi")
	batch := models.PlanFirms(s.Reference(), s.Now(), nil, []*models.Firm{f})
	batch.SampleNext = 1
	if _, err := s.WriteFirms(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Meta(ctx, models.SampleNextKey); err != nil || v != "1" {
		t.Fatalf("sample position = %q, %v", v, err)
	}
}

func TestMetaReportsErrors(t *testing.T) {
	s := openTestStore(t)
	s.Close()
	if _, err := s.Meta(context.Background(), models.SampleNextKey); err == nil {
		t.Fatal("Meta on a closed database returned no error")
	}
	if _, err := s.HasSampleData(context.Background()); err == nil {
		t.Fatal("HasSampleData on a closed database returned no error")
	}
}
