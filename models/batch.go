package models

import (
	"fmt"
	"time"
)

// SampleNextKey is the database fact that records where the sample stream continues, so firms
// added later never reuse a tax code, even after firms were deleted.
const SampleNextKey = "sample_next"

// FirmWrite is one firm of a batch that replaces whole records by tax code: the record to store,
// the stored record it replaces (nil when the firm is new), what changes, and what is wrong with
// it.
type FirmWrite struct {
	Firm    *Firm
	Stored  *Firm
	Changes []FieldChange
	Err     error
}

// Unchanged reports whether the write would leave a stored firm as it is.
func (w *FirmWrite) Unchanged() bool { return w.Stored != nil && len(w.Changes) == 0 }

// FirmBatch is the input of the use cases that replace whole firm records by tax code: an
// import of a file and a run of the sample generator. It is made by PlanFirms, which normalises,
// checks and compares each firm exactly once; the store writes it as planned.
type FirmBatch struct {
	Writes []FirmWrite
	// SampleNext, when above zero, is where the sample stream continues after this batch; the
	// store records it in the same transaction as the firms.
	SampleNext int
	// Reference is the reference data the firms were checked against.
	Reference *Reference
	// Actor does the write and CorrelationID ties its audit rows together (one import, one
	// run of the generator). The zero Actor is the system.
	Actor         Actor
	CorrelationID string
}

// PlanFirms prepares a batch: each firm is normalised and checked against ref, takes the
// identity of the stored firm with its tax code (stored, keyed by tax code), and is compared with
// it field by field. A tax code given twice makes the later firm invalid.
func PlanFirms(ref *Reference, now time.Time, stored map[string]*Firm, firms []*Firm) *FirmBatch {
	b := &FirmBatch{Writes: make([]FirmWrite, len(firms)), Reference: ref}
	seen := make(map[string]bool, len(firms))
	for i, f := range firms {
		f.normalize(ref)
		w := FirmWrite{Firm: f, Stored: stored[f.TaxCode], Err: f.Check(ref, now)}
		if seen[f.TaxCode] && w.Err == nil {
			w.Err = &ValidationError{Fields: []FieldError{NewFieldError("tax_code", "validation.duplicate", Args{"Value": f.TaxCode})}}
		}
		seen[f.TaxCode] = true
		if old := w.Stored; old != nil {
			f.ID, f.Slug, f.CreatedAt = old.ID, old.Slug, old.CreatedAt
			if f.OwnerUserID == nil {
				f.OwnerUserID = old.OwnerUserID
			}
			w.Changes = FirmChanges(old, f)
			if len(w.Changes) == 0 {
				f.UpdatedAt = old.UpdatedAt
			}
		}
		b.Writes[i] = w
	}
	return b
}

// Err is the first problem of the batch, naming the firm when the batch has several; nil when
// every firm is valid.
func (b *FirmBatch) Err() error {
	for i, w := range b.Writes {
		if w.Err == nil {
			continue
		}
		if len(b.Writes) > 1 {
			return fmt.Errorf("firm %d (%s): %w", i+1, w.Firm.TaxCode, w.Err)
		}
		return w.Err
	}
	return nil
}

// Counts says how many firms the batch creates, updates and leaves unchanged.
func (b *FirmBatch) Counts() (created, updated, unchanged int) {
	for i := range b.Writes {
		switch w := &b.Writes[i]; {
		case w.Stored == nil:
			created++
		case w.Unchanged():
			unchanged++
		default:
			updated++
		}
	}
	return
}
