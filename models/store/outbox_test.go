package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
)

// outboxStore opens a store whose clock stands still at a fixed time, so queue times are known.
func outboxStore(t *testing.T) (*Store, time.Time) {
	t.Helper()
	s := openTestStore(t)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	s.SetClock(func() time.Time { return now })
	return s, now
}

func queue(t *testing.T, s *Store, to, subject string) {
	t.Helper()
	if err := s.QueueMail(context.Background(), models.Mail{Recipient: to, Lang: "vi", Subject: subject, Body: "Nội dung"}); err != nil {
		t.Fatalf("queue %s: %v", to, err)
	}
}

func dueSubjects(t *testing.T, s *Store, now time.Time) []string {
	t.Helper()
	mails, err := s.DueMails(context.Background(), now, 100)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(mails))
	for i, m := range mails {
		out[i] = m.Subject
	}
	return out
}

func TestOutboxDueMails(t *testing.T) {
	ctx := context.Background()

	t.Run("OldestFirst", func(t *testing.T) {
		s, now := outboxStore(t)
		for i, subject := range []string{"first", "second", "third"} {
			at := now.Add(time.Duration(i) * time.Second)
			s.SetClock(func() time.Time { return at })
			queue(t, s, "Nguoi.Mua@Example.com", subject)
		}
		later := now.Add(time.Minute)
		if got := dueSubjects(t, s, later); !slices.Equal(got, []string{"first", "second", "third"}) {
			t.Fatalf("due = %v, want first, second, third", got)
		}
		mails, err := s.DueMails(ctx, later, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(mails) != 2 {
			t.Fatalf("limit 2 gave %d mails", len(mails))
		}
		m := mails[0]
		if m.Recipient != "nguoi.mua@example.com" || m.Lang != "vi" || m.Body != "Nội dung" || m.Attempts != 0 ||
			!m.CreatedAt.Equal(now) || !m.NextAttemptAt.Equal(now) || m.SentAt != nil || m.FailedAt != nil {
			t.Fatalf("stored mail = %+v", m)
		}
	})

	t.Run("NotDueBeforeNextAttempt", func(t *testing.T) {
		s, now := outboxStore(t)
		queue(t, s, "a@example.com", "hello")
		if got := dueSubjects(t, s, now.Add(-time.Microsecond)); len(got) != 0 {
			t.Fatalf("due before it was queued: %v", got)
		}
		if got := dueSubjects(t, s, now); len(got) != 1 {
			t.Fatalf("due at its queue time: %v, want it", got)
		}
		// A clock in another zone names the same instant: still due, and not earlier.
		hanoi := time.FixedZone("ICT", 7*3600)
		if got := dueSubjects(t, s, now.In(hanoi)); len(got) != 1 {
			t.Fatalf("due at its queue time in Hanoi time: %v, want it", got)
		}
		if got := dueSubjects(t, s, now.Add(-time.Second).In(hanoi)); len(got) != 0 {
			t.Fatalf("due a second early in Hanoi time: %v", got)
		}
	})

	t.Run("FailedWaitsForItsNextAttempt", func(t *testing.T) {
		s, now := outboxStore(t)
		queue(t, s, "a@example.com", "hello")
		m := firstDue(t, s, now)
		next := now.Add(time.Minute)
		if err := s.MailFailed(ctx, m.ID, "dial tcp: connection refused", next, false); err != nil {
			t.Fatal(err)
		}
		if got := dueSubjects(t, s, next.Add(-time.Second)); len(got) != 0 {
			t.Fatalf("due before its next attempt: %v", got)
		}
		again := firstDue(t, s, next)
		if again.Attempts != 1 || again.LastError != "dial tcp: connection refused" || again.FailedAt != nil {
			t.Fatalf("after one failure: %+v", again)
		}
		if queued, sent, failed, err := s.OutboxCounts(ctx); err != nil || queued != 1 || sent != 0 || failed != 0 {
			t.Fatalf("counts = %d queued, %d sent, %d failed (%v); want 1, 0, 0", queued, sent, failed, err)
		}
	})

	t.Run("SentLeavesTheQueue", func(t *testing.T) {
		s, now := outboxStore(t)
		queue(t, s, "a@example.com", "hello")
		m := firstDue(t, s, now)
		if err := s.MailSent(ctx, m.ID, now); err != nil {
			t.Fatal(err)
		}
		if got := dueSubjects(t, s, now.Add(time.Hour)); len(got) != 0 {
			t.Fatalf("sent mail still due: %v", got)
		}
		if err := s.MailFailed(ctx, m.ID, "late", now, true); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("failing a sent mail: %v, want ErrNotFound", err)
		}
		if queued, sent, failed, err := s.OutboxCounts(ctx); err != nil || queued != 0 || sent != 1 || failed != 0 {
			t.Fatalf("counts = %d queued, %d sent, %d failed (%v); want 0, 1, 0", queued, sent, failed, err)
		}
	})

	t.Run("GivenUpLeavesTheQueue", func(t *testing.T) {
		s, now := outboxStore(t)
		queue(t, s, "a@example.com", "hello")
		m := firstDue(t, s, now)
		if err := s.MailFailed(ctx, m.ID, "550 no such user", now, true); err != nil {
			t.Fatal(err)
		}
		if got := dueSubjects(t, s, now.Add(time.Hour)); len(got) != 0 {
			t.Fatalf("given-up mail still due: %v", got)
		}
		if err := s.MailSent(ctx, m.ID, now); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("sending a given-up mail: %v, want ErrNotFound", err)
		}
		if queued, sent, failed, err := s.OutboxCounts(ctx); err != nil || queued != 0 || sent != 0 || failed != 1 {
			t.Fatalf("counts = %d queued, %d sent, %d failed (%v); want 0, 0, 1", queued, sent, failed, err)
		}
	})
}

func firstDue(t *testing.T, s *Store, now time.Time) models.Mail {
	t.Helper()
	mails, err := s.DueMails(context.Background(), now, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(mails) != 1 {
		t.Fatalf("no mail due at %s", now)
	}
	return mails[0]
}

func TestQueueMailRecipients(t *testing.T) {
	ctx := context.Background()
	s, now := outboxStore(t)
	sample := termFirm(t, s.Reference(), "0100000001", "Công ty Mẫu")
	sample.Sample, sample.Email = true, "x@y.vn"
	realFirm := termFirm(t, s.Reference(), "0100000002", "Công ty Thật")
	realFirm.Email = "Lienhe@That.vn"
	for _, f := range []*models.Firm{sample, realFirm} {
		if err := s.SaveFirm(ctx, f); err != nil {
			t.Fatal(err)
		}
	}

	for _, tc := range []struct {
		name, to string
		queued   bool
		invalid  bool
	}{
		{"SampleFirmAddressDropped", "X@Y.vn", false, false},
		{"RealFirmAddressQueued", "lienhe@that.vn", true, false},
		{"OtherAddressQueued", "nguoi.mua@example.com", true, false},
		{"ErrInvalidAddress", "not an address", false, true},
		{"ErrEmptyAddress", "", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(dueSubjects(t, s, now))
			err := s.QueueMail(ctx, models.Mail{Recipient: tc.to, Subject: tc.name, Body: "b"})
			var verr *models.ValidationError
			switch {
			case tc.invalid && (!errors.As(err, &verr) || !verr.Has("recipient")):
				t.Fatalf("QueueMail(%q) = %v, want a validation error on recipient", tc.to, err)
			case !tc.invalid && err != nil:
				t.Fatalf("QueueMail(%q) = %v", tc.to, err)
			}
			got := len(dueSubjects(t, s, now)) - before
			if want := map[bool]int{true: 1, false: 0}[tc.queued]; got != want {
				t.Fatalf("QueueMail(%q) queued %d mails, want %d", tc.to, got, want)
			}
		})
	}
}

func TestQueueMailFollowsTheTransaction(t *testing.T) {
	ctx := context.Background()
	s, now := outboxStore(t)
	errRollback := errors.New("the change failed")

	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := queueMail(tx, now, models.Mail{Recipient: "a@example.com", Subject: "rolled back"}); err != nil {
			return err
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("transaction = %v, want the change's error", err)
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return queueMail(tx, now, models.Mail{Recipient: "a@example.com", Subject: "committed"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := dueSubjects(t, s, now); !slices.Equal(got, []string{"committed"}) {
		t.Fatalf("outbox = %v, want only the committed mail", got)
	}
}
