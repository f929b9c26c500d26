package mail

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
	"github.com/hanoi-cnht/portal/models/store/storetest"
)

// testClock is a clock the test moves by hand, shared by the store and the worker.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// outboxFixture opens a real store on a stopped clock and queues one mail in it.
func outboxFixture(t *testing.T, m models.Mail) (*store.Store, *testClock) {
	t.Helper()
	s := storetest.Open(t)
	clock := &testClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	s.SetClock(clock.Now)
	if err := s.QueueMail(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	return s, clock
}

func testWorker(s *store.Store, sender Sender, clock *testClock, logs *bytes.Buffer) *Worker {
	w := NewWorker(s, sender, slog.New(slog.NewJSONHandler(logs, nil)))
	w.Now = clock.Now
	return w
}

var welcome = models.Mail{
	Recipient: "tran.thi.binh@example.vn",
	Lang:      "vi",
	Subject:   "Chào mừng đến Cổng CNHT Hà Nội",
	Body:      "Đặt mật khẩu tại: https://cnht.example.vn/dat-mat-khau?token=xyz\n",
}

// queued returns the one mail still queued, due or not.
func queued(t *testing.T, s *store.Store) models.Mail {
	t.Helper()
	mails, err := s.DueMails(context.Background(), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(mails) != 1 {
		t.Fatalf("%d mails queued, want 1", len(mails))
	}
	return mails[0]
}

func wantCounts(t *testing.T, s *store.Store, queued, sent, failed int64) {
	t.Helper()
	q, se, f, err := s.OutboxCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if q != queued || se != sent || f != failed {
		t.Fatalf("outbox: %d queued, %d sent, %d failed; want %d, %d, %d", q, se, f, queued, sent, failed)
	}
}

func wantPass(t *testing.T, w *Worker, sent, failed int) {
	t.Helper()
	s, f, err := w.SendDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s != sent || f != failed {
		t.Fatalf("pass sent %d and failed %d; want %d and %d", s, f, sent, failed)
	}
}

func TestWorkerDeliversQueuedMail(t *testing.T) {
	s, clock := outboxFixture(t, welcome)
	srv := startSMTP(t, 0, nil)
	var logs bytes.Buffer
	w := testWorker(s, localSender(t, srv.PortNumber(), ""), clock, &logs)

	wantPass(t, w, 1, 0)
	wantCounts(t, s, 0, 1, 0)
	got := delivered(t, srv)
	if len(got) != 1 {
		t.Fatalf("server accepted %d messages, want 1", len(got))
	}
	if got[0].rcpt[0][0] != "RCPT TO:<"+welcome.Recipient+">" || strings.ReplaceAll(got[0].body, "\r\n", "\n") != welcome.Body {
		t.Fatalf("delivered to %q: %q", got[0].rcpt, got[0].body)
	}
	wantPass(t, w, 0, 0) // sent once, never again
}

func TestWorkerRetriesWhileServerIsDown(t *testing.T) {
	s, clock := outboxFixture(t, welcome)
	port := freePort(t)
	var logs bytes.Buffer
	w := testWorker(s, localSender(t, port, ""), clock, &logs)
	start := clock.Now()

	wantPass(t, w, 0, 1)
	m := queued(t, s)
	if m.Attempts != 1 || m.LastError == "" || !m.NextAttemptAt.Equal(start.Add(time.Minute)) || m.FailedAt != nil {
		t.Fatalf("after the server was down: attempts %d, next %s, error %q, failed %v; want 1, %s",
			m.Attempts, m.NextAttemptAt, m.LastError, m.FailedAt, start.Add(time.Minute))
	}
	if !strings.Contains(logs.String(), `"level":"WARN"`) {
		t.Fatalf("no warning logged:\n%s", logs.String())
	}

	srv := startSMTP(t, port, nil)
	clock.Set(start.Add(59 * time.Second))
	wantPass(t, w, 0, 0) // not due yet, although the server is back
	clock.Set(start.Add(time.Minute))
	wantPass(t, w, 1, 0)
	wantCounts(t, s, 0, 1, 0)
	if n := len(delivered(t, srv)); n != 1 {
		t.Fatalf("server accepted %d messages, want 1", n)
	}
}

func TestWorkerRecipientRefused(t *testing.T) {
	for _, tc := range []struct {
		name, reply string
		givenUp     bool
	}{
		{"GivesUpOnPermanentRefusal", "550 5.1.1 No such user", true},
		{"RetriesWhenMailboxFull", "552 5.2.2 Mailbox full", false},
		{"RetriesOnTemporaryRefusal", "450 4.2.1 Try again later", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, clock := outboxFixture(t, welcome)
			srv := startSMTP(t, 0, map[string]string{welcome.Recipient: tc.reply})
			var logs bytes.Buffer
			w := testWorker(s, localSender(t, srv.PortNumber(), ""), clock, &logs)

			wantPass(t, w, 0, 1)
			if tc.givenUp {
				wantCounts(t, s, 0, 0, 1)
				if !strings.Contains(logs.String(), `"level":"ERROR"`) {
					t.Fatalf("giving up not logged as an error:\n%s", logs.String())
				}
				return
			}
			wantCounts(t, s, 1, 0, 0)
			if m := queued(t, s); m.Attempts != 1 || !strings.Contains(m.LastError, tc.reply[:3]) {
				t.Fatalf("after a temporary refusal: %+v", m)
			}
		})
	}
}

// failingSender fails every mail, as a server that is never reachable would.
type failingSender struct{}

func (failingSender) Send(context.Context, models.Mail) error {
	return errors.New("dial tcp: connection refused")
}

func TestWorkerGivesUpAfterMaxAttempts(t *testing.T) {
	s, clock := outboxFixture(t, welcome)
	var logs bytes.Buffer
	w := testWorker(s, failingSender{}, clock, &logs)
	w.MaxAttempts = 4

	var waits []time.Duration
	for attempt := 1; attempt <= 4; attempt++ {
		wantPass(t, w, 0, 1)
		if attempt == 4 {
			break
		}
		m := queued(t, s)
		waits = append(waits, m.NextAttemptAt.Sub(clock.Now()))
		clock.Set(m.NextAttemptAt)
	}
	if want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute}; !slices.Equal(waits, want) {
		t.Fatalf("waits between attempts = %v, want %v", waits, want)
	}
	wantCounts(t, s, 0, 0, 1)
	if !strings.Contains(logs.String(), "mail given up after too many attempts") {
		t.Fatalf("giving up not logged:\n%s", logs.String())
	}
}

func TestRetryDelay(t *testing.T) {
	for _, tc := range []struct {
		attempt int
		want    time.Duration
	}{
		{1, time.Minute},
		{2, 2 * time.Minute},
		{3, 4 * time.Minute},
		{8, 128 * time.Minute},
		{9, 256 * time.Minute},
		{10, 6 * time.Hour}, // 512 minutes, capped
		{1000, 6 * time.Hour},
	} {
		if got := retryDelay(tc.attempt); got != tc.want {
			t.Errorf("retryDelay(%d) = %s, want %s", tc.attempt, got, tc.want)
		}
	}
}

// heldSender hands each mail to the test and waits for the test's word before it returns.
type heldSender struct {
	got     chan models.Mail
	release chan struct{}
}

func (h heldSender) Send(ctx context.Context, m models.Mail) error {
	h.got <- m
	select {
	case <-h.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func TestWorkerRunSendsWhenWokenAndFinishesOnStop(t *testing.T) {
	s := storetest.Open(t)
	sender := heldSender{got: make(chan models.Mail), release: make(chan struct{})}
	w := NewWorker(s, sender, slog.New(slog.DiscardHandler))
	w.Interval = time.Hour // only Wake can start the second pass within the test's deadline

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	done := make(chan struct{})
	go func() {
		w.Run(ctx)
		close(done)
	}()

	if err := s.QueueMail(context.Background(), welcome); err != nil {
		t.Fatal(err)
	}
	w.Wake()
	deadline := time.After(5 * time.Second)
	select {
	case m := <-sender.got:
		if m.Recipient != welcome.Recipient {
			t.Fatalf("sent to %s", m.Recipient)
		}
	case <-deadline:
		t.Fatal("the woken worker sent nothing")
	}

	// Stop while the mail is in hand: Run finishes it and records it before returning.
	stop()
	close(sender.release)
	select {
	case <-done:
	case <-deadline:
		t.Fatal("Run did not return after its context ended")
	}
	wantCounts(t, s, 0, 1, 0)
}

func TestLogSenderWritesTheMail(t *testing.T) {
	var logs bytes.Buffer
	err := LogSender{Logger: slog.New(slog.NewJSONHandler(&logs, nil))}.Send(context.Background(), welcome)
	if err != nil {
		t.Fatal(err)
	}
	var rec map[string]any
	if err := json.Unmarshal(logs.Bytes(), &rec); err != nil {
		t.Fatalf("log is not one JSON record: %v\n%s", err, logs.String())
	}
	for key, want := range map[string]string{
		"level":   "INFO",
		"to":      welcome.Recipient,
		"subject": welcome.Subject,
		"body":    welcome.Body,
	} {
		if rec[key] != want {
			t.Errorf("log %s = %v, want %q", key, rec[key], want)
		}
	}
}
