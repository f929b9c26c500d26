package sample

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/hanoi-cnht/portal/models"
)

// Writer is what adding sample firms needs from the store.
type Writer interface {
	Reference() *models.Reference
	Now() time.Time
	Meta(ctx context.Context, key string) (string, error)
	StoredFirms(ctx context.Context, taxCodes []string) (map[string]*models.Firm, error)
	WriteFirms(ctx context.Context, b *models.FirmBatch) ([]uint, error)
}

// Add generates the next n firms of the sample stream for seed and writes them in batches of
// size. Each batch records where the stream continues in its own transaction, so an interrupted
// run resumes without reusing a tax code.
func Add(ctx context.Context, w Writer, seed int64, n, size int) error {
	pos, err := w.Meta(ctx, models.SampleNextKey)
	if err != nil {
		return err
	}
	start := 0
	if pos != "" {
		if start, err = strconv.Atoi(pos); err != nil || start < 0 {
			return fmt.Errorf("sample stream position %q is not a number", pos)
		}
	}
	ref := w.Reference()
	for done := 0; done < n; done += size {
		count := min(size, n-done)
		firms := Generate(ref, seed, start+done, count)
		codes := make([]string, len(firms))
		for i, f := range firms {
			codes[i] = f.TaxCode
		}
		stored, err := w.StoredFirms(ctx, codes)
		if err != nil {
			return err
		}
		batch := models.PlanFirms(ref, w.Now(), stored, firms)
		batch.SampleNext = start + done + count
		if _, err := w.WriteFirms(ctx, batch); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}
