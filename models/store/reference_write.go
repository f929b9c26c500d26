package store

import (
	"context"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
)

// UpdateTerm changes a taxonomy term's labels and synonyms; staff only. The change is audited
// field by field in its transaction, and the reference data in force is reloaded. It returns the
// changes (none: nothing was written).
func (s *Store) UpdateTerm(ctx context.Context, a models.Actor, code string, u models.TermUpdate) ([]models.FieldChange, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	var changes models.FieldChanges
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var t models.Term
		if err := firstWhere(tx, &t, "code = ?", code); err != nil {
			return err
		}
		next := t
		next.LabelVI, next.LabelEN = u.LabelVI, u.LabelEN
		next.SynonymsVI, next.SynonymsEN = models.StringList(u.SynonymsVI), models.StringList(u.SynonymsEN)
		changes = diffFields([][3]string{
			{"label_vi", t.LabelVI, next.LabelVI}, {"label_en", t.LabelEN, next.LabelEN},
			{"synonyms_vi", listText(t.SynonymsVI), listText(next.SynonymsVI)},
			{"synonyms_en", listText(t.SynonymsEN), listText(next.SynonymsEN)},
		})
		if len(changes) == 0 {
			return nil
		}
		if err := tx.Model(&models.Term{}).Where("code = ?", code).Updates(map[string]any{
			"label_vi": next.LabelVI, "label_en": next.LabelEN, "synonyms_vi": next.SynonymsVI, "synonyms_en": next.SynonymsEN,
		}).Error; err != nil {
			return err
		}
		if err := s.recordChanges(tx, &changeSet{reference: true}); err != nil {
			return err
		}
		return writeAudit(tx, s.now(), a, models.AuditEvent{Action: "term.update", EntityType: "term", EntityID: code, Changes: changes})
	})
	return s.afterReferenceWrite(changes, err)
}

// UpdateZone changes an industrial park's or cluster's names, districts, status and note; staff
// only, audited, and the reference data in force is reloaded.
func (s *Store) UpdateZone(ctx context.Context, a models.Actor, code string, u models.ZoneUpdate) ([]models.FieldChange, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	if err := u.Validate(s.Reference()); err != nil {
		return nil, err
	}
	var changes models.FieldChanges
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var z models.Zone
		if err := firstWhere(tx, &z, "code = ?", code); err != nil {
			return err
		}
		districts := models.StringList(u.Districts)
		changes = diffFields([][3]string{
			{"name_vi", z.NameVI, u.NameVI}, {"name_en", z.NameEN, u.NameEN},
			{"districts", listText(z.Districts), listText(districts)},
			{"status", z.Status, u.Status}, {"note", z.Note, u.Note},
		})
		if len(changes) == 0 {
			return nil
		}
		if err := tx.Model(&models.Zone{}).Where("code = ?", code).Updates(map[string]any{
			"name_vi": u.NameVI, "name_en": u.NameEN, "districts": districts, "status": u.Status, "note": u.Note,
		}).Error; err != nil {
			return err
		}
		if err := s.recordChanges(tx, &changeSet{reference: true}); err != nil {
			return err
		}
		return writeAudit(tx, s.now(), a, models.AuditEvent{Action: "zone.update", EntityType: "zone", EntityID: code, Changes: changes})
	})
	return s.afterReferenceWrite(changes, err)
}

// UpdateCorridor changes an industrial corridor's names, roads and description, and which
// districts it runs through (stored on the districts); staff only, audited, and the reference
// data in force is reloaded.
func (s *Store) UpdateCorridor(ctx context.Context, a models.Actor, code string, u models.CorridorUpdate) ([]models.FieldChange, error) {
	if !a.IsStaff() {
		return nil, models.ErrForbidden
	}
	if err := u.Validate(s.Reference()); err != nil {
		return nil, err
	}
	var changes models.FieldChanges
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var c models.Corridor
		if err := firstWhere(tx, &c, "code = ?", code); err != nil {
			return err
		}
		var districts []models.District
		if err := tx.Order("code").Find(&districts).Error; err != nil {
			return err
		}
		var before []string
		for _, d := range districts {
			if slices.Contains(d.Corridors, code) {
				before = append(before, d.Code)
			}
		}
		after := slices.Clone(u.Districts)
		slices.Sort(after)
		changes = diffFields([][3]string{
			{"label_vi", c.LabelVI, u.LabelVI}, {"label_en", c.LabelEN, u.LabelEN},
			{"roads", c.Roads, u.Roads}, {"description", c.DescriptionEN, u.Description},
			{"districts", listText(before), listText(after)},
		})
		if len(changes) == 0 {
			return nil
		}
		if err := tx.Model(&models.Corridor{}).Where("code = ?", code).Updates(map[string]any{
			"label_vi": u.LabelVI, "label_en": u.LabelEN, "roads": u.Roads, "description_en": u.Description,
		}).Error; err != nil {
			return err
		}
		for _, d := range districts {
			has, want := slices.Contains(d.Corridors, code), slices.Contains(after, d.Code)
			if has == want {
				continue
			}
			list := slices.DeleteFunc(slices.Clone(d.Corridors), func(x string) bool { return x == code })
			if want {
				list = append(list, code)
			}
			if err := tx.Model(&models.District{}).Where("code = ?", d.Code).Update("corridors", models.StringList(list)).Error; err != nil {
				return err
			}
		}
		if err := s.recordChanges(tx, &changeSet{reference: true}); err != nil {
			return err
		}
		return writeAudit(tx, s.now(), a, models.AuditEvent{Action: "corridor.update", EntityType: "corridor", EntityID: code, Changes: changes})
	})
	return s.afterReferenceWrite(changes, err)
}

// afterReferenceWrite reloads the reference data once a change is committed.
func (s *Store) afterReferenceWrite(changes models.FieldChanges, err error) ([]models.FieldChange, error) {
	if err != nil {
		return nil, err
	}
	if len(changes) == 0 {
		return nil, nil
	}
	if err := s.ReloadReference(); err != nil {
		return nil, err
	}
	return changes, nil
}

// firstWhere loads one row into dst, or answers models.ErrNotFound.
func firstWhere(tx *gorm.DB, dst any, cond string, args ...any) error {
	res := tx.Where(cond, args...).Limit(1).Find(dst)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return models.ErrNotFound
	}
	return nil
}

// diffFields keeps the (field, old, new) triples whose values differ.
func diffFields(fields [][3]string) models.FieldChanges {
	var out models.FieldChanges
	for _, f := range fields {
		if f[1] != f[2] {
			out = append(out, models.FieldChange{Field: f[0], Old: f[1], New: f[2]})
		}
	}
	return out
}

// listText is how a list reads in the audit log: one entry after another, separated by " | ".
func listText(l []string) string { return strings.Join(l, " | ") }
