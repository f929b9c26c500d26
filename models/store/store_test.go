package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store/internal/testdb"
)

func TestMain(m *testing.M) { testdb.Main(m) }

// newTestDatabase is where a test's empty database is: a directory of the test on SQLite, the URL
// of a database of the test's own on PostgreSQL.
func newTestDatabase(t *testing.T) string {
	if url := testdb.NewDatabase(t); url != "" {
		return url
	}
	return "sqlite:" + filepath.Join(t.TempDir(), DatabaseFile)
}

func openTestStore(t *testing.T) *Store {
	t.Helper()
	s, err := OpenURL(newTestDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func termFirm(t *testing.T, ref *models.Reference, taxCode, name string, codes ...string) *models.Firm {
	t.Helper()
	f := &models.Firm{TaxCode: taxCode, NameVI: name, Sites: []models.Site{{District: "017", Address: "Lô 12, KCN Thăng Long"}}}
	for _, c := range codes {
		term, ok := ref.Term(c)
		if !ok {
			t.Fatalf("no taxonomy term %q", c)
		}
		f.Terms = append(f.Terms, term)
	}
	return f
}

func TestStoreSaveAndLoad(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	if !s.Created {
		t.Fatal("a new database should report Created")
	}
	ref := s.Reference()
	f := termFirm(t, ref, "0101234567", "Công ty TNHH Cơ khí Chính xác Đông Anh", "co-khi")
	f.Certificates = []models.Certificate{{Standard: "ISO 9001", Edition: "2015", Expires: models.DateOf(2027, 6, 30)}}
	f.Recognitions = []models.Recognition{{Year: 2023, Product: "Khuôn ép nhựa"}}
	if err := s.SaveFirm(ctx, f); err != nil {
		t.Fatal(err)
	}
	got, err := s.FirmByTaxCode(ctx, "0101234567")
	if err != nil {
		t.Fatal(err)
	}
	if got.Slug != "co-khi-chinh-xac-dong-anh" {
		t.Errorf("slug = %q", got.Slug)
	}
	if len(got.Terms) != 1 || got.Terms[0].Code != "co-khi" {
		t.Errorf("terms = %+v", got.Terms)
	}
	if len(got.Certificates) != 1 || got.Certificates[0].Expires.String() != "2027-06-30" {
		t.Errorf("certificates = %+v", got.Certificates)
	}
	if site := got.MainSite(); site == nil || len(site.Corridors) == 0 {
		t.Errorf("corridors were not derived for Đông Anh: %+v", got.Sites)
	}
	bySlug, err := s.FirmBySlug(ctx, got.Slug)
	if err != nil || bySlug.ID != got.ID {
		t.Fatalf("FirmBySlug: %v %v", bySlug, err)
	}
	if _, err := s.FirmBySlug(ctx, "nobody"); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("want ErrNotFound, got %v", err)
	}
}

func TestStoreUpdateKeepsSlugAndSkipsUnchanged(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	ref := s.Reference()
	var heard [][]uint
	s.Observe(func(changed, _ []uint) { heard = append(heard, changed) })

	if err := s.SaveFirm(ctx, termFirm(t, ref, "0101234567", "Công ty TNHH Nhựa An Phú", "dien-tu")); err != nil {
		t.Fatal(err)
	}
	first, _ := s.FirmByTaxCode(ctx, "0101234567")

	changed, err := s.SaveFirms(ctx, []*models.Firm{termFirm(t, ref, "0101234567", "Công ty TNHH Nhựa An Phú", "dien-tu")})
	if err != nil {
		t.Fatal(err)
	}
	if len(changed) != 0 {
		t.Fatalf("saving the same content changed %v", changed)
	}
	same, _ := s.FirmByTaxCode(ctx, "0101234567")
	if !same.UpdatedAt.Equal(first.UpdatedAt) {
		t.Fatalf("updated_at moved from %v to %v on an unchanged save", first.UpdatedAt, same.UpdatedAt)
	}

	renamed := termFirm(t, ref, "0101234567", "Công ty Cổ phần Nhựa An Phú Hà Nội", "dien-tu", "co-khi")
	if err := s.SaveFirm(ctx, renamed); err != nil {
		t.Fatal(err)
	}
	after, _ := s.FirmByTaxCode(ctx, "0101234567")
	if after.Slug != first.Slug || after.ID != first.ID {
		t.Fatalf("update changed identity: %s/%d -> %s/%d", first.Slug, first.ID, after.Slug, after.ID)
	}
	if len(after.Terms) != 2 || !after.CreatedAt.Equal(first.CreatedAt) {
		t.Fatalf("update lost data: %+v", after)
	}
	if len(heard) != 2 || len(heard[1]) != 1 || heard[1][0] != first.ID {
		t.Fatalf("observer heard %v, want two writes of firm %d", heard, first.ID)
	}
}

func TestStoreObserverStops(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	var order []string
	stopA := s.Observe(func(_, _ []uint) { order = append(order, "a") })
	s.Observe(func(_, _ []uint) { order = append(order, "b") })
	if err := s.SaveFirm(ctx, &models.Firm{TaxCode: "0101111111", NameVI: "Công ty TNHH Minh Phát"}); err != nil {
		t.Fatal(err)
	}
	stopA()
	stopA() // a second stop does nothing
	if err := s.SaveFirm(ctx, &models.Firm{TaxCode: "0102222222", NameVI: "Công ty TNHH Hòa Bình"}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(order, ""); got != "abb" {
		t.Fatalf("observers heard %q, want a then b, then b alone", got)
	}
}

func TestStoreSlugCollision(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	a := &models.Firm{TaxCode: "0101111111", NameVI: "Công ty TNHH Minh Phát"}
	b := &models.Firm{TaxCode: "0102222222", NameVI: "Công ty Cổ phần Minh Phát"}
	if _, err := s.SaveFirms(ctx, []*models.Firm{a, b}); err != nil {
		t.Fatal(err)
	}
	if a.Slug != "minh-phat" || b.Slug != "minh-phat-0102222222" {
		t.Fatalf("slugs = %q, %q", a.Slug, b.Slug)
	}
}

func TestStoreRejectsInvalidBatchWhole(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	good := &models.Firm{TaxCode: "0101111111", NameVI: "Công ty TNHH Minh Phát"}
	bad := &models.Firm{TaxCode: "12", NameVI: "Công ty Lỗi"}
	if _, err := s.SaveFirms(ctx, []*models.Firm{good, bad}); err == nil {
		t.Fatal("an invalid firm in the batch must reject the batch")
	}
	if n, _ := s.CountFirms(ctx); n != 0 {
		t.Fatalf("%d firms written from a rejected batch", n)
	}
}

func TestStoreDeleteAndReopen(t *testing.T) {
	ctx := context.Background()
	where := newTestDatabase(t)
	s, err := OpenURL(where)
	if err != nil {
		t.Fatal(err)
	}
	ref := s.Reference()
	f := termFirm(t, ref, "0101234567", "Công ty TNHH Cơ khí Hòa Lạc", "co-khi")
	if err := s.SaveFirm(ctx, f); err != nil {
		t.Fatal(err)
	}
	var deleted []uint
	s.Observe(func(_, d []uint) { deleted = append(deleted, d...) })
	if err := s.DeleteFirm(ctx, models.SystemActor("test"), f.ID, ""); err != nil {
		t.Fatal(err)
	}
	if len(deleted) != 1 || deleted[0] != f.ID {
		t.Fatalf("observer heard deletions %v", deleted)
	}
	if err := s.DeleteFirm(ctx, models.SystemActor("test"), f.ID, ""); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	var links int64
	s.db.Model(&firmTerm{}).Count(&links)
	if links != 0 {
		t.Fatalf("%d term links left after delete", links)
	}
	s.Close()
	s2, err := OpenURL(where)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if s2.Created {
		t.Fatal("reopened database reports Created")
	}
	if len(s2.Reference().Terms) != len(ref.Terms) {
		t.Fatal("reference data changed on reopen")
	}
}
