package exchange

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hanoi-cnht/portal/models"
)

// Firms is what export needs from the store: the reference data and every firm in batches.
type Firms interface {
	Reference() *models.Reference
	EachFirm(ctx context.Context, size int, fn func([]*models.Firm) error) error
}

// exportBatch is how many firms are loaded at a time while exporting.
const exportBatch = 500

// Export writes every firm to w as "csv" (UTF-8 with a byte-order mark, so Excel reads the
// Vietnamese right) or "xlsx", in the ImportColumns with a header of column keys. Import reads
// the file back to the same firms: names are written where they resolve back to the same code
// (taxonomy terms, districts, parks, corridors, countries in Vietnamese), codes otherwise.
// Every site is written: the main one in the location columns, the others in other_sites.
func Export(ctx context.Context, s Firms, w io.Writer, format string, opts ...ExportOption) error {
	var x exporter
	for _, o := range opts {
		o(&x)
	}
	switch strings.ToLower(format) {
	case "csv":
		return x.exportCSV(ctx, s, w)
	case "xlsx":
		return x.exportXLSX(ctx, s, w)
	}
	return fmt.Errorf("export: format must be csv or xlsx, not %q", format)
}

// ExportOption tunes an export.
type ExportOption func(*exporter)

// WithConcepts writes free text in quotes where an import reading cells with concepts would map
// it to terms, so the file imports back to the same free text. Use the finder the import uses.
func WithConcepts(concepts ConceptFinder) ExportOption {
	return func(x *exporter) { x.concepts = concepts }
}

// exporter holds the options of one export.
type exporter struct {
	concepts ConceptFinder
}

func (x *exporter) exportCSV(ctx context.Context, s Firms, w io.Writer) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	if err := cw.Write(ImportColumns); err != nil {
		return err
	}
	ref := s.Reference()
	err := s.EachFirm(ctx, exportBatch, func(firms []*models.Firm) error {
		for _, f := range firms {
			row := x.exportRow(ref, f)
			for i, c := range row {
				row[i] = guardFormula(c)
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return bw.Flush()
}

func (x *exporter) exportXLSX(ctx context.Context, s Firms, w io.Writer) error {
	wb := excelize.NewFile()
	defer wb.Close()
	const sheet = "Firms"
	if err := wb.SetSheetName(wb.GetSheetName(0), sheet); err != nil {
		return err
	}
	sw, err := wb.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, err := wb.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, col := range ImportColumns {
		width := 16.0
		switch col {
		case "name_vi", "name_en", "description_vi", "description_en", "address", "certifications", "products", "other_sites", "equipment":
			width = 40
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	header := make([]any, len(ImportColumns))
	for i, c := range ImportColumns {
		header[i] = excelize.Cell{StyleID: bold, Value: c}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	ref := s.Reference()
	rowNum := 1
	err = s.EachFirm(ctx, exportBatch, func(firms []*models.Firm) error {
		for _, f := range firms {
			rowNum++
			cells := x.exportRow(ref, f)
			values := make([]any, len(cells))
			for i, c := range cells {
				switch {
				case c == "":
					values[i] = nil
				case ImportColumns[i] == "employees" || ImportColumns[i] == "founded_year" || ImportColumns[i] == "lead_time_days":
					// Numbers as numbers, so staff can sum and sort them.
					n, _ := strconv.Atoi(c)
					values[i] = n
				default:
					// Everything else as text: tax codes keep their leading zero, coordinates
					// every digit.
					values[i] = c
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, rowNum)
			if err := sw.SetRow(cell, values); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if _, err := wb.WriteTo(w); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// exportRow is the firm's row in the ImportColumns order.
func (x *exporter) exportRow(ref *models.Reference, f *models.Firm) []string {
	cells := map[string]string{
		"tax_code": f.TaxCode, "name_vi": f.NameVI, "name_en": f.NameEN, "short_name": f.ShortName,
		"description_vi": f.DescriptionVI, "description_en": f.DescriptionEN,
		"sectors":   x.termsCell(ref, f, models.KindSector),
		"products":  x.termsCell(ref, f, models.KindProduct),
		"processes": x.termsCell(ref, f, models.KindProcess),
		"materials": x.termsCell(ref, f, models.KindMaterial),
		"employees": formatNonZero(f.Employees), "founded_year": formatNonZero(f.FoundedYear),
		"ownership": ownershipCell(f.Ownership), "website": f.Website, "email": f.Email, "phone": f.Phone,
		"contact_name": f.ContactName, "key_customers": strings.Join(f.KeyCustomers, "; "),
		"certifications": certificatesCell(f.Certificates), "export_markets": marketsCell(f.ExportMarkets),
		"spcncl_years": recognitionsCell(f.Recognitions), "other_sites": otherSitesCell(ref, f.Sites),
		"equipment": equipmentCell(f.Equipment), "monthly_capacity": f.MonthlyCapacity, "lot_sizes": f.LotSizes,
		"lead_time_days": formatNonZero(f.LeadTimeDays), "capacity_notes": f.CapacityNotes,
	}
	if f.VerifiedAt != nil {
		cells["verified_at"] = f.VerifiedAt.UTC().Format(time.RFC3339Nano)
	}
	if m := f.MainSite(); m != nil {
		maps.Copy(cells, siteCells(ref, *m))
	}
	row := make([]string, len(ImportColumns))
	for i, col := range ImportColumns {
		row[i] = cells[col]
	}
	return row
}

// siteCells are a site's location columns, by column key.
func siteCells(ref *models.Reference, site models.Site) map[string]string {
	cells := map[string]string{"address": site.Address, "ward": site.Ward, "district": site.District,
		"industrial_zone": site.Zone, "latitude": formatCoordinate(site.Latitude), "longitude": formatCoordinate(site.Longitude)}
	if d, ok := ref.District(site.District); ok {
		cells["district"] = nameOrCode(d.NameVI, d.Code, func(s string) (string, bool) { x, ok := ref.ResolveDistrict(s); return x.Code, ok })
	}
	if z, ok := ref.Zone(site.Zone); ok {
		cells["industrial_zone"] = nameOrCode(z.NameVI, z.Code, func(s string) (string, bool) { x, ok := ref.ResolveZone(s); return x.Code, ok })
	}
	// Derived corridors are left out: an empty cell lets location decide again on import.
	if site.CorridorsSet {
		parts := make([]string, len(site.Corridors))
		for i, code := range site.Corridors {
			parts[i] = code
			if c, ok := ref.Corridor(code); ok {
				parts[i] = nameOrCode(c.LabelVI, c.Code, func(s string) (string, bool) { x, ok := ref.ResolveCorridor(s); return x.Code, ok })
			}
		}
		cells["corridors"] = strings.Join(parts, "; ")
	}
	return cells
}

// otherSitesCell writes the sites after the main one, one a line, as "key: value | key: value".
func otherSitesCell(ref *models.Reference, sites []models.Site) string {
	if len(sites) < 2 {
		return ""
	}
	lines := make([]string, 0, len(sites)-1)
	for _, site := range sites[1:] {
		cells := siteCells(ref, site)
		var parts []string
		for _, key := range siteColumns {
			if v := cells[key]; v != "" {
				parts = append(parts, key+": "+v)
			}
		}
		lines = append(lines, strings.Join(parts, " | "))
	}
	return strings.Join(lines, "\n")
}

// equipmentCell writes one kind of machine a line: "máy dập 60–300 tấn | 12 | bàn 1.200 mm".
func equipmentCell(equipment []models.Equipment) string {
	lines := make([]string, len(equipment))
	for i, e := range equipment {
		lines[i] = e.MachineType + " | " + strconv.Itoa(e.Count)
		if e.Spec != "" {
			lines[i] += " | " + e.Spec
		}
	}
	return strings.Join(lines, "\n")
}

func ownershipCell(o models.Ownership) string {
	if v := ownershipLabelVI[o]; v != "" {
		return v
	}
	return string(o)
}

func certificatesCell(certs []models.Certificate) string {
	parts := make([]string, len(certs))
	for i, c := range certs {
		parts[i] = CertificateText(c)
	}
	return strings.Join(parts, "; ")
}

func marketsCell(markets []string) string {
	parts := make([]string, len(markets))
	for i, m := range markets {
		parts[i] = m
		if c, ok := models.ResolveCountry(m); ok && c.Code == m {
			parts[i] = nameOrCode(c.NameVI, c.Code, func(s string) (string, bool) { x, ok := models.ResolveCountry(s); return x.Code, ok })
		}
	}
	return strings.Join(parts, "; ")
}

func recognitionsCell(recs []models.Recognition) string {
	parts := make([]string, len(recs))
	for i, r := range recs {
		parts[i] = strconv.Itoa(r.Year)
		if r.Product != "" {
			parts[i] += ": " + r.Product
		}
	}
	return strings.Join(parts, "; ")
}

// ownershipLabelVI is how the Department writes each ownership type.
var ownershipLabelVI = map[models.Ownership]string{
	models.OwnershipPrivate:      "Tư nhân",
	models.OwnershipState:        "Nhà nước",
	models.OwnershipFDI:          "FDI",
	models.OwnershipJointVenture: "Liên doanh",
}

// nameOrCode is the Vietnamese name when reading it back finds the same record, else the code.
func nameOrCode(name, code string, resolve func(string) (string, bool)) string {
	if got, ok := resolve(name); ok && got == code && name != "" {
		return name
	}
	return code
}

// termsCell lists the firm's terms of one kind by Vietnamese label (code when the label is
// ambiguous), then its free text of that kind (see freeTextCell).
func (x *exporter) termsCell(ref *models.Reference, f *models.Firm, kind models.TermKind) string {
	var parts []string
	for _, t := range f.TermsOf(kind) {
		parts = append(parts, nameOrCode(t.LabelVI, t.Code, func(s string) (string, bool) {
			x, ok := ref.ResolveTerm(kind, s)
			return x.Code, ok
		}))
	}
	for _, text := range f.FreeTerms.Texts(kind) {
		parts = append(parts, freeTextCell(ref, x.concepts, text))
	}
	return strings.Join(parts, "; ")
}

// CertificateText writes a certificate in the form Import reads:
// "ISO 9001:2015 (2027-06-30, issued 2024-07-01, no. QMS-1234, by QUACERT, scope TEXT,
// verified 2025-01-10)"; the parentheses are left out when there are no details.
func CertificateText(c models.Certificate) string {
	var parts []string
	if c.Expires != nil {
		parts = append(parts, c.Expires.String())
	}
	if c.IssuedOn != nil {
		parts = append(parts, "issued "+c.IssuedOn.String())
	}
	if c.Number != "" {
		parts = append(parts, "no. "+c.Number)
	}
	if c.Issuer != "" {
		parts = append(parts, "by "+c.Issuer)
	}
	if c.AccreditationBody != "" {
		parts = append(parts, "accredited by "+c.AccreditationBody)
	}
	if c.Scope != "" {
		parts = append(parts, "scope "+c.Scope)
	}
	// A decision other than the one the verification date implies is written out.
	if c.State == models.CertRejected || c.State == models.CertRevoked || (c.State == models.CertClaimed && c.VerifiedAt != nil) {
		parts = append(parts, "status "+string(c.State))
	}
	if v := c.VerifiedAt; v != nil {
		// A day at midnight reads as a day; any other instant is written whole, so it comes back.
		if u := v.UTC(); u.Equal(u.Truncate(24 * time.Hour)) {
			parts = append(parts, "verified "+u.Format(time.DateOnly))
		} else {
			parts = append(parts, "verified "+u.Format(time.RFC3339Nano))
		}
	}
	if c.VerifiedBy != "" {
		parts = append(parts, "verified by "+c.VerifiedBy)
	}
	if c.VerificationMethod != "" {
		parts = append(parts, "method "+c.VerificationMethod)
	}
	if c.DecisionNote != "" {
		parts = append(parts, "note "+c.DecisionNote)
	}
	if len(parts) == 0 {
		return c.Label()
	}
	return c.Label() + " (" + strings.Join(parts, ", ") + ")"
}

func formatCoordinate(x *float64) string {
	if x == nil {
		return ""
	}
	return strconv.FormatFloat(*x, 'f', -1, 64)
}

func formatNonZero(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}
