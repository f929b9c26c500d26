package exchange

import (
	"bytes"
	"context"
	"testing"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/sample"
	"github.com/hanoi-cnht/portal/models/store"
	"github.com/hanoi-cnht/portal/models/store/storetest"
)

// countingStore counts how often an import asks the store for its stored firms and how many
// firms it writes.
type countingStore struct {
	*store.Store
	loads, loaded, written int
}

func (c *countingStore) StoredFirms(ctx context.Context, codes []string) (map[string]*models.Firm, error) {
	c.loads++
	c.loaded += len(codes)
	return c.Store.StoredFirms(ctx, codes)
}

func (c *countingStore) WriteFirms(ctx context.Context, b *models.FirmBatch) ([]uint, error) {
	ids, err := c.Store.WriteFirms(ctx, b)
	c.written += len(ids)
	return ids, err
}

// TestImportLoadsEachFirmOnce: an import of a file of stored firms loads them in one pass and
// writes only those that changed.
func TestImportLoadsEachFirmOnce(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	firms := sample.Generate(s.Reference(), 2026, 0, 300)
	if _, err := s.SaveFirms(ctx, firms); err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	if err := Export(ctx, s, &file, "csv"); err != nil {
		t.Fatal(err)
	}
	data := bytes.Replace(file.Bytes(), []byte(firms[5].NameVI), []byte(firms[5].NameVI+" Mới"), 1)
	cs := &countingStore{Store: s}
	rep, err := Import(ctx, cs, bytes.NewReader(data), "firms.csv", ImportOptions{})
	if err != nil {
		t.Fatal(err, rep.Problems)
	}
	if cs.loads != 1 || cs.loaded != 300 {
		t.Errorf("the import loaded stored firms %d times (%d tax codes), want once (300)", cs.loads, cs.loaded)
	}
	if rep.Updated != 1 || rep.Unchanged != 299 || cs.written != 1 {
		t.Errorf("report %+v, %d written; want 1 updated, 299 unchanged", rep, cs.written)
	}
}
