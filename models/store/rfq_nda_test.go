package store

import (
	"context"
	"errors"
	"testing"

	"github.com/hanoi-cnht/portal/models"
)

// TestRFQNDA: with an NDA asked, the firm opens the buyer's drawing only once a member accepted
// the NDA in the thread (audited, once); the buyer reads it throughout, and the firm reads its
// own files. A request without an NDA takes no acceptance.
func TestRFQNDA(t *testing.T) {
	ctx := context.Background()
	x := newSourcingFixture(t)
	r, err := x.s.SendRFQ(ctx, x.buyer, models.RFQInput{Title: "Bracket", Description: "SPCC", NDA: true,
		FirmIDs: []uint{x.a.ID}, Files: []models.RFQFile{{StoredName: "rfq-files/0123456789abcdef0123456789abcdef.pdf",
			OriginalName: "ban-ve.pdf", ContentType: "application/pdf", Size: 2048}}})
	if err != nil {
		t.Fatal(err)
	}
	sum, _ := x.s.RFQ(ctx, x.buyer, r.ID)
	th, drawing := sum.Threads[0].Thread.ID, sum.Files[0].ID
	if _, err := x.s.RFQFile(ctx, x.ownerA, th, drawing); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("the firm opens the drawing before accepting the NDA: %v", err)
	}
	if _, err := x.s.RFQFile(ctx, x.buyer, th, drawing); err != nil {
		t.Fatalf("the buyer reads the drawing: %v", err)
	}
	// The firm's own quotation file is its own to read.
	if _, err := x.s.Reply(ctx, x.ownerA, th, models.ReplyInput{Kind: models.MessageQuote, Price: "100", Currency: "USD",
		Files: []models.RFQFile{{StoredName: "rfq-files/fedcba9876543210fedcba9876543210.pdf", OriginalName: "gia.pdf",
			ContentType: "application/pdf", Size: 100}}}); err != nil {
		t.Fatal(err)
	}
	v, _ := x.s.OpenThread(ctx, x.ownerA, th)
	var own uint
	for _, f := range v.Files {
		if f.MessageID != nil {
			own = f.ID
		}
	}
	if _, err := x.s.RFQFile(ctx, x.ownerA, th, own); err != nil {
		t.Errorf("the firm reads its own file before the NDA: %v", err)
	}

	t.Run("ErrOnlyTheFirmAccepts", func(t *testing.T) {
		if err := x.s.AcceptNDA(ctx, x.buyer, th); !errors.Is(err, models.ErrForbidden) {
			t.Errorf("the buyer accepts: %v", err)
		}
		if err := x.s.AcceptNDA(ctx, x.ownerB, th); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("another firm accepts: %v", err)
		}
		if err := x.s.AcceptNDA(ctx, x.staffer, th); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("staff accept: %v", err)
		}
	})
	for range 2 {
		if err := x.s.AcceptNDA(ctx, x.ownerA, th); err != nil {
			t.Fatal(err)
		}
	}
	if n := x.audits(t, "rfq.nda_accept"); n != 1 {
		t.Errorf("%d acceptances audited, want 1", n)
	}
	v, _ = x.s.OpenThread(ctx, x.ownerA, th)
	if v.Thread.NDAAcceptedAt == nil || v.Thread.NDAAcceptedBy != x.ownerA.Name {
		t.Errorf("thread after acceptance: %+v", v.Thread)
	}
	if _, err := x.s.RFQFile(ctx, x.ownerA, th, drawing); err != nil {
		t.Errorf("the firm opens the drawing after accepting the NDA: %v", err)
	}

	t.Run("ErrNoNDAAsked", func(t *testing.T) {
		plain, err := x.s.SendRFQ(ctx, x.buyer, models.RFQInput{Title: "x", Description: "y", FirmIDs: []uint{x.a.ID}})
		if err != nil {
			t.Fatal(err)
		}
		s, _ := x.s.RFQ(ctx, x.buyer, plain.ID)
		if err := x.s.AcceptNDA(ctx, x.ownerA, s.Threads[0].Thread.ID); !errors.Is(err, models.ErrConflict) {
			t.Errorf("accepting an NDA no one asked for: %v", err)
		}
	})
}

// TestRFQMarkForwarded: staff mark a forwarded thread as passed on, audited once; the buyer
// reads when and by whom; marking again changes nothing. Threads to firms with an account are not staff's to mark.
func TestRFQMarkForwarded(t *testing.T) {
	ctx := context.Background()
	x := newSourcingFixture(t)
	lone := termFirm(t, x.s.Reference(), "0109999999", "Công ty TNHH Khuôn Mẫu Lẻ", "co-khi")
	if _, err := x.s.SaveFirms(ctx, []*models.Firm{lone}); err != nil {
		t.Fatal(err)
	}
	lone, _ = x.s.FirmByTaxCode(ctx, lone.TaxCode)
	r := sendRFQ(t, x, lone.ID, x.a.ID)
	sum, _ := x.s.RFQ(ctx, x.buyer, r.ID)
	threadOf := map[uint]uint{}
	for _, th := range sum.Threads {
		threadOf[th.Thread.FirmID] = th.Thread.ID
	}
	fwd := threadOf[lone.ID]
	if err := x.s.MarkForwarded(ctx, x.buyer, fwd); !errors.Is(err, models.ErrForbidden) {
		t.Errorf("the buyer marks: %v", err)
	}
	if err := x.s.MarkForwarded(ctx, x.staffer, threadOf[x.a.ID]); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("staff mark a thread to a firm with an account: %v", err)
	}
	if err := x.s.MarkForwarded(ctx, x.staffer, fwd); err != nil {
		t.Fatal(err)
	}
	if err := x.s.MarkForwarded(ctx, x.staffer, fwd); err != nil {
		t.Errorf("marked twice: %v", err)
	}
	if n := x.audits(t, "rfq.forwarded"); n != 1 {
		t.Errorf("%d markings audited, want 1", n)
	}
	sum, _ = x.s.RFQ(ctx, x.buyer, r.ID)
	for _, th := range sum.Threads {
		if th.Thread.ID == fwd && (th.Thread.ForwardedAt == nil || th.Thread.ForwardedBy != x.staffer.Name) {
			t.Errorf("the buyer reads %+v", th.Thread)
		}
	}
	o, _ := x.s.RFQOverview(ctx, x.staffer)
	if len(o.Forwarded) != 1 || o.Forwarded[0].Thread.ForwardedAt == nil {
		t.Errorf("staff's queue: %+v", o.Forwarded)
	}
}
