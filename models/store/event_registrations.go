package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
)

// registrationRow is a firm registered for an event; lists are kept as JSON.
type registrationRow struct {
	ID                            uint `gorm:"primaryKey"`
	EventID                       uint
	Side                          string
	FirmID                        *uint
	UserID                        uint
	Company, Country, Requirement string
	Languages                     []string         `gorm:"serializer:json"`
	Attendees                     []event.Attendee `gorm:"serializer:json"`
	Unavailable                   []int            `gorm:"serializer:json"`
	Status                        string
	Reason                        string
	DecidedAt                     *time.Time
	CreatedAt, UpdatedAt          time.Time
}

func (registrationRow) TableName() string { return "event_registrations" }

func (r *registrationRow) registration() *event.Registration {
	return &event.Registration{ID: r.ID, EventID: r.EventID, Side: event.Side(r.Side), FirmID: r.FirmID, UserID: r.UserID,
		Company: r.Company, Country: r.Country, Requirement: r.Requirement, Languages: r.Languages,
		Attendees: r.Attendees, Unavailable: r.Unavailable, Status: event.RegistrationStatus(r.Status),
		Reason: r.Reason, DecidedAt: r.DecidedAt, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// fill copies the input's lists and texts onto the row, never as JSON null.
func (r *registrationRow) fill(in *event.RegistrationInput) {
	r.Country, r.Requirement = in.Country, in.Requirement
	r.Languages = append([]string{}, in.Languages...)
	r.Attendees = append([]event.Attendee{}, in.Attendees...)
	r.Unavailable = append([]int{}, in.Unavailable...)
	slices.Sort(r.Unavailable)
	r.Unavailable = slices.Compact(r.Unavailable)
}

// canActFor reports whether the actor speaks for the registration: staff, the buyer's account,
// or a member of the supplier's firm.
func canActFor(a models.Actor, r *event.Registration) bool {
	if a.IsStaff() {
		return true
	}
	switch r.Side {
	case event.Buyer:
		return a.UserID != 0 && r.UserID == a.UserID
	case event.Supplier:
		if r.FirmID == nil || a.Role != models.RoleSupplier {
			return false
		}
		_, ok := a.Firms[*r.FirmID]
		return ok
	}
	return false
}

// CanActFor reports whether the actor may act for the registration (read its requests and
// agenda, request and answer meetings); the store checks it again inside every write.
func CanActFor(a models.Actor, r *event.Registration) bool { return canActFor(a, r) }

func fieldErr(field, key string, args models.Args) error {
	return &models.ValidationError{Fields: []models.FieldError{{Field: field, Key: key, Args: args,
		Reason: event.MessageEN(key, args)}}}
}

func stampOf(t time.Time) string { return t.In(models.Hanoi).Format("2006-01-02 15:04") }

// Register signs a firm up for an event. A supplier registers a firm it is a member of, whose
// profile is the registration; a buyer registers its company and what it wants to source.
// Outside the registration window only staff may register. A registration waits for staff, or
// goes to the waitlist when its side is full.
func (s *Store) Register(ctx context.Context, a models.Actor, eventID uint, in event.RegistrationInput) (*event.Registration, error) {
	switch {
	case a.UserID == 0:
		// A registration belongs to an account, which acts for it.
		return nil, models.ErrForbidden
	case in.Side == event.Supplier && (a.IsStaff() || a.Role == models.RoleSupplier && a.CanEditFirm(in.FirmID)):
	case in.Side == event.Buyer && (a.IsStaff() || a.Role == models.RoleBuyer):
	case in.Side != event.Supplier && in.Side != event.Buyer && a.UserID != 0:
	default:
		return nil, models.ErrForbidden
	}
	ev, err := s.EventByID(ctx, eventID)
	if err != nil {
		return nil, err
	}
	var firm *models.Firm
	if in.Side == event.Supplier && in.FirmID != 0 {
		if firm, err = s.FirmByID(ctx, in.FirmID); err != nil {
			return nil, err
		}
		// The profile is the registration: its name is the firm's.
		in.Company = firm.NameVI
	}
	if err := in.Validate(&ev.Event); err != nil {
		return nil, err
	}
	now := s.now()
	if !a.IsStaff() && !ev.RegistrationOpen(now) {
		return nil, fieldErr("event", "event.registration_closed",
			models.Args{"Start": stampOf(ev.RegistrationOpens), "End": stampOf(ev.RegistrationCloses)})
	}
	row := registrationRow{EventID: eventID, Side: string(in.Side), UserID: a.UserID, Company: in.Company,
		CreatedAt: now, UpdatedAt: now}
	if firm != nil {
		row.FirmID = &firm.ID
	}
	row.fill(&in)
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var existing []registrationRow
		q := tx.Where("event_id = ?", eventID)
		if firm != nil {
			q = q.Where("firm_id = ?", firm.ID)
		} else {
			q = q.Where("side = ? AND user_id = ? AND firm_id IS NULL", row.Side, a.UserID)
		}
		if err := q.Find(&existing).Error; err != nil {
			return err
		}
		for _, x := range existing {
			if x.Status != string(event.Withdrawn) && x.Status != string(event.Rejected) {
				return fieldErr("firm", "event.already_registered", nil)
			}
			if firm != nil {
				// One row a firm and event: a firm that withdrew registers again on its old row.
				row.ID, row.CreatedAt = x.ID, x.CreatedAt
			}
		}
		full, err := sideFull(tx, ev, in.Side)
		if err != nil {
			return err
		}
		row.Status = string(event.Pending)
		if full {
			row.Status = string(event.Waitlisted)
		}
		if err := tx.Save(&row).Error; err != nil {
			return err
		}
		if err := writeAudit(tx, now, a, models.AuditEvent{Action: "registration.create", EntityType: "registration",
			EntityID: idText(row.ID), FirmID: row.FirmID, Changes: models.FieldChanges{
				{Field: "event", New: idText(eventID)}, {Field: "side", New: row.Side}, {Field: "status", New: row.Status}}}); err != nil {
			return err
		}
		return s.tellRegistration(tx, now, ev, row.registration(), "mail.event_registration_"+row.Status,
			nil, fmt.Sprintf("/events/%d/register", eventID))
	})
	if err != nil {
		return nil, err
	}
	return row.registration(), nil
}

// sideFull reports whether the event has approved as many registrations of the side as it takes.
func sideFull(tx *gorm.DB, ev *event.Record, side event.Side) (bool, error) {
	limit := ev.Cap(side)
	if limit == 0 {
		return false, nil
	}
	var n int64
	err := tx.Model(&registrationRow{}).Where("event_id = ? AND side = ? AND status = ?", ev.ID, string(side), string(event.Approved)).
		Count(&n).Error
	return n >= int64(limit), err
}

// UpdateRegistration changes who attends, the languages, the slots the firm cannot meet in and,
// for a buyer, its company and requirement. Side and firm stay.
func (s *Store) UpdateRegistration(ctx context.Context, a models.Actor, regID uint, in event.RegistrationInput) (*event.Registration, error) {
	now := s.now()
	var out *event.Registration
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row, ev, err := loadRegistration(tx, regID)
		if err != nil {
			return err
		}
		if !canActFor(a, row.registration()) {
			return models.ErrForbidden
		}
		in.Side = event.Side(row.Side)
		if row.FirmID != nil {
			in.FirmID, in.Company = *row.FirmID, row.Company
		}
		if err := in.Validate(&ev.Event); err != nil {
			return err
		}
		old := *row
		row.fill(&in)
		row.Company, row.UpdatedAt = in.Company, now
		if err := tx.Save(row).Error; err != nil {
			return err
		}
		out = row.registration()
		return writeAudit(tx, now, a, models.AuditEvent{Action: "registration.update", EntityType: "registration",
			EntityID: idText(row.ID), FirmID: row.FirmID, Changes: registrationChanges(&old, row)})
	})
	return out, err
}

func registrationChanges(old, new *registrationRow) models.FieldChanges {
	var out models.FieldChanges
	add := func(field, o, n string) {
		if o != n {
			out = append(out, models.FieldChange{Field: field, Old: o, New: n})
		}
	}
	names := func(as []event.Attendee) string {
		var b []string
		for _, x := range as {
			b = append(b, x.Name)
		}
		return strings.Join(b, ", ")
	}
	add("company", old.Company, new.Company)
	add("country", old.Country, new.Country)
	add("requirement", old.Requirement, new.Requirement)
	add("languages", strings.Join(old.Languages, ","), strings.Join(new.Languages, ","))
	add("attendees", names(old.Attendees), names(new.Attendees))
	add("unavailable", fmt.Sprint(old.Unavailable), fmt.Sprint(new.Unavailable))
	return out
}

// DecideRegistration approves, rejects or waitlists a registration; staff only. An approval
// when the side is full puts the registration on the waitlist instead, which the returned
// registration shows. The firm is told by mail.
func (s *Store) DecideRegistration(ctx context.Context, a models.Actor, regID uint, to event.RegistrationStatus, reason string) (*event.Registration, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	switch to {
	case event.Approved, event.Rejected, event.Waitlisted:
	default:
		return nil, fieldErr("status", "event.request_state", models.Args{"Value": fmt.Sprintf("%q", to)})
	}
	reason = strings.TrimSpace(reason)
	now := s.now()
	var out *event.Registration
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row, ev, err := loadRegistration(tx, regID)
		if err != nil {
			return err
		}
		if row.Status == string(event.Withdrawn) {
			return fieldErr("status", "event.state_change", models.Args{"From": row.Status, "To": string(to)})
		}
		if to == event.Approved && row.Status != string(event.Approved) {
			full, err := sideFull(tx, ev, event.Side(row.Side))
			if err != nil {
				return err
			}
			if full {
				to = event.Waitlisted
			}
		}
		if row.Status == string(to) {
			out = row.registration()
			return nil
		}
		old := row.Status
		if err := tx.Model(row).Updates(map[string]any{"status": string(to), "reason": reason, "decided_at": now, "updated_at": now}).Error; err != nil {
			return err
		}
		row.Status, row.Reason, row.DecidedAt = string(to), reason, &now
		out = row.registration()
		if err := writeAudit(tx, now, a, models.AuditEvent{Action: "registration.decide", EntityType: "registration",
			EntityID: idText(row.ID), FirmID: row.FirmID, Reason: reason,
			Changes: models.FieldChanges{{Field: "status", Old: old, New: string(to)}}}); err != nil {
			return err
		}
		if to == event.Approved {
			// The badge comes with the approval, so that reading a page never writes.
			if _, err := issueBadges(tx, now, a, ev.ID, []*event.Registration{out}); err != nil {
				return err
			}
		}
		return s.tellRegistration(tx, now, ev, out, "mail.event_registration_"+string(to),
			map[string]any{"Reason": reason}, fmt.Sprintf("/events/%d/register", ev.ID))
	})
	return out, err
}

// WithdrawRegistration takes a firm out of an event. Its open and accepted requests are
// cancelled and the firms on their other side told.
func (s *Store) WithdrawRegistration(ctx context.Context, a models.Actor, regID uint) error {
	now := s.now()
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row, ev, err := loadRegistration(tx, regID)
		if err != nil {
			return err
		}
		if !canActFor(a, row.registration()) {
			return models.ErrForbidden
		}
		if row.Status == string(event.Withdrawn) {
			return nil
		}
		if err := tx.Model(row).Updates(map[string]any{"status": string(event.Withdrawn), "updated_at": now}).Error; err != nil {
			return err
		}
		if err := writeAudit(tx, now, a, models.AuditEvent{Action: "registration.withdraw", EntityType: "registration",
			EntityID: idText(row.ID), FirmID: row.FirmID,
			Changes: models.FieldChanges{{Field: "status", Old: row.Status, New: string(event.Withdrawn)}}}); err != nil {
			return err
		}
		var reqs []requestRow
		if err := tx.Where("(from_id = ? OR to_id = ?) AND state IN ?", regID, regID,
			[]string{string(event.Requested), string(event.Accepted)}).Find(&reqs).Error; err != nil {
			return err
		}
		for i := range reqs {
			if err := s.changeRequest(tx, now, a, ev, &reqs[i], event.AnswerInput{State: event.Cancelled,
				Reason: "withdrawn"}, true); err != nil {
				return err
			}
		}
		return nil
	})
}

// loadRegistration reads a registration and its event inside tx.
func loadRegistration(tx *gorm.DB, regID uint) (*registrationRow, *event.Record, error) {
	var row registrationRow
	if err := first(tx, &row, regID); err != nil {
		return nil, nil, err
	}
	var ev eventRow
	if err := first(tx, &ev, row.EventID); err != nil {
		return nil, nil, err
	}
	return &row, ev.record(), nil
}

// Registration returns one registration to those who act for it.
func (s *Store) Registration(ctx context.Context, a models.Actor, regID uint) (*event.Registration, error) {
	var row registrationRow
	if err := first(s.db.WithContext(ctx), &row, regID); err != nil {
		return nil, err
	}
	r := row.registration()
	if !canActFor(a, r) {
		return nil, models.ErrForbidden
	}
	return r, s.fillSlugs(ctx, []*event.Registration{r})
}

// Registrations lists an event's registrations, all of them, for staff.
func (s *Store) Registrations(ctx context.Context, a models.Actor, eventID uint) ([]*event.Registration, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	return s.registrations(ctx, s.db.WithContext(ctx).Where("event_id = ?", eventID))
}

// MyRegistrations lists the registrations for an event that the actor acts for: its buyer
// registration, its firms' registrations.
func (s *Store) MyRegistrations(ctx context.Context, a models.Actor, eventID uint) ([]*event.Registration, error) {
	if a.UserID == 0 {
		return nil, nil
	}
	firms := make([]uint, 0, len(a.Firms))
	for id := range a.Firms {
		firms = append(firms, id)
	}
	q := s.db.WithContext(ctx).Where("event_id = ?", eventID)
	if a.Role == models.RoleSupplier && len(firms) > 0 {
		q = q.Where("(side = ? AND user_id = ?) OR (side = ? AND firm_id IN ?)", string(event.Buyer), a.UserID, string(event.Supplier), firms)
	} else {
		q = q.Where("side = ? AND user_id = ?", string(event.Buyer), a.UserID)
	}
	all, err := s.registrations(ctx, q)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(r *event.Registration) bool { return !canActFor(a, r) }), nil
}

// FirmRegistrations lists the registrations of the firms, over all events, that the actor acts
// for (a member of the firm, or staff); the others are left out.
func (s *Store) FirmRegistrations(ctx context.Context, a models.Actor, firmIDs []uint) ([]*event.Registration, error) {
	if len(firmIDs) == 0 || a.UserID == 0 && !a.IsStaff() {
		return nil, nil
	}
	all, err := s.registrations(ctx, s.db.WithContext(ctx).Where("side = ? AND firm_id IN ?", string(event.Supplier), firmIDs))
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(r *event.Registration) bool { return !canActFor(a, r) }), nil
}

// Participants lists an event's approved registrations as the public sees them: company,
// country, languages and what a buyer wants, without the people who attend or their
// availability.
func (s *Store) Participants(ctx context.Context, eventID uint) ([]*event.Registration, error) {
	out, err := s.registrations(ctx, s.db.WithContext(ctx).Where("event_id = ? AND status = ?", eventID, string(event.Approved)))
	for _, r := range out {
		r.Attendees, r.Unavailable, r.UserID = nil, nil, 0
	}
	return out, err
}

func (s *Store) registrations(ctx context.Context, q *gorm.DB) ([]*event.Registration, error) {
	var rows []registrationRow
	if err := q.Order("side, company, id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]*event.Registration, len(rows))
	for i := range rows {
		out[i] = rows[i].registration()
	}
	return out, s.fillSlugs(ctx, out)
}

// fillSlugs adds the profile address of every supplier's firm.
func (s *Store) fillSlugs(ctx context.Context, regs []*event.Registration) error {
	var ids []uint
	for _, r := range regs {
		if r.FirmID != nil {
			ids = append(ids, *r.FirmID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var rows []struct {
		ID   uint
		Slug string
	}
	if err := s.db.WithContext(ctx).Model(&models.Firm{}).Select("id, slug").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return err
	}
	slugs := map[uint]string{}
	for _, r := range rows {
		slugs[r.ID] = r.Slug
	}
	for _, r := range regs {
		if r.FirmID != nil {
			r.FirmSlug = slugs[*r.FirmID]
		}
	}
	return nil
}

// tellRegistration tells the people of a registration about an event: the registration's
// notices keep it for the portal's pages, and a mail goes to a buyer's account, or every member
// of a supplier's firm; each in their language, with the event's name in it and a link to path
// on the portal.
func (s *Store) tellRegistration(tx *gorm.DB, now time.Time, ev *event.Record, r *event.Registration, key string, args map[string]any, path string) error {
	if err := keepNotice(tx, now, r, key, args, path); err != nil {
		return err
	}
	var users []models.User
	var err error
	if r.Side == event.Supplier && r.FirmID != nil {
		err = tx.Joins("JOIN memberships ON memberships.user_id = users.id").
			Where("memberships.firm_id = ? AND users.disabled_at IS NULL", *r.FirmID).Order("users.id").Find(&users).Error
	} else {
		err = tx.Where("id = ? AND disabled_at IS NULL", r.UserID).Find(&users).Error
	}
	if err != nil {
		return err
	}
	for _, u := range users {
		m := map[string]any{"Name": u.Name, "Event": ev.Name(u.Lang), "Company": r.Company, "Reason": ""}
		for k, v := range args {
			m[k] = v
		}
		if path != "" {
			link := path
			if u.Lang == "en" {
				link = "/en" + path
			}
			m["Link"] = link
		}
		if err := s.queueFor(tx, now, u.Email, u.Lang, key, m); err != nil {
			return err
		}
	}
	return nil
}
