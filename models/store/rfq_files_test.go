package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hanoi-cnht/portal/models"
)

// rfqFile is an attachment row as the web layer hands it over, the file itself already stored.
func rfqFile(n int, original string) models.RFQFile {
	return models.RFQFile{StoredName: fmt.Sprintf("rfq-files/%032x.pdf", n), OriginalName: original,
		ContentType: "application/pdf", Size: int64(1000 + n)}
}

func fileNames(files []models.RFQFile) string {
	var names []string
	for _, f := range files {
		names = append(names, f.OriginalName)
	}
	return strings.Join(names, ",")
}

// TestRFQFiles: the request's drawings show in every thread of the RFQ, a quotation's file only
// in its own thread, and each file reads only through a thread its reader may open.
func TestRFQFiles(t *testing.T) {
	ctx := context.Background()
	x := newSourcingFixture(t)
	r, err := x.s.SendRFQ(ctx, x.buyer, models.RFQInput{Title: "Bracket", Description: "SPCC",
		FirmIDs: []uint{x.a.ID, x.b.ID}, Files: []models.RFQFile{rfqFile(1, "bản vẽ.pdf"), rfqFile(2, "spec.pdf")}})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := x.s.RFQ(ctx, x.buyer, r.ID)
	if err != nil || fileNames(sum.Files) != "bản vẽ.pdf,spec.pdf" {
		t.Fatalf("the RFQ's files: %q, %v", fileNames(sum.Files), err)
	}
	if f := sum.Files[0]; f.UploadedBy == nil || *f.UploadedBy != x.buyer.UserID || f.MessageID != nil || f.RFQID != r.ID {
		t.Errorf("stored %+v", f)
	}
	threadOf := map[uint]uint{}
	for _, th := range sum.Threads {
		threadOf[th.Thread.FirmID] = th.Thread.ID
	}
	ta, tb := threadOf[x.a.ID], threadOf[x.b.ID]
	quote, err := x.s.Reply(ctx, x.ownerA, ta, models.ReplyInput{Kind: models.MessageQuote, Price: "9500", Currency: "VND",
		Files: []models.RFQFile{rfqFile(3, "bao-gia.pdf")}})
	if err != nil {
		t.Fatal(err)
	}
	va, err := x.s.OpenThread(ctx, x.buyer, ta)
	if err != nil || fileNames(va.Files) != "bản vẽ.pdf,spec.pdf,bao-gia.pdf" {
		t.Fatalf("thread A's files: %q, %v", fileNames(va.Files), err)
	}
	if m := va.Files[2].MessageID; m == nil || *m != quote.ID {
		t.Errorf("the quotation's file belongs to message %v, want %d", m, quote.ID)
	}
	vb, err := x.s.OpenThread(ctx, x.ownerB, tb)
	if err != nil || fileNames(vb.Files) != "bản vẽ.pdf,spec.pdf" {
		t.Fatalf("thread B shows %q, %v; want only the request's files", fileNames(vb.Files), err)
	}
	request, quoted := va.Files[0].ID, va.Files[2].ID

	t.Run("PartiesRead", func(t *testing.T) {
		for _, tc := range []struct {
			who    string
			a      models.Actor
			thread uint
			file   uint
		}{
			{"buyer, the request's file", x.buyer, ta, request},
			{"buyer, the quotation's file", x.buyer, ta, quoted},
			{"buyer, the request's file through the other thread", x.buyer, tb, request},
			{"firm A, the request's file", x.ownerA, ta, request},
			{"firm A, its quotation's file", x.ownerA, ta, quoted},
			{"firm B, the request's file", x.ownerB, tb, request},
		} {
			if f, err := x.s.RFQFile(ctx, tc.a, tc.thread, tc.file); err != nil || f.ID != tc.file {
				t.Errorf("%s: %+v, %v", tc.who, f, err)
			}
		}
	})
	t.Run("ErrOthersFindNothing", func(t *testing.T) {
		for _, tc := range []struct {
			who    string
			a      models.Actor
			thread uint
			file   uint
		}{
			{"firm B, firm A's quotation through its own thread", x.ownerB, tb, quoted},
			{"firm B, through firm A's thread", x.ownerB, ta, request},
			{"buyer, firm A's quotation through thread B", x.buyer, tb, quoted},
			{"another buyer", x.other, ta, request},
			{"staff, the thread not reported", x.staffer, ta, request},
			{"nobody", models.Actor{}, ta, request},
			{"buyer, a file that does not exist", x.buyer, ta, quoted + 100},
			{"buyer, a thread that does not exist", x.buyer, tb + 100, request},
		} {
			if _, err := x.s.RFQFile(ctx, tc.a, tc.thread, tc.file); !errors.Is(err, models.ErrNotFound) {
				t.Errorf("%s: %v, want not found", tc.who, err)
			}
		}
	})
	t.Run("StaffReadReportedThreadAudited", func(t *testing.T) {
		if err := x.s.ReportThread(ctx, x.ownerA, ta, "spam"); err != nil {
			t.Fatal(err)
		}
		if _, err := x.s.RFQFile(ctx, x.staffer, ta, quoted); err != nil {
			t.Fatal(err)
		}
		if _, err := x.s.RFQFile(ctx, x.staffer, tb, request); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("staff read the unreported thread B: %v", err)
		}
		if n := x.audits(t, "rfq.file_read"); n != 1 {
			t.Errorf("%d audit rows of staff reading files, want 1", n)
		}
	})
	t.Run("Audited", func(t *testing.T) {
		var evs []models.AuditEvent
		x.s.db.Where("action IN ?", []string{"rfq.send", "rfq.quote"}).Order("id").Find(&evs)
		if len(evs) != 2 {
			t.Fatalf("%d audit rows", len(evs))
		}
		for i, want := range []string{"bản vẽ.pdf (1001 bytes); spec.pdf (1002 bytes)", "bao-gia.pdf (1003 bytes)"} {
			if !strings.Contains(fmt.Sprint(evs[i].Changes), want) {
				t.Errorf("%s audit row: %v; want %q", evs[i].Action, evs[i].Changes, want)
			}
		}
	})
	t.Run("ErrFilesRefused", func(t *testing.T) {
		six := make([]models.RFQFile, models.MaxRFQFiles+1)
		for i := range six {
			six[i] = rfqFile(10+i, "a.pdf")
		}
		for name, in := range map[string]models.RFQInput{
			"TooMany":         {Title: "T", Description: "D", FirmIDs: []uint{x.a.ID}, Files: six},
			"OutsideTheStore": {Title: "T", Description: "D", FirmIDs: []uint{x.a.ID}, Files: []models.RFQFile{{StoredName: "evidence/../../etc/passwd"}}},
		} {
			_, err := x.s.SendRFQ(ctx, x.buyer, in)
			var ve *models.ValidationError
			if !errors.As(err, &ve) || !ve.Has("attachments") {
				t.Errorf("%s: %v", name, err)
			}
		}
		_, err := x.s.Reply(ctx, x.ownerB, tb, models.ReplyInput{Kind: models.MessageDecline, Body: "busy",
			Files: []models.RFQFile{rfqFile(20, "a.pdf")}})
		var ve *models.ValidationError
		if !errors.As(err, &ve) || !ve.Has("attachments") {
			t.Errorf("a decline with a file: %v", err)
		}
		var n int64
		x.s.db.Model(&models.RFQFile{}).Count(&n)
		if n != 3 {
			t.Errorf("%d file rows after refused writes, want 3", n)
		}
	})
	t.Run("GoWithTheirRFQ", func(t *testing.T) {
		if err := x.s.db.Exec("DELETE FROM rfqs WHERE id = ?", r.ID).Error; err != nil {
			t.Fatal(err)
		}
		var n int64
		x.s.db.Model(&models.RFQFile{}).Count(&n)
		if n != 0 {
			t.Errorf("%d file rows outlive their RFQ", n)
		}
	})
}
