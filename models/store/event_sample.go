package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
)

// SampleFirmsInOrder returns up to n sample firms in the order the generator made them, with
// their ids, names and English descriptions: what the sample events register.
func (s *Store) SampleFirmsInOrder(ctx context.Context, n int) ([]*models.Firm, error) {
	var firms []*models.Firm
	err := s.db.WithContext(ctx).Select("id", "name_vi", "name_en", "slug", "tax_code", "description_en").
		Where("sample = ?", true).Order("id").Limit(n).Find(&firms).Error
	return firms, err
}

// AddEventHistory writes an event with everything that happened in it in one transaction:
// the event, the accounts its registrations belong to (new ones created disabled, so that
// nobody signs in as an invented buyer), the registrations, requests, the published schedule,
// check-ins, what happened to each meeting and the outcomes; staff or the system only. No mail
// is sent: it all happened before. One audit row records the whole history.
func (s *Store) AddEventHistory(ctx context.Context, a models.Actor, h event.History) (*event.Record, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	if err := h.Check(); err != nil {
		return nil, err
	}
	now := s.now()
	slots := h.Record.Slots()
	var out *event.Record
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ev := eventRowOf(&h.Record)
		ev.ID = 0
		if ev.CreatedAt.IsZero() {
			ev.CreatedAt, ev.UpdatedAt = now, now
		}
		ev.CreatedAt, ev.UpdatedAt = dbTime(ev.CreatedAt), dbTime(ev.UpdatedAt)
		if ev.PublishedAt != nil {
			t := dbTime(*ev.PublishedAt)
			ev.PublishedAt = &t
		}
		if err := tx.Create(&ev).Error; err != nil {
			return err
		}
		users := map[string]uint{}
		regIDs := make([]uint, len(h.Registrations))
		for i, r := range h.Registrations {
			uid, ok := users[r.Account]
			if !ok {
				var err error
				if uid, err = historyAccount(tx, now, r); err != nil {
					return err
				}
				users[r.Account] = uid
			}
			row := registrationRow{EventID: ev.ID, Side: string(r.Side), FirmID: r.FirmID, UserID: uid, Company: r.Company,
				Status: string(r.Status), Reason: r.Reason, CreatedAt: dbTime(r.CreatedAt), UpdatedAt: dbTime(r.UpdatedAt)}
			row.fill(&event.RegistrationInput{Country: r.Country, Requirement: r.Requirement, Languages: r.Languages,
				Attendees: r.Attendees, Unavailable: r.Unavailable})
			if r.DecidedAt != nil {
				t := dbTime(*r.DecidedAt)
				row.DecidedAt = &t
			}
			if err := tx.Create(&row).Error; err != nil {
				return err
			}
			regIDs[i] = row.ID
			if r.Status == event.Approved {
				token, err := badgeToken()
				if err != nil {
					return err
				}
				b := badgeRow{EventID: ev.ID, RegistrationID: row.ID, Token: token, CreatedAt: row.UpdatedAt}
				if r.CheckedInAt != nil {
					t := dbTime(*r.CheckedInAt)
					b.CheckedInAt = &t
				}
				if err := tx.Create(&b).Error; err != nil {
					return err
				}
			}
		}
		reqIDs := make([]uint, len(h.Requests))
		for i, q := range h.Requests {
			row := requestRow{EventID: ev.ID, FromID: regIDs[q.From], ToID: regIDs[q.To], Priority: string(q.Priority),
				State: string(q.State), NoThanks: q.NoThanks, Reason: q.Reason, Message: q.Message, MadeAt: dbTime(q.Made)}
			if q.Answered != nil {
				t := dbTime(*q.Answered)
				row.AnsweredAt = &t
			}
			if err := tx.Create(&row).Error; err != nil {
				return err
			}
			reqIDs[i] = row.ID
		}
		for _, m := range h.Meetings {
			row := placementRow{EventID: ev.ID, RequestID: reqIDs[m.Request], Slot: m.Slot, TableNumber: m.Table,
				UpdatedAt: ev.UpdatedAt}
			if ev.PublishedAt != nil {
				row.PublishedSlot, row.PublishedTable = m.Slot, m.Table
			}
			if err := tx.Create(&row).Error; err != nil {
				return err
			}
			end := dbTime(slots[m.Slot-1].End)
			if m.Status != "" {
				if err := tx.Create(&attendanceRow{MeetingID: row.ID, Status: string(m.Status), MarkedAt: end}).Error; err != nil {
					return err
				}
			}
			q := h.Requests[m.Request]
			buyer, supplier := q.From, q.To
			if h.Registrations[buyer].Side != event.Buyer {
				buyer, supplier = supplier, buyer
			}
			for k, side := range []struct {
				reg int
				o   *event.OutcomeInput
			}{{buyer, m.BuyerOutcome}, {supplier, m.SupplierOutcome}} {
				if side.o == nil {
					continue
				}
				o := outcomeRow{MeetingID: row.ID, RegistrationID: regIDs[side.reg], Outcome: string(side.o.Outcome),
					Notes: side.o.Notes, RecordedAt: end.Add(time.Duration(10+k*25) * time.Minute)}
				if err := tx.Create(&o).Error; err != nil {
					return err
				}
			}
		}
		out = ev.record()
		return writeAudit(tx, now, a, models.AuditEvent{Action: "event.history", EntityType: "event", EntityID: idText(ev.ID),
			Changes: models.FieldChanges{{Field: "name_vi", New: ev.NameVI},
				{Field: "registrations", New: fmt.Sprint(len(h.Registrations))},
				{Field: "requests", New: fmt.Sprint(len(h.Requests))}, {Field: "meetings", New: fmt.Sprint(len(h.Meetings))}}})
	})
	return out, err
}

// historyAccount returns the account a history's registration belongs to, creating it,
// disabled and without a password, when no account has its address.
func historyAccount(tx *gorm.DB, now time.Time, r event.HistoryRegistration) (uint, error) {
	email, ok := models.NormalizeEmail(r.Account)
	if !ok {
		return 0, fieldErr("account", "validation.email", models.Args{"Value": r.Account})
	}
	var u models.User
	err := tx.Where("email = ?", email).Limit(1).Find(&u).Error
	if err != nil || u.ID != 0 {
		return u.ID, err
	}
	role := models.RoleBuyer
	if r.Side == event.Supplier {
		role = models.RoleSupplier
	}
	disabled := dbTime(now)
	u = models.User{Email: email, Name: r.AccountName, Role: role, Lang: "vi", DisabledAt: &disabled,
		CreatedAt: dbTime(now), UpdatedAt: dbTime(now)}
	if u.Name == "" {
		u.Name = r.Company
	}
	err = tx.Create(&u).Error
	return u.ID, err
}
