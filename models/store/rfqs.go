package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
)

// Requests for quotation. An RFQ belongs to the buyer who sent it; each of its threads also to
// the firm it was sent to, whose supplier members read and answer it. Staff read a thread only
// when a party reported it or when the Department forwards it to a firm without an account.
// Whoever else asks for an RFQ or a thread gets models.ErrNotFound, as for one that does not
// exist.

// SendRFQ sends an RFQ to the firms of in, one thread each, and mails each firm's members in
// their language. A firm without members is forwarded by the Department; a sample firm gets no
// mail, though its inbox works for trying the portal.
func (s *Store) SendRFQ(ctx context.Context, a models.Actor, in models.RFQInput) (*models.RFQ, error) {
	if !a.CanSource() {
		return nil, models.ErrForbidden
	}
	now := s.now().UTC()
	in.FirmIDs = uniqueIDs(in.FirmIDs)
	r, err := in.Validate(now)
	if err != nil {
		return nil, err
	}
	r.BuyerID, r.CreatedAt = a.UserID, now
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var recent int64
		if err := tx.Model(&models.RFQ{}).Where("buyer_id = ? AND created_at > ?", a.UserID, now.Add(-time.Hour)).
			Count(&recent).Error; err != nil {
			return err
		}
		if recent >= models.RFQsPerHour {
			return models.ErrTooManyRFQs
		}
		var firms []models.Firm
		if err := tx.Select("id", "name_vi", "sample").Where("id IN ?", in.FirmIDs).Order("id").Find(&firms).Error; err != nil {
			return err
		}
		if len(firms) != len(in.FirmIDs) {
			return fieldError("firms", "validation.required", nil)
		}
		if err := tx.Create(r).Error; err != nil {
			return err
		}
		if err := addFiles(tx, now, a, r.ID, nil, in.Files); err != nil {
			return err
		}
		var names []string
		for _, f := range firms {
			members, err := memberCount(tx, f.ID)
			if err != nil {
				return err
			}
			th := &models.RFQThread{RFQID: r.ID, FirmID: f.ID, Status: models.ThreadSent,
				Forwarded: members == 0 && !f.Sample, CreatedAt: now, UpdatedAt: now}
			if err := tx.Create(th).Error; err != nil {
				return err
			}
			names = append(names, f.NameVI)
			if f.Sample {
				continue
			}
			// The mail names the attachments, not their content: the files stay behind the
			// thread's access rules (and the NDA, when one is asked).
			if err := s.mailFirm(tx, now, f.ID, "mail.rfq_received", threadPath(th.ID),
				map[string]any{"Buyer": a.Name, "Title": r.Title, "Firm": f.NameVI, "Files": in.Files, "NDA": r.NDA}); err != nil {
				return err
			}
		}
		changes := models.FieldChanges{{Field: "title", New: r.Title}, {Field: "firms", New: strings.Join(names, "; ")}}
		return writeAudit(tx, now, a, models.AuditEvent{Action: "rfq.send", EntityType: "rfq", EntityID: idText(r.ID),
			Changes: append(changes, filesChange(in.Files)...)})
	})
	return r, err
}

func uniqueIDs(ids []uint) []uint {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}

func memberCount(tx *gorm.DB, firmID uint) (int64, error) {
	var n int64
	err := tx.Model(&models.Membership{}).Joins("JOIN users ON users.id = memberships.user_id").
		Where("memberships.firm_id = ? AND users.disabled_at IS NULL", firmID).Count(&n).Error
	return n, err
}

// threadPath is the page of a thread, for either party, in Vietnamese.
func threadPath(id uint) string { return "/account/threads/" + idText(id) }

// mailFirm queues the mail with key to every member of the firm who can sign in, each in their
// language with Link the path in that language.
func (s *Store) mailFirm(tx *gorm.DB, now time.Time, firmID uint, key, path string, args map[string]any) error {
	var users []models.User
	err := tx.Joins("JOIN memberships ON memberships.user_id = users.id").
		Where("memberships.firm_id = ? AND users.disabled_at IS NULL", firmID).Find(&users).Error
	if err != nil {
		return err
	}
	for _, u := range users {
		if err := s.mailUser(tx, now, &u, key, path, args); err != nil {
			return err
		}
	}
	return nil
}

// mailUser queues the mail with key to one account in its language, Link being path there.
func (s *Store) mailUser(tx *gorm.DB, now time.Time, u *models.User, key, path string, args map[string]any) error {
	a := maps.Clone(args)
	a["Name"] = u.Name
	if u.Lang == "en" {
		path = "/en" + path
	}
	a["Link"] = path
	return s.queueFor(tx, now, u.Email, u.Lang, key, a)
}

// RFQSummary is one of a buyer's RFQs with its threads.
type RFQSummary struct {
	RFQ     models.RFQ
	Threads []ThreadSummary
	// Files are the request's attachments; RFQ loads them, RFQsOf does not.
	Files []models.RFQFile
}

// ThreadSummary is a thread with the names a list shows and its latest quotation or decline.
type ThreadSummary struct {
	Thread    models.RFQThread
	FirmName  string
	FirmSlug  string
	RFQTitle  string
	BuyerName string
	// Answer is the latest quotation or decline, nil while there is none.
	Answer *models.RFQMessage
}

// RFQsOf lists the actor's RFQs, newest first, with their threads.
func (s *Store) RFQsOf(ctx context.Context, a models.Actor) ([]RFQSummary, error) {
	if !a.CanSource() {
		return nil, models.ErrForbidden
	}
	db := s.db.WithContext(ctx)
	var rfqs []models.RFQ
	if err := db.Where("buyer_id = ?", a.UserID).Order("created_at DESC, id DESC").Limit(500).Find(&rfqs).Error; err != nil {
		return nil, err
	}
	out := make([]RFQSummary, len(rfqs))
	for i, r := range rfqs {
		out[i].RFQ = r
		threads, err := s.threadSummaries(db, "rfq_threads.rfq_id = ?", r.ID)
		if err != nil {
			return nil, err
		}
		out[i].Threads = threads
	}
	return out, nil
}

// RFQ loads one of the actor's RFQs with its threads and each thread's latest answer, for the
// buyer to compare the quotations side by side.
func (s *Store) RFQ(ctx context.Context, a models.Actor, id uint) (*RFQSummary, error) {
	if !a.CanSource() {
		return nil, models.ErrForbidden
	}
	db := s.db.WithContext(ctx)
	var rs []models.RFQ
	if err := db.Where("id = ? AND buyer_id = ?", id, a.UserID).Limit(1).Find(&rs).Error; err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, models.ErrNotFound
	}
	threads, err := s.threadSummaries(db, "rfq_threads.rfq_id = ?", id)
	if err != nil {
		return nil, err
	}
	sum := &RFQSummary{RFQ: rs[0], Threads: threads}
	return sum, db.Where("rfq_id = ? AND message_id IS NULL", id).Order("id").Find(&sum.Files).Error
}

// threadSummaries loads the threads matching cond with their names and latest answers.
func (s *Store) threadSummaries(db *gorm.DB, cond string, args ...any) ([]ThreadSummary, error) {
	var rows []struct {
		models.RFQThread
		FirmName, FirmSlug, RFQTitle, BuyerName string
	}
	err := db.Model(&models.RFQThread{}).
		Select("rfq_threads.*, firms.name_vi AS firm_name, firms.slug AS firm_slug, rfqs.title AS rfq_title, users.name AS buyer_name").
		Joins("JOIN firms ON firms.id = rfq_threads.firm_id").
		Joins("JOIN rfqs ON rfqs.id = rfq_threads.rfq_id").
		Joins("JOIN users ON users.id = rfqs.buyer_id").
		Where(cond, args...).Order("rfq_threads.updated_at DESC, rfq_threads.id").Limit(500).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]ThreadSummary, len(rows))
	ids := make([]uint, len(rows))
	for i, r := range rows {
		out[i] = ThreadSummary{Thread: r.RFQThread, FirmName: r.FirmName, FirmSlug: r.FirmSlug, RFQTitle: r.RFQTitle, BuyerName: r.BuyerName}
		ids[i] = r.ID
	}
	if len(ids) == 0 {
		return out, nil
	}
	var answers []models.RFQMessage
	if err := db.Where("thread_id IN ? AND kind IN ?", ids, []models.MessageKind{models.MessageQuote, models.MessageDecline}).
		Order("id").Find(&answers).Error; err != nil {
		return nil, err
	}
	latest := map[uint]*models.RFQMessage{}
	for i := range answers {
		latest[answers[i].ThreadID] = &answers[i]
	}
	for i := range out {
		out[i].Answer = latest[out[i].Thread.ID]
	}
	return out, nil
}

// ThreadView is a thread as one party sees it.
type ThreadView struct {
	Thread   models.RFQThread
	RFQ      models.RFQ
	Firm     models.Firm
	Buyer    models.User
	Messages []models.RFQMessage
	// Files are the request's attachments (MessageID nil) and those of the thread's messages.
	Files []models.RFQFile
	// Side is the reader's part: models.SideBuyer, SideSupplier or SideStaff.
	Side string
}

// OpenThread loads a thread for the actor: the buyer who sent it, a supplier member of the firm
// it was sent to, or staff when it was reported or forwarded. The firm's first reading marks it
// read.
func (s *Store) OpenThread(ctx context.Context, a models.Actor, id uint) (*ThreadView, error) {
	now := s.now().UTC()
	var v *ThreadView
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if v, err = loadThread(tx, a, id); err != nil {
			return err
		}
		if v.Side != models.SideSupplier || v.Thread.ReadAt != nil {
			return nil
		}
		set := map[string]any{"read_at": now}
		if v.Thread.Status == models.ThreadSent {
			set["status"] = models.ThreadRead
		}
		if err := tx.Model(&models.RFQThread{}).Where("id = ?", id).Updates(set).Error; err != nil {
			return err
		}
		old := v.Thread.Status
		v.Thread.ReadAt = &now
		if st, ok := set["status"].(models.ThreadStatus); ok {
			v.Thread.Status = st
		}
		return writeAudit(tx, now, a, models.AuditEvent{Action: "rfq.read", EntityType: "rfq_thread", EntityID: idText(id),
			Changes: models.FieldChanges{{Field: "status", Old: string(old), New: string(v.Thread.Status)}}})
	})
	return v, err
}

// loadThread reads a thread with its RFQ, firm, buyer and messages, and the actor's side; a
// thread the actor may not read is models.ErrNotFound.
func loadThread(tx *gorm.DB, a models.Actor, id uint) (*ThreadView, error) {
	if a.UserID == 0 && !a.System {
		return nil, models.ErrNotFound
	}
	var ths []models.RFQThread
	if err := tx.Where("id = ?", id).Limit(1).Find(&ths).Error; err != nil {
		return nil, err
	}
	if len(ths) == 0 {
		return nil, models.ErrNotFound
	}
	v := &ThreadView{Thread: ths[0]}
	if err := tx.First(&v.RFQ, v.Thread.RFQID).Error; err != nil {
		return nil, err
	}
	var err error
	if v.Side, err = sideOf(a, &v.Thread, &v.RFQ); err != nil {
		return nil, err
	}
	if err := tx.Select("id", "name_vi", "name_en", "slug", "email", "phone", "contact_name", "sample").
		First(&v.Firm, v.Thread.FirmID).Error; err != nil {
		return nil, err
	}
	if err := tx.First(&v.Buyer, v.RFQ.BuyerID).Error; err != nil {
		return nil, err
	}
	if err := tx.Where("thread_id = ?", id).Order("id").Find(&v.Messages).Error; err != nil {
		return nil, err
	}
	return v, tx.Where(threadFiles, v.RFQ.ID, id).Order("id").Find(&v.Files).Error
}

// threadSide is the actor's part in a thread, loading its RFQ; models.ErrNotFound for none.
func threadSide(tx *gorm.DB, a models.Actor, th *models.RFQThread) (string, error) {
	if a.UserID == 0 && !a.System {
		return "", models.ErrNotFound
	}
	var r models.RFQ
	if err := tx.Select("id", "buyer_id").First(&r, th.RFQID).Error; err != nil {
		return "", err
	}
	return sideOf(a, th, &r)
}

// sideOf is the actor's part in a thread of r: the buyer who sent it, a supplier member of the
// firm, or staff once a party reported it or the Department forwards it. Anyone else has none,
// and is told the thread does not exist.
func sideOf(a models.Actor, th *models.RFQThread, r *models.RFQ) (string, error) {
	_, member := a.Firms[th.FirmID]
	switch {
	case a.CanSource() && r.BuyerID == a.UserID:
		return models.SideBuyer, nil
	case a.Role == models.RoleSupplier && member:
		return models.SideSupplier, nil
	case a.IsStaff() && (th.Forwarded || th.ReportedAt != nil):
		return models.SideStaff, nil
	}
	return "", models.ErrNotFound
}

// mayPost says which kinds of message each side may add.
var mayPost = map[string][]models.MessageKind{
	models.SideBuyer:    {models.MessageText, models.MessageAward, models.MessageClose},
	models.SideSupplier: {models.MessageText, models.MessageQuote, models.MessageDecline},
	models.SideStaff:    {models.MessageText},
}

// statusAfter is the thread's status after a message of kind.
func statusAfter(st models.ThreadStatus, kind models.MessageKind, side string) models.ThreadStatus {
	switch kind {
	case models.MessageQuote:
		return models.ThreadAnswered
	case models.MessageDecline:
		return models.ThreadDeclined
	case models.MessageAward:
		return models.ThreadAwarded
	case models.MessageClose:
		return models.ThreadClosed
	}
	if side == models.SideSupplier && st == models.ThreadSent {
		return models.ThreadRead
	}
	return st
}

// Reply adds a message to a thread: a question or answer from either party, a quotation or a
// decline from the firm, the buyer's award or closing, or a note from staff on a thread they
// may read. The other party is mailed in their language.
func (s *Store) Reply(ctx context.Context, a models.Actor, threadID uint, in models.ReplyInput) (*models.RFQMessage, error) {
	now := s.now().UTC()
	var m *models.RFQMessage
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		v, err := loadThread(tx, a, threadID)
		if err != nil {
			return err
		}
		if !slices.Contains(mayPost[v.Side], in.Kind) {
			return models.ErrForbidden
		}
		if !v.Thread.Status.Open() {
			return fmt.Errorf("%w: the request is %s", models.ErrConflict, v.Thread.Status)
		}
		if in.Kind == models.MessageAward && v.Thread.Status != models.ThreadAnswered {
			return fmt.Errorf("%w: only a quotation can be awarded", models.ErrConflict)
		}
		if m, err = in.Validate(now); err != nil {
			return err
		}
		uid := a.UserID
		m.ThreadID, m.AuthorID, m.AuthorName, m.Side, m.CreatedAt = threadID, &uid, a.Name, v.Side, now
		if err := tx.Create(m).Error; err != nil {
			return err
		}
		if err := addFiles(tx, now, a, v.RFQ.ID, &m.ID, in.Files); err != nil {
			return err
		}
		status := statusAfter(v.Thread.Status, in.Kind, v.Side)
		if err := tx.Model(&models.RFQThread{}).Where("id = ?", threadID).
			Updates(map[string]any{"status": status, "updated_at": now}).Error; err != nil {
			return err
		}
		changes := append(models.FieldChanges{{Field: "kind", New: string(in.Kind)}}, filesChange(in.Files)...)
		if status != v.Thread.Status {
			changes = append(changes, models.FieldChange{Field: "status", Old: string(v.Thread.Status), New: string(status)})
		}
		if err := writeAudit(tx, now, a, models.AuditEvent{Action: "rfq." + string(in.Kind), EntityType: "rfq_thread",
			EntityID: idText(threadID), Changes: changes}); err != nil {
			return err
		}
		key := "mail.rfq_" + string(in.Kind)
		args := map[string]any{"Title": v.RFQ.Title, "Firm": v.Firm.NameVI, "From": a.Name}
		if v.Side != models.SideBuyer && v.Buyer.DisabledAt == nil {
			if err := s.mailUser(tx, now, &v.Buyer, key, threadPath(threadID), args); err != nil {
				return err
			}
		}
		if v.Side != models.SideSupplier && !v.Firm.Sample {
			return s.mailFirm(tx, now, v.Thread.FirmID, key, threadPath(threadID), args)
		}
		return nil
	})
	return m, err
}

// ReportThread lets either party report a thread as spam or abuse, with a reason; staff may
// then read it.
func (s *Store) ReportThread(ctx context.Context, a models.Actor, threadID uint, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return fieldError("reason", "validation.required", nil)
	}
	if n := len([]rune(reason)); n > models.MaxReportReason {
		return fieldError("reason", "validation.too_long", models.Args{"Length": n, "Max": models.MaxReportReason})
	}
	now := s.now().UTC()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		v, err := loadThread(tx, a, threadID)
		if err != nil {
			return err
		}
		if v.Side == models.SideStaff {
			return models.ErrForbidden
		}
		if err := tx.Model(&models.RFQThread{}).Where("id = ?", threadID).Updates(map[string]any{
			"reported_at": now, "reported_by": v.Side, "report_reason": reason}).Error; err != nil {
			return err
		}
		return writeAudit(tx, now, a, models.AuditEvent{Action: "rfq.report", EntityType: "rfq_thread",
			EntityID: idText(threadID), Reason: reason, Changes: models.FieldChanges{{Field: "reported_by", New: v.Side}}})
	})
}

// Inbox lists the threads sent to a firm, newest activity first, for its supplier members.
// Staff do not read firms' inboxes.
func (s *Store) Inbox(ctx context.Context, a models.Actor, firmID uint) ([]ThreadSummary, error) {
	if _, member := a.Firms[firmID]; !member || a.Role != models.RoleSupplier {
		return nil, models.ErrForbidden
	}
	return s.threadSummaries(s.db.WithContext(ctx), "rfq_threads.firm_id = ?", firmID)
}

// RFQOverview is what staff see of RFQs: counts, and the threads they may read.
type RFQOverview struct {
	RFQs     int64
	ByStatus map[models.ThreadStatus]int64
	// Forwarded are the threads sent to firms without an account that no one answered yet.
	Forwarded []ThreadSummary
	Reported  []ThreadSummary
}

// RFQOverview counts RFQs and lists the forwarded and reported threads; staff only.
func (s *Store) RFQOverview(ctx context.Context, a models.Actor) (*RFQOverview, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	db := s.db.WithContext(ctx)
	o := &RFQOverview{ByStatus: map[models.ThreadStatus]int64{}}
	if err := db.Model(&models.RFQ{}).Count(&o.RFQs).Error; err != nil {
		return nil, err
	}
	var counts []struct {
		Status models.ThreadStatus
		N      int64
	}
	if err := db.Model(&models.RFQThread{}).Select("status, count(*) AS n").Group("status").Scan(&counts).Error; err != nil {
		return nil, err
	}
	for _, c := range counts {
		o.ByStatus[c.Status] = c.N
	}
	var err error
	if o.Forwarded, err = s.threadSummaries(db, "rfq_threads.forwarded = ? AND rfq_threads.status IN ?", true,
		[]models.ThreadStatus{models.ThreadSent, models.ThreadRead}); err != nil {
		return nil, err
	}
	o.Reported, err = s.threadSummaries(db, "rfq_threads.reported_at IS NOT NULL")
	return o, err
}

// FirmsWithMembers says which of the firms have a member who can sign in: the others get RFQs
// through the Department.
func (s *Store) FirmsWithMembers(ctx context.Context, ids []uint) (map[uint]bool, error) {
	out := map[uint]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	var with []uint
	err := s.db.WithContext(ctx).Model(&models.Membership{}).Joins("JOIN users ON users.id = memberships.user_id").
		Where("memberships.firm_id IN ? AND users.disabled_at IS NULL", ids).Distinct().Pluck("memberships.firm_id", &with).Error
	for _, id := range with {
		out[id] = true
	}
	return out, err
}
