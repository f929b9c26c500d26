package exchange

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"time"

	"github.com/hanoi-cnht/portal/models"
)

// ImportColumns are the columns of a firm file, in the order Export writes them. Import also
// accepts the Vietnamese headers the Department's lists use (see columnAliases).
var ImportColumns = []string{
	"tax_code", "name_vi", "name_en", "short_name", "description_vi", "description_en",
	"sectors", "products", "processes", "materials", "certifications",
	"address", "ward", "district", "industrial_zone", "corridors", "latitude", "longitude", "other_sites",
	"employees", "founded_year", "ownership", "export_markets", "key_customers", "spcncl_years",
	"website", "email", "phone", "contact_name", "verified_at",
	"equipment", "monthly_capacity", "lot_sizes", "lead_time_days", "capacity_notes",
}

// Import limits used when ImportOptions leaves them zero.
const (
	DefaultImportMaxBytes = 20 << 20
	DefaultImportMaxRows  = 100_000
	// maxReported keeps a report of a thoroughly broken file readable; the rest are counted.
	maxReported = 1000
)

// ErrImportRejected is returned (wrapped) when a file has problems: nothing was written, and the
// report lists every problem with its row and column.
var ErrImportRejected = errors.New("import rejected: nothing was written")

// ImportOptions tune an import.
type ImportOptions struct {
	// DryRun checks the whole file and reports what would change, writing nothing.
	DryRun bool
	// MaxBytes refuses a larger file without reading past the limit; 0 means DefaultImportMaxBytes.
	MaxBytes int64
	// MaxRows refuses a file with more data rows; 0 means DefaultImportMaxRows.
	MaxRows int
	// Actor imports the file (staff, or the system from the command line); every firm written
	// is audited under CorrelationID, made up when empty.
	Actor         models.Actor
	CorrelationID string
	// Concepts, when set, reads an entry of a taxonomy column that is no term's label or synonym
	// for the terms its phrases name (see CellMapping); without it such an entry is free text.
	Concepts ConceptFinder
}

// RowProblem is one finding about a file: Row is the row number a spreadsheet shows (the header
// is normally row 1; 0 means the file as a whole), Column the import column key (or the header as
// written, for an unknown column).
type RowProblem struct {
	Row    int    `json:"row"`
	Column string `json:"column,omitempty"`
	Value  string `json:"value,omitempty"`
	Reason string `json:"reason"`
	// Key and Args, when set, let a page say Reason in the user's language.
	Key  string      `json:"key,omitempty"`
	Args models.Args `json:"args,omitempty"`
}

func (p RowProblem) String() string {
	switch {
	case p.Row == 0 && p.Column == "":
		return p.Reason
	case p.Column == "":
		return fmt.Sprintf("row %d: %s", p.Row, p.Reason)
	}
	return fmt.Sprintf("row %d, %s: %s", p.Row, p.Column, p.Reason)
}

// ImportReport says what an import did, or would do in a dry run. Problems block the import;
// Warnings (unknown terms kept as free text, ignored columns) do not. Mappings say what the
// entries of taxonomy columns that were no term's label were read as.
type ImportReport struct {
	// CorrelationID is shared by the audit rows of every firm the import wrote.
	CorrelationID string `json:"correlation_id,omitempty"`
	// Diffs are the field changes of each firm the import updates, by tax code.
	Diffs     map[string][]models.FieldChange `json:"diffs,omitempty"`
	Rows      int                             `json:"rows"`
	Created   int                             `json:"created"`
	Updated   int                             `json:"updated"`
	Unchanged int                             `json:"unchanged"`
	Problems  []RowProblem                    `json:"problems"`
	Warnings  []RowProblem                    `json:"warnings"`
	Mappings  []CellMapping                   `json:"mappings"`
	// MappingsUnlisted counts the mappings left out of a long report.
	MappingsUnlisted int `json:"mappings_unlisted,omitempty"`
}

// Store is what import needs from the store: the firms with given tax codes, and a planned batch
// written in one transaction.
type Store interface {
	Firms
	Now() time.Time
	StoredFirms(ctx context.Context, taxCodes []string) (map[string]*models.Firm, error)
	WriteFirms(ctx context.Context, b *models.FirmBatch) ([]uint, error)
}

// Import reads firms from a CSV or XLSX file (by name's extension, or by its content) and writes
// them in one transaction: a row whose tax code is stored updates that firm, others are created.
// Columns missing from the file keep the stored values; empty cells clear them. The whole file is
// checked first: if any row has a problem, nothing is written and the report lists every
// problem, with an error wrapping ErrImportRejected. Each firm is loaded, checked and compared
// with its stored record once.
func Import(ctx context.Context, s Store, r io.Reader, name string, opts ImportOptions) (*ImportReport, error) {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultImportMaxBytes
	}
	if opts.MaxRows <= 0 {
		opts.MaxRows = DefaultImportMaxRows
	}
	if opts.CorrelationID == "" {
		opts.CorrelationID = newCorrelationID()
	}
	if opts.Actor.UserID == 0 && !opts.Actor.System {
		opts.Actor = models.SystemActor("import")
	}
	found := &findings{rep: &ImportReport{Problems: []RowProblem{}, Warnings: []RowProblem{}, Mappings: []CellMapping{},
		CorrelationID: opts.CorrelationID}}
	rows, err := readSheet(r, name, opts, found)
	if err != nil {
		return found.finish(), err
	}
	if rows == nil {
		return found.finish(), found.rejected()
	}
	if err := ctx.Err(); err != nil {
		return found.finish(), err
	}
	imp := &rowImporter{ref: s.Reference(), found: found, now: s.Now(), concepts: opts.Concepts}
	data := imp.readHeader(rows)
	if imp.cols == nil {
		return found.finish(), found.rejected()
	}
	found.rep.Rows = len(data)
	batch, err := imp.plan(ctx, s, data)
	if err != nil {
		return found.finish(), err
	}
	if found.problems > 0 {
		return found.finish(), found.rejected()
	}
	created, updated, unchanged := batch.Counts()
	found.rep.Created, found.rep.Updated, found.rep.Unchanged = created, updated, unchanged
	found.rep.Diffs = map[string][]models.FieldChange{}
	for _, w := range batch.Writes {
		if w.Stored != nil && len(w.Changes) > 0 {
			found.rep.Diffs[w.Firm.TaxCode] = w.Changes
		}
	}
	batch.Actor, batch.CorrelationID = opts.Actor, opts.CorrelationID
	if opts.DryRun {
		return found.finish(), nil
	}
	if _, err := s.WriteFirms(ctx, batch); err != nil {
		found.rep.Created, found.rep.Updated, found.rep.Unchanged = 0, 0, 0
		return found.finish(), fmt.Errorf("import: %w (nothing was written)", err)
	}
	return found.finish(), nil
}

// plan parses every data row, loads the stored firms of the file's tax codes, builds each firm and
// plans the batch, reporting each row's problems.
func (imp *rowImporter) plan(ctx context.Context, s Store, data []sheetRow) (*models.FirmBatch, error) {
	parsed := make([]*importRow, 0, len(data))
	firstRow := map[string]int{}
	for i, row := range data {
		if err := cancelledAt(ctx, i); err != nil {
			return nil, err
		}
		ir := imp.parseKey(row)
		if ir.taxCode != "" {
			if first, dup := firstRow[ir.taxCode]; dup {
				imp.found.problem(row.num, "tax_code", ir.taxCode, "tax code %s is also on row %d; a firm may appear only once", ir.taxCode, first)
				ir.duplicate = true
			} else {
				firstRow[ir.taxCode] = row.num
			}
		}
		parsed = append(parsed, ir)
	}
	stored, err := s.StoredFirms(ctx, slices.Collect(maps.Keys(firstRow)))
	if err != nil {
		return nil, fmt.Errorf("import: load stored firms: %w", err)
	}
	firms := make([]*models.Firm, len(parsed))
	for i, ir := range parsed {
		if err := cancelledAt(ctx, i); err != nil {
			return nil, err
		}
		old := stored[ir.taxCode]
		if ir.duplicate {
			old = nil
		}
		firms[i] = imp.buildFirm(ir, old)
	}
	batch := models.PlanFirms(imp.ref, imp.now, stored, firms)
	for i, w := range batch.Writes {
		imp.report(parsed[i], w.Err)
	}
	return batch, nil
}

// cancelledAt reports the context's error every thousandth row: often enough to stop a large file
// soon after the caller gives up, seldom enough to cost nothing.
func cancelledAt(ctx context.Context, row int) error {
	if row%1000 != 0 {
		return nil
	}
	return ctx.Err()
}

// findings collects problems and warnings, keeping the report to a readable size.
type findings struct {
	rep *ImportReport
	// problems counts every problem, listed or not; dropped and droppedWarnings count the unlisted.
	problems, dropped, droppedWarnings int
}

func (l *findings) problem(row int, column, value, format string, args ...any) {
	l.problems++
	if len(l.rep.Problems) >= maxReported {
		l.dropped++
		return
	}
	l.rep.Problems = append(l.rep.Problems, RowProblem{Row: row, Column: column, Value: value, Reason: fmt.Sprintf(format, args...)})
}

// fieldProblem records a validation error of the firm a row builds, keeping its message key.
func (l *findings) fieldProblem(row int, column, value string, fe models.FieldError) {
	l.problem(row, column, value, "%s", fe.Reason)
	if n := len(l.rep.Problems); n > 0 && l.rep.Problems[n-1].Reason == fe.Reason && l.dropped == 0 {
		l.rep.Problems[n-1].Key, l.rep.Problems[n-1].Args = fe.Key, fe.Args
	}
}

func (l *findings) warn(row int, column, value, format string, args ...any) {
	if len(l.rep.Warnings) >= maxReported {
		l.droppedWarnings++
		return
	}
	l.rep.Warnings = append(l.rep.Warnings, RowProblem{Row: row, Column: column, Value: value, Reason: fmt.Sprintf(format, args...)})
}

// warnKey records a warning whose reason a page can say in the user's language.
func (l *findings) warnKey(row int, column, value, key string, args models.Args) {
	l.warn(row, column, value, "%s", MessageEN(key, args))
	if n := len(l.rep.Warnings); n > 0 && l.droppedWarnings == 0 {
		l.rep.Warnings[n-1].Key, l.rep.Warnings[n-1].Args = key, args
	}
}

func (l *findings) mapped(m CellMapping) {
	if len(l.rep.Mappings) >= maxReported {
		l.rep.MappingsUnlisted++
		return
	}
	l.rep.Mappings = append(l.rep.Mappings, m)
}

func (l *findings) finish() *ImportReport {
	sort.SliceStable(l.rep.Problems, func(i, j int) bool { return l.rep.Problems[i].Row < l.rep.Problems[j].Row })
	sort.SliceStable(l.rep.Warnings, func(i, j int) bool { return l.rep.Warnings[i].Row < l.rep.Warnings[j].Row })
	if l.dropped > 0 {
		l.rep.Problems = append(l.rep.Problems, RowProblem{Reason: fmt.Sprintf("%d more problems are not listed", l.dropped)})
		l.dropped = 0
	}
	if l.droppedWarnings > 0 {
		l.rep.Warnings = append(l.rep.Warnings, RowProblem{Reason: fmt.Sprintf("%d more warnings are not listed", l.droppedWarnings)})
		l.droppedWarnings = 0
	}
	return l.rep
}

func (l *findings) rejected() error {
	if l.problems == 1 {
		return fmt.Errorf("%w: %s", ErrImportRejected, l.rep.Problems[0])
	}
	return fmt.Errorf("%w: %d problems, the first: %s", ErrImportRejected, l.problems, l.rep.Problems[0])
}

// newCorrelationID names one import in the audit log: its start time and a random part.
func newCorrelationID() string {
	b := make([]byte, 4)
	rand.Read(b)
	return "import-" + time.Now().UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b)
}
