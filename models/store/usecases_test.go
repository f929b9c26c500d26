package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models"
)

// twoFirms stores two firms, each with a supplier owner, and a staff account.
type twoFirms struct {
	s                       *Store
	a, b                    *models.Firm
	ownerA, ownerB, staffer models.Actor
}

func newTwoFirms(t *testing.T) *twoFirms {
	t.Helper()
	ctx := context.Background()
	s := openTestStore(t)
	x := &twoFirms{s: s}
	x.a = termFirm(t, s.Reference(), "0101234567", "Công ty TNHH Cơ khí An", "co-khi")
	x.a.Website, x.a.Employees = "https://cokhian.vn", 40
	x.a.Certificates = []models.Certificate{{Standard: "ISO 9001", Number: "Q-1", Expires: models.DateOf(2027, 3, 31)}}
	x.b = termFirm(t, s.Reference(), "0107654321", "Công ty TNHH Nhựa Bình", "co-khi")
	x.b.Certificates = []models.Certificate{{Standard: "ISO 14001", Number: "E-9"}}
	if _, err := s.SaveFirms(ctx, []*models.Firm{x.a, x.b}); err != nil {
		t.Fatal(err)
	}
	x.a, _ = s.FirmByTaxCode(ctx, x.a.TaxCode)
	x.b, _ = s.FirmByTaxCode(ctx, x.b.TaxCode)
	for _, m := range []struct {
		email string
		firm  *models.Firm
		dst   *models.Actor
	}{{"chu@cokhian.vn", x.a, &x.ownerA}, {"chu@nhuabinh.vn", x.b, &x.ownerB}} {
		u := createUser(t, s, m.email, models.RoleSupplier)
		if err := s.AddMember(ctx, admin, m.firm.ID, u.ID, models.MemberOwner); err != nil {
			t.Fatal(err)
		}
		*m.dst, _ = s.ActorFor(ctx, u, "10.0.0.1")
	}
	st := createUser(t, s, "canbo@congthuong.hanoi.gov.vn", models.RoleStaff)
	x.staffer, _ = s.ActorFor(ctx, st, "")
	return x
}

func TestProfileEditsStayInTheirFirm(t *testing.T) {
	ctx := context.Background()
	x := newTwoFirms(t)
	t.Run("ErrForbiddenOtherFirm", func(t *testing.T) {
		p := models.ProfileUpdateOf(x.b)
		p.NameEN = "Taken over"
		if _, err := x.s.UpdateProfile(ctx, x.ownerA, x.b.ID, p); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrForbiddenForgedCertificateID", func(t *testing.T) {
		p := models.ProfileUpdateOf(x.a)
		p.Certificates = append(p.Certificates, models.CertificateClaim{ID: x.b.Certificates[0].ID, Standard: "ISO 14001"})
		if _, err := x.s.UpdateProfile(ctx, x.ownerA, x.a.ID, p); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("got %v", err)
		}
		b, _ := x.s.FirmByID(ctx, x.b.ID)
		if len(b.Certificates) != 1 || b.Certificates[0].FirmID != x.b.ID {
			t.Fatal("the other firm's certificate moved")
		}
	})
	t.Run("EditGoesLiveAndIsAudited", func(t *testing.T) {
		p := models.ProfileUpdateOf(x.a)
		p.DescriptionEN = "Precision turned parts."
		p.Equipment = []models.Equipment{{MachineType: "Máy tiện CNC", Count: 12, Spec: "phôi Ø 65 mm"}}
		p.LeadTimeDays = 21
		changes, err := x.s.UpdateProfile(ctx, x.ownerA, x.a.ID, p)
		if err != nil || len(changes) < 3 {
			t.Fatalf("%v, %v", changes, err)
		}
		got, _ := x.s.FirmByID(ctx, x.a.ID)
		if got.DescriptionEN != "Precision turned parts." || len(got.Equipment) != 1 || got.LeadTimeDays != 21 || got.EditedAt == nil {
			t.Fatalf("%+v", got)
		}
		events, _ := x.s.AuditEvents(ctx, x.staffer, AuditFilter{FirmID: x.a.ID, Action: "firm.edit"})
		if len(events) != 1 || events[0].ClientAddr != "10.0.0.1" || *events[0].ActorID != x.ownerA.UserID {
			t.Fatalf("audit %+v", events)
		}
		items, _ := x.s.ReviewQueue(ctx, x.staffer, ReviewEdit)
		if len(items) != 1 || items[0].FirmID != x.a.ID || len(items[0].Changes) == 0 {
			t.Fatalf("review queue %+v", items)
		}
	})
	t.Run("ErrFieldsHostileInput", func(t *testing.T) {
		p := models.ProfileUpdateOf(x.a)
		p.NameVI = ""
		p.Website = "javascript:alert(1)"
		p.TermCodes = append(p.TermCodes, "<script>")
		_, err := x.s.UpdateProfile(ctx, x.ownerA, x.a.ID, p)
		var ve *models.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestCertificateLifecycle(t *testing.T) {
	ctx := context.Background()
	x := newTwoFirms(t)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, models.Hanoi)
	x.s.SetClock(func() time.Time { return now })
	cert := x.a.Certificates[0]
	if cert.Status(now) != models.CertClaimed {
		t.Fatalf("a new certificate is %s", cert.Status(now))
	}
	if _, err := x.s.AddScan(ctx, x.ownerB, cert.ID, models.CertificateScan{StoredName: "x", OriginalName: "x.pdf"}); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("another firm added a scan: %v", err)
	}
	scan, err := x.s.AddScan(ctx, x.ownerA, cert.ID, models.CertificateScan{StoredName: "3f9a", OriginalName: "iso9001.pdf", ContentType: "application/pdf", Size: 1200})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x.s.Scan(ctx, x.ownerB, scan.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("another firm read the scan: %v", err)
	}
	if items, _ := x.s.ReviewQueue(ctx, x.staffer, ReviewCertificate); len(items) != 1 {
		t.Fatalf("the certificate with a scan is not waiting: %+v", items)
	}
	if err := x.s.DecideCertificate(ctx, x.ownerA, cert.ID, models.CertificateDecision{Action: "verify", Method: "phone"}); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a firm verified its own certificate: %v", err)
	}
	if err := x.s.DecideCertificate(ctx, x.staffer, cert.ID, models.CertificateDecision{Action: "verify", Method: "register", Note: "QUACERT register"}); err != nil {
		t.Fatal(err)
	}
	a, _ := x.s.FirmByID(ctx, x.a.ID)
	if st := a.Certificates[0].Status(now); st != models.CertVerified || a.Certificates[0].VerifiedBy == "" {
		t.Fatalf("after verification: %s %+v", st, a.Certificates[0])
	}
	// Expired at the end of its expiry day in Hanoi, without anyone touching it.
	if st := a.Certificates[0].Status(time.Date(2027, 4, 1, 0, 0, 0, 0, models.Hanoi)); st != models.CertExpired {
		t.Fatalf("after expiry: %s", st)
	}
	// A description edit keeps the verification; a new certificate number does not.
	p := models.ProfileUpdateOf(a)
	p.DescriptionVI = "Mô tả mới"
	if _, err := x.s.UpdateProfile(ctx, x.ownerA, a.ID, p); err != nil {
		t.Fatal(err)
	}
	a, _ = x.s.FirmByID(ctx, x.a.ID)
	if a.Certificates[0].Status(now) != models.CertVerified {
		t.Fatal("an unrelated edit undid the verification")
	}
	p = models.ProfileUpdateOf(a)
	p.Certificates[0].Number = "Q-2"
	if _, err := x.s.UpdateProfile(ctx, x.ownerA, a.ID, p); err != nil {
		t.Fatal(err)
	}
	a, _ = x.s.FirmByID(ctx, x.a.ID)
	if st := a.Certificates[0].Status(now); st != models.CertClaimed || a.Certificates[0].ID != cert.ID {
		t.Fatalf("after a changed number: %s, id %d (was %d)", st, a.Certificates[0].ID, cert.ID)
	}
	if scans, _ := x.s.Scans(ctx, x.ownerA, a.ID); len(scans) != 1 {
		t.Fatal("the scan was lost by the edit")
	}
}

func TestExpiryRemindersAreSentOnce(t *testing.T) {
	ctx := context.Background()
	x := newTwoFirms(t)
	now := time.Date(2027, 1, 30, 9, 0, 0, 0, models.Hanoi) // ISO 9001 of firm A expires 2027-03-31: 60 days
	x.s.SetClock(func() time.Time { return now })
	n, err := x.s.SendExpiryReminders(ctx)
	if err != nil || n != 1 {
		t.Fatalf("first run: %d, %v", n, err)
	}
	if n, _ := x.s.SendExpiryReminders(ctx); n != 0 {
		t.Fatalf("second run the same day sent %d", n)
	}
	now = now.AddDate(0, 0, 31) // 29 days left
	if n, _ := x.s.SendExpiryReminders(ctx); n != 1 {
		t.Fatalf("30-day reminder: %d", n)
	}
	if n, _ := x.s.SendExpiryReminders(ctx); n != 0 {
		t.Fatalf("30-day reminder repeated: %d", n)
	}
	due, _ := x.s.DueMails(ctx, now.Add(time.Hour), 10)
	if len(due) != 2 || due[0].Recipient != "chu@cokhian.vn" {
		t.Fatalf("mails %+v", due)
	}
}

func TestClaims(t *testing.T) {
	ctx := context.Background()
	x := newTwoFirms(t)
	u := createUser(t, x.s, "moi@gmail.com", models.RoleSupplier)
	applicant, _ := x.s.ActorFor(ctx, u, "")
	t.Run("ErrDomainEmailElsewhere", func(t *testing.T) {
		_, err := x.s.ClaimFirm(ctx, applicant, x.a.ID, models.ClaimByDomainEmail, "someone@gmail.com", "")
		var ve *models.ValidationError
		if !errors.As(err, &ve) || !ve.Has("evidence") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("DomainEmailLinkThenApproval", func(t *testing.T) {
		c, err := x.s.ClaimFirm(ctx, applicant, x.a.ID, models.ClaimByDomainEmail, "giamdoc@cokhian.vn", "Tôi là giám đốc")
		if err != nil {
			t.Fatal(err)
		}
		mails, _ := x.s.DueMails(ctx, time.Now().Add(time.Hour), 10)
		if len(mails) == 0 || mails[len(mails)-1].Recipient != "giamdoc@cokhian.vn" {
			t.Fatalf("no link mailed to the firm's domain: %+v", mails)
		}
		var tok models.Token
		x.s.db.Where("purpose = ?", models.TokenClaimDomain).First(&tok)
		if tok.Data != idText(c.ID) {
			t.Fatalf("token %+v", tok)
		}
		if err := x.s.DecideClaim(ctx, applicant, c.ID, true, ""); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("the applicant approved its own claim: %v", err)
		}
		if err := x.s.DecideClaim(ctx, x.staffer, c.ID, false, ""); err == nil {
			t.Fatal("a rejection without a reason was accepted")
		}
		if err := x.s.DecideClaim(ctx, x.staffer, c.ID, true, "Đã gọi điện xác nhận"); err != nil {
			t.Fatal(err)
		}
		got, _ := x.s.ActorFor(ctx, u, "")
		if got.Firms[x.a.ID] == "" {
			t.Fatalf("the approved applicant is not a member: %+v", got.Firms)
		}
		if err := x.s.DecideClaim(ctx, x.staffer, c.ID, false, "again"); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("a decided claim was decided again: %v", err)
		}
	})
	t.Run("ProposedFirmAppearsAfterApproval", func(t *testing.T) {
		f := &models.Firm{TaxCode: "0105556667", NameVI: "Công ty TNHH Linh kiện Mới"}
		c, err := x.s.ProposeFirm(ctx, applicant, f, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := x.s.FirmByTaxCode(ctx, "0105556667"); !errors.Is(err, models.ErrNotFound) {
			t.Fatal("a proposed firm is listed before approval")
		}
		if err := x.s.DecideClaim(ctx, x.staffer, c.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := x.s.FirmByTaxCode(ctx, "0105556667"); err != nil {
			t.Fatalf("the approved firm is not listed: %v", err)
		}
	})
}
