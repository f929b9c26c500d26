package search

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store/storetest"
)

// logRecorder keeps the messages the index logs, so a test can tell a rebuild from a reopen.
type logRecorder struct {
	mu   sync.Mutex
	msgs []string
}

func (r *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (r *logRecorder) Handle(_ context.Context, rec slog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, rec.Message)
	return nil
}
func (r *logRecorder) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *logRecorder) WithGroup(string) slog.Handler      { return r }

func (r *logRecorder) saw(prefix string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.ContainsFunc(r.msgs, func(m string) bool { return strings.HasPrefix(m, prefix) })
}

func recordingLogger() (*slog.Logger, *logRecorder) {
	r := &logRecorder{}
	return slog.New(r), r
}

// hitIDs runs a text search and returns the ids found, in order.
func hitIDs(t *testing.T, ix *Index, text string) []uint {
	t.Helper()
	res, err := ix.Search(context.Background(), Query{Text: text, PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]uint, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids
}

func docCount(t *testing.T, ix *Index) uint64 {
	t.Helper()
	n, err := ix.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOpenBuildsFromDatabase(t *testing.T) {
	s := storetest.Open(t)
	ids := loadFixtures(t, s)
	log, rec := recordingLogger()
	ix := openTestIndex(t, newIndexDir(t), s, WithLogger(log))
	if got := docCount(t, ix); got != uint64(len(ids)) {
		t.Errorf("DocCount = %d, want %d", got, len(ids))
	}
	if !rec.saw("search index rebuilt") {
		t.Errorf("a missing index should be built; log: %q", rec.msgs)
	}
}

func TestRestartKeepsIndex(t *testing.T) {
	s := storetest.Open(t)
	loadFixtures(t, s)
	dir := newIndexDir(t)
	ix, err := Open(dir, s, WithClock(testClock), WithLogger(quietLogger()))
	if err != nil {
		t.Fatal(err)
	}
	before := hitIDs(t, ix, "khuôn mẫu")
	if len(before) == 0 {
		t.Fatal("no results before restart")
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Search(context.Background(), Query{Text: "x"}); !errors.Is(err, ErrClosed) {
		t.Errorf("search after Close: %v, want ErrClosed", err)
	}

	log, rec := recordingLogger()
	again := openTestIndex(t, dir, s, WithLogger(log))
	if after := hitIDs(t, again, "khuôn mẫu"); !slices.Equal(before, after) {
		t.Errorf("results changed across a restart: %v then %v", before, after)
	}
	if rec.saw("search index rebuilt") || rec.saw("search index repaired") {
		t.Errorf("reopening an up-to-date index should neither rebuild nor repair; log: %q", rec.msgs)
	}
}

func TestMappingVersionChangeRebuilds(t *testing.T) {
	s := storetest.Open(t)
	ids := loadFixtures(t, s)
	dir := newIndexDir(t)
	ix, err := Open(dir, s, WithClock(testClock), WithLogger(quietLogger()))
	if err != nil {
		t.Fatal(err)
	}
	before := hitIDs(t, ix, "injection moulding")
	ix.Close()

	log, rec := recordingLogger()
	bumped := openTestIndex(t, dir, s, WithLogger(log), WithMappingVersion(MappingVersion+1))
	if !rec.saw("search index rebuilt") {
		t.Fatalf("a new mapping version should rebuild; log: %q", rec.msgs)
	}
	if got := docCount(t, bumped); got != uint64(len(ids)) {
		t.Errorf("DocCount after rebuild = %d, want %d", got, len(ids))
	}
	if after := hitIDs(t, bumped, "injection moulding"); !slices.Equal(before, after) {
		t.Errorf("results changed across the rebuild: %v then %v", before, after)
	}
	v, err := bumped.idx.GetInternal(keyMappingVersion)
	if err != nil || string(v) != strconv.Itoa(MappingVersion+1) {
		t.Errorf("recorded mapping version = %q, %v", v, err)
	}
	for _, leftover := range []string{".new", ".old", ".building"} {
		if _, err := os.Stat(dir + leftover); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind after the swap", IndexDir+leftover)
		}
	}
}

func TestRepairsWritesMissedWhileClosed(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	ids := loadFixtures(t, s)
	dir := newIndexDir(t)
	ix, err := Open(dir, s, WithClock(testClock), WithLogger(quietLogger()))
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()

	// The portal is down: the database changes without the index hearing of it.
	newFirm := &models.Firm{TaxCode: "0109999001", NameVI: "Công ty TNHH Gốm Kỹ thuật Bát Tràng",
		DescriptionVI: "Sứ cách điện và gốm alumina cho thiết bị điện.", Sites: []models.Site{{District: "018"}}}
	if err := s.SaveFirm(ctx, newFirm); err != nil {
		t.Fatal(err)
	}
	changed, err := s.FirmByID(ctx, ids[19])
	if err != nil {
		t.Fatal(err)
	}
	changed.DescriptionVI += " Nhận thổi chai thủy tinh mỹ nghệ."
	if err := s.SaveFirm(ctx, changed); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteFirm(ctx, models.SystemActor("test"), ids[8], ""); err != nil {
		t.Fatal(err)
	}

	log, rec := recordingLogger()
	again := openTestIndex(t, dir, s, WithLogger(log))
	if !rec.saw("search index repaired") {
		t.Errorf("expected a repair; log: %q", rec.msgs)
	}
	if got := docCount(t, again); got != uint64(len(ids)) { // one added, one deleted
		t.Errorf("DocCount = %d, want %d", got, len(ids))
	}
	if got := hitIDs(t, again, "sứ cách điện"); !slices.Contains(got, newFirm.ID) {
		t.Errorf("firm written while closed not found: %v", got)
	}
	if got := hitIDs(t, again, "thủy tinh mỹ nghệ"); !slices.Contains(got, ids[19]) {
		t.Errorf("firm changed while closed not updated: %v", got)
	}
	if got := hitIDs(t, again, "rèn dập nóng"); slices.Contains(got, ids[8]) {
		t.Errorf("firm deleted while closed still found: %v", got)
	}
}

func TestObserverKeepsIndexInStep(t *testing.T) {
	ctx := context.Background()
	ix, s, ids := fixtureIndex(t)

	f := &models.Firm{TaxCode: "0109999002", NameVI: "Công ty TNHH Kỹ thuật Hoàng Gia",
		DescriptionVI: "Lò xo xoắn, lò xo lá cho ô tô.", Sites: []models.Site{{District: "017"}}}
	if err := s.SaveFirm(ctx, f); err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(t, ix, "Hoàng Gia"); !slices.Contains(got, f.ID) {
		t.Errorf("new firm not searchable right after the write: %v", got)
	}

	f.DescriptionVI = "Chuyên sản xuất bánh xe đẩy công nghiệp."
	if err := s.SaveFirm(ctx, f); err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(t, ix, "bánh xe đẩy"); !slices.Contains(got, f.ID) {
		t.Errorf("updated text not searchable: %v", got)
	}
	if got := hitIDs(t, ix, "lò xo lá"); slices.Contains(got, f.ID) {
		t.Errorf("old text still found after the update: %v", got)
	}

	if err := s.DeleteFirm(ctx, models.SystemActor("test"), ids[1], ""); err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(t, ix, "Tân Phát"); slices.Contains(got, ids[1]) {
		t.Errorf("deleted firm still found: %v", got)
	}
}

func TestFailedRebuildKeepsServing(t *testing.T) {
	ix, _, _ := fixtureIndex(t)
	before := hitIDs(t, ix, "khuôn mẫu")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ix.Rebuild(ctx); err == nil {
		t.Fatal("a rebuild with a cancelled context should fail")
	}
	if after := hitIDs(t, ix, "khuôn mẫu"); !slices.Equal(before, after) {
		t.Errorf("the old index should keep serving: %v then %v", before, after)
	}
	for _, leftover := range []string{".new", ".building"} {
		if _, err := os.Stat(ix.path + leftover); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind by a failed rebuild", leftover)
		}
	}
	if err := ix.Rebuild(context.Background()); err != nil {
		t.Fatalf("a later rebuild: %v", err)
	}
	if after := hitIDs(t, ix, "khuôn mẫu"); !slices.Equal(before, after) {
		t.Errorf("results changed across Rebuild: %v then %v", before, after)
	}
}

func TestRecoversInterruptedSwap(t *testing.T) {
	s := storetest.Open(t)
	ids := loadFixtures(t, s)
	dir := newIndexDir(t)
	ix, err := Open(dir, s, WithClock(testClock), WithLogger(quietLogger()))
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	// A crash between the two renames of a swap leaves the complete new index as index.new and
	// no index.
	path := dir
	if err := os.Rename(path, path+".new"); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(path+".building", 0o750); err != nil {
		t.Fatal(err)
	}
	log, rec := recordingLogger()
	again := openTestIndex(t, dir, s, WithLogger(log))
	if rec.saw("search index rebuilt") {
		t.Errorf("the complete index.new should be moved in, not rebuilt; log: %q", rec.msgs)
	}
	if got := docCount(t, again); got != uint64(len(ids)) {
		t.Errorf("DocCount = %d, want %d", got, len(ids))
	}
	if _, err := os.Stat(path + ".building"); !errors.Is(err, os.ErrNotExist) {
		t.Error("index.building left behind")
	}
}

// movableClock is a test clock that can be moved forward while searches run.
type movableClock struct{ ns atomic.Int64 }

func (c *movableClock) now() time.Time  { return time.Unix(0, c.ns.Load()).UTC() }
func (c *movableClock) set(t time.Time) { c.ns.Store(t.UnixNano()) }

func TestCertificateExpiryIsHonouredAtQueryTime(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	clock := &movableClock{}
	clock.set(testNow)
	verified := testNow.AddDate(0, -1, 0)
	f := &models.Firm{TaxCode: "0109999003", NameVI: "Công ty TNHH Đúc Chính xác Hạn Chót",
		Sites:        []models.Site{{District: "017"}},
		Certificates: []models.Certificate{{Standard: "ISO 9001", VerifiedAt: &verified, Expires: models.DateOf(2026, 1, 20)}}}
	if err := s.SaveFirm(ctx, f); err != nil {
		t.Fatal(err)
	}
	ix := openTestIndex(t, newIndexDir(t), s, WithClock(clock.now))
	verifiedISO := Query{Filters: Filters{Cert: []string{"ISO 9001"}, Verified: true}}
	anyISO := Query{Filters: Filters{Cert: []string{"ISO 9001"}}}

	for _, tc := range []struct {
		name     string
		at       time.Time
		verified int
		claimed  int
	}{
		{"BeforeExpiry", testNow, 1, 1},
		// A certificate is valid to the end of its expiry day in Hanoi (UTC+7): at 23:00 there it
		// still counts, at midnight it has expired, though it is still the 20th in UTC.
		{"OnTheLastDay", time.Date(2026, 1, 20, 23, 0, 0, 0, models.Hanoi), 1, 1},
		{"DayAfterInHanoi", time.Date(2026, 1, 21, 0, 0, 0, 0, models.Hanoi), 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock.set(tc.at)
			for _, c := range []struct {
				q    Query
				want int
			}{{verifiedISO, tc.verified}, {anyISO, tc.claimed}} {
				res, err := ix.Search(ctx, c.q)
				if err != nil {
					t.Fatal(err)
				}
				if res.Total != c.want {
					t.Errorf("verified=%v: total %d, want %d", c.q.Filters.Verified, res.Total, c.want)
				}
			}
		})
	}
}

func TestConcurrentSearchesWritesAndRebuild(t *testing.T) {
	ctx := context.Background()
	ix, s, _ := fixtureIndex(t)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 15; i++ {
				if _, err := ix.Search(ctx, Query{Text: "khuôn mẫu", Filters: Filters{District: []string{"250"}}}); err != nil {
					errs <- err
					return
				}
				if _, err := ix.Suggest(ctx, "ép ph", "vi", 5); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	var written []uint
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 10; i++ {
			f := &models.Firm{TaxCode: "01099990" + string(rune('1'+i/10)) + string(rune('0'+i%10)),
				NameVI: "Công ty TNHH Khuôn mẫu Song Song", Sites: []models.Site{{District: "250"}}}
			if err := s.SaveFirm(ctx, f); err != nil {
				errs <- err
				return
			}
			written = append(written, f.ID)
		}
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := ix.Rebuild(ctx); err != nil {
			errs <- err
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got := hitIDs(t, ix, "Song Song")
	for _, id := range written {
		if !slices.Contains(got, id) {
			t.Errorf("firm %d written during the rebuild is not in the index", id)
		}
	}
}

func TestSecondOpenFailsWithoutHarm(t *testing.T) {
	s := storetest.Open(t)
	ids := loadFixtures(t, s)
	dir := newIndexDir(t)
	ix := openTestIndex(t, dir, s)
	if _, err := Open(dir, s, WithClock(testClock), WithLogger(quietLogger())); err == nil {
		t.Fatal("a second Open of an index in use should fail")
	}
	if got := docCount(t, ix); got != uint64(len(ids)) {
		t.Errorf("the first index was disturbed: %d documents", got)
	}
	if got := hitIDs(t, ix, "Tân Phát"); len(got) == 0 {
		t.Error("the first index no longer answers")
	}
}
