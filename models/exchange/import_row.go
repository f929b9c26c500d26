package exchange

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/hanoi-cnht/portal/models"
)

// rowImporter turns rows into firms against one snapshot of the reference data.
type rowImporter struct {
	ref   *models.Reference
	found *findings
	now   time.Time
	cols  map[string]int // column key → cell index
	// concepts reads taxonomy entries that are no term's label; nil keeps them as free text.
	concepts ConceptFinder
}

// importRow is one data row with its cells by column key.
type importRow struct {
	num       int
	cells     map[string]string
	taxCode   string
	duplicate bool
	// certTexts and recTexts are the list entries as written, in the order of the built firm's
	// Certificates and Recognitions, to quote them in problems.
	certTexts []string
	recTexts  []string
}

// cleanCell makes a cell's text canonical: NFC (files from macOS are often NFD), Unix line
// breaks, no surrounding spaces.
func cleanCell(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	return strings.TrimSpace(s)
}

var nineDigitTaxCode = regexp.MustCompile(`^[0-9]{9}(-[0-9]{3})?$`)

// parseKey reads the row's cells and its tax code.
func (imp *rowImporter) parseKey(row sheetRow) *importRow {
	ir := &importRow{num: row.num, cells: make(map[string]string, len(imp.cols))}
	for key, i := range imp.cols {
		v := ""
		if i < len(row.cells) {
			v = cleanCell(row.cells[i])
		}
		ir.cells[key] = v
	}
	code := ir.cells["tax_code"]
	// Excel drops the leading zero of a tax code typed as a number; Hanoi's codes start with 01.
	if nineDigitTaxCode.MatchString(code) {
		imp.found.warn(row.num, "tax_code", code, "has 9 digits; the leading 0 a spreadsheet drops was restored (0%s)", code)
		code = "0" + code
		ir.cells["tax_code"] = code
	}
	if models.ValidTaxCode(code) {
		ir.taxCode = code
	}
	return ir
}

func (ir *importRow) get(key string) (string, bool) {
	v, ok := ir.cells[key]
	return v, ok
}

// cloneFirm copies a stored firm deeply enough that building the import's version never changes
// the original.
func cloneFirm(old *models.Firm) *models.Firm {
	f := *old
	f.Terms = slices.Clone(old.Terms)
	f.FreeTerms = slices.Clone(old.FreeTerms)
	f.Certificates = slices.Clone(old.Certificates)
	f.KeyCustomers = slices.Clone(old.KeyCustomers)
	f.ExportMarkets = slices.Clone(old.ExportMarkets)
	f.Recognitions = slices.Clone(old.Recognitions)
	f.Sites = slices.Clone(old.Sites)
	for i := range f.Sites {
		f.Sites[i].Corridors = slices.Clone(old.Sites[i].Corridors)
	}
	return &f
}

// buildFirm makes the firm a row describes: the stored firm (if any) with every column in the
// file applied to it.
func (imp *rowImporter) buildFirm(ir *importRow, old *models.Firm) *models.Firm {
	f := &models.Firm{}
	if old != nil {
		f = cloneFirm(old)
	}
	for _, t := range []struct {
		key string
		dst *string
	}{
		{"tax_code", &f.TaxCode}, {"name_vi", &f.NameVI}, {"name_en", &f.NameEN}, {"short_name", &f.ShortName},
		{"description_vi", &f.DescriptionVI}, {"description_en", &f.DescriptionEN}, {"website", &f.Website},
		{"email", &f.Email}, {"phone", &f.Phone}, {"contact_name", &f.ContactName},
		{"monthly_capacity", &f.MonthlyCapacity}, {"lot_sizes", &f.LotSizes}, {"capacity_notes", &f.CapacityNotes},
	} {
		if v, ok := ir.get(t.key); ok {
			*t.dst = v
		}
	}
	if v, ok := ir.get("employees"); ok {
		if n, ok := imp.wholeNumber(ir, "employees", v); ok {
			f.Employees = n
		}
	}
	if v, ok := ir.get("lead_time_days"); ok {
		if n, ok := imp.wholeNumber(ir, "lead_time_days", v); ok {
			f.LeadTimeDays = n
		}
	}
	if v, ok := ir.get("equipment"); ok {
		f.Equipment = imp.equipment(ir, v)
	}
	if v, ok := ir.get("founded_year"); ok {
		f.FoundedYear = 0
		if v != "" {
			if n, err := strconv.Atoi(v); err == nil {
				f.FoundedYear = n
			} else {
				imp.found.problem(ir.num, "founded_year", v, "%q is not a year", v)
			}
		}
	}
	if v, ok := ir.get("ownership"); ok {
		f.Ownership = ""
		if v != "" {
			if o, ok := ownershipByKey[models.FoldKey(v)]; ok {
				f.Ownership = o
			} else {
				imp.found.problem(ir.num, "ownership", v, "%q is not an ownership type; write Tư nhân, Nhà nước, FDI or Liên doanh (private, state, fdi, jv)", v)
			}
		}
	}
	imp.applyTerms(ir, f)
	if v, ok := ir.get("certifications"); ok {
		var olds []models.Certificate
		if old != nil {
			olds = old.Certificates
		}
		f.Certificates, ir.certTexts = imp.certificates(ir, v, olds)
	}
	imp.applySite(ir, f)
	imp.applyOtherSites(ir, f)
	if v, ok := ir.get("verified_at"); ok {
		f.VerifiedAt = nil
		if v != "" {
			if t, err := parseInstant(v); err == nil {
				f.VerifiedAt = &t
			} else {
				imp.found.problem(ir.num, "verified_at", v, "%q is not a date (YYYY-MM-DD) or a time (RFC 3339)", v)
			}
		}
	}
	if v, ok := ir.get("export_markets"); ok {
		f.ExportMarkets = imp.exportMarkets(ir, v)
	}
	if v, ok := ir.get("key_customers"); ok {
		f.KeyCustomers = models.StringList(splitList(v, ';'))
	}
	if v, ok := ir.get("spcncl_years"); ok {
		f.Recognitions, ir.recTexts = imp.recognitions(ir, v)
	}
	return f
}

// report lists the firm's validation errors against their columns; a tax code repeated in the
// file is reported once, when rows are read.
func (imp *rowImporter) report(ir *importRow, err error) {
	if err == nil {
		return
	}
	var ve *models.ValidationError
	if !errors.As(err, &ve) {
		imp.found.problem(ir.num, "", "", "%v", err)
		return
	}
	for _, fe := range ve.Fields {
		if fe.Key == "validation.duplicate" {
			continue
		}
		col, idx := fe.Field, 0
		if i := strings.IndexByte(col, '['); i > 0 && strings.HasSuffix(col, "]") && !strings.Contains(col, ".") {
			idx, _ = strconv.Atoi(col[i+1 : len(col)-1])
			col = col[:i]
		}
		value := ir.cells[col]
		switch {
		case col == "certifications" && idx > 0 && idx <= len(ir.certTexts):
			value = ir.certTexts[idx-1]
		case col == "spcncl_years" && idx > 0 && idx <= len(ir.recTexts):
			value = ir.recTexts[idx-1]
		}
		imp.found.fieldProblem(ir.num, col, value, fe)
	}
}

// parseInstant reads a date (midnight in Hanoi) or an RFC 3339 time, as export writes it.
func parseInstant(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, models.Hanoi)
	return t.UTC(), err
}

// equipment reads one kind of machine a line: "type | count | specification", count and
// specification optional.
func (imp *rowImporter) equipment(ir *importRow, v string) []models.Equipment {
	var out []models.Equipment
	for _, line := range strings.Split(v, "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		parts := strings.SplitN(line, "|", 3)
		e := models.Equipment{MachineType: strings.TrimSpace(parts[0]), Count: 1}
		if len(parts) > 1 {
			n, ok := imp.wholeNumber(ir, "equipment", strings.TrimSpace(parts[1]))
			if !ok {
				continue
			}
			e.Count = n
		}
		if len(parts) > 2 {
			e.Spec = strings.TrimSpace(parts[2])
		}
		out = append(out, e)
	}
	return out
}
