package models

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// exportBatch is how many firms are loaded at a time while exporting.
const exportBatch = 500

// Export writes every firm to w as "csv" (UTF-8 with a byte-order mark, so Excel reads the
// Vietnamese right) or "xlsx", in the ImportColumns with a header of column keys. Import reads
// the file back to the same firms: names are written where they resolve back to the same code
// (taxonomy terms, districts, parks, corridors, countries in Vietnamese), codes otherwise.
// Only each firm's main site is written.
func (s *Store) Export(ctx context.Context, w io.Writer, format string) error {
	switch strings.ToLower(format) {
	case "csv":
		return s.exportCSV(ctx, w)
	case "xlsx":
		return s.exportXLSX(ctx, w)
	}
	return fmt.Errorf("export: format must be csv or xlsx, not %q", format)
}

func (s *Store) exportCSV(ctx context.Context, w io.Writer) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	if err := cw.Write(ImportColumns); err != nil {
		return err
	}
	ref := s.Reference()
	err := s.EachFirm(ctx, exportBatch, func(firms []*Firm) error {
		for _, f := range firms {
			row := exportRow(ref, f)
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

func (s *Store) exportXLSX(ctx context.Context, w io.Writer) error {
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
		case "name_vi", "name_en", "description_vi", "description_en", "address", "certifications", "products":
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
	err = s.EachFirm(ctx, exportBatch, func(firms []*Firm) error {
		for _, f := range firms {
			rowNum++
			cells := exportRow(ref, f)
			values := make([]any, len(cells))
			for i, c := range cells {
				switch {
				case c == "":
					values[i] = nil
				case ImportColumns[i] == "employees" || ImportColumns[i] == "founded_year":
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
func exportRow(ref *Reference, f *Firm) []string {
	row := make([]string, 0, len(ImportColumns))
	var site Site
	if m := f.MainSite(); m != nil {
		site = *m
	}
	for _, col := range ImportColumns {
		var v string
		switch col {
		case "tax_code":
			v = f.TaxCode
		case "name_vi":
			v = f.NameVI
		case "name_en":
			v = f.NameEN
		case "short_name":
			v = f.ShortName
		case "description_vi":
			v = f.DescriptionVI
		case "description_en":
			v = f.DescriptionEN
		case "sectors":
			v = termsCell(ref, f, KindSector)
		case "products":
			v = termsCell(ref, f, KindProduct)
		case "processes":
			v = termsCell(ref, f, KindProcess)
		case "materials":
			v = termsCell(ref, f, KindMaterial)
		case "certifications":
			parts := make([]string, len(f.Certificates))
			for i, c := range f.Certificates {
				parts[i] = CertificateText(c)
			}
			v = strings.Join(parts, "; ")
		case "address":
			v = site.Address
		case "ward":
			v = site.Ward
		case "district":
			if d, ok := ref.District(site.District); ok {
				v = nameOrCode(d.NameVI, d.Code, func(s string) (string, bool) { x, ok := ref.ResolveDistrict(s); return x.Code, ok })
			} else {
				v = site.District
			}
		case "industrial_zone":
			if z, ok := ref.Zone(site.Zone); ok {
				v = nameOrCode(z.NameVI, z.Code, func(s string) (string, bool) { x, ok := ref.ResolveZone(s); return x.Code, ok })
			} else {
				v = site.Zone
			}
		case "corridors":
			// Derived corridors are left out: an empty cell lets location decide again on import.
			if site.CorridorsSet {
				parts := make([]string, len(site.Corridors))
				for i, code := range site.Corridors {
					parts[i] = code
					if c, ok := ref.Corridor(code); ok {
						parts[i] = nameOrCode(c.LabelVI, c.Code, func(s string) (string, bool) { x, ok := ref.ResolveCorridor(s); return x.Code, ok })
					}
				}
				v = strings.Join(parts, "; ")
			}
		case "latitude":
			v = formatCoordinate(site.Latitude)
		case "longitude":
			v = formatCoordinate(site.Longitude)
		case "employees":
			v = formatNonZero(f.Employees)
		case "founded_year":
			v = formatNonZero(f.FoundedYear)
		case "ownership":
			v = ownershipLabelVI[f.Ownership]
			if v == "" {
				v = string(f.Ownership)
			}
		case "export_markets":
			parts := make([]string, len(f.ExportMarkets))
			for i, m := range f.ExportMarkets {
				parts[i] = m
				if c, ok := ResolveCountry(m); ok && c.Code == m {
					parts[i] = nameOrCode(c.NameVI, c.Code, func(s string) (string, bool) { x, ok := ResolveCountry(s); return x.Code, ok })
				}
			}
			v = strings.Join(parts, "; ")
		case "key_customers":
			v = strings.Join(f.KeyCustomers, "; ")
		case "spcncl_years":
			parts := make([]string, len(f.Recognitions))
			for i, r := range f.Recognitions {
				parts[i] = strconv.Itoa(r.Year)
				if r.Product != "" {
					parts[i] += ": " + r.Product
				}
			}
			v = strings.Join(parts, "; ")
		case "website":
			v = f.Website
		case "email":
			v = f.Email
		case "phone":
			v = f.Phone
		case "contact_name":
			v = f.ContactName
		}
		row = append(row, v)
	}
	return row
}

// ownershipLabelVI is how the Department writes each ownership type.
var ownershipLabelVI = map[Ownership]string{
	OwnershipPrivate:      "Tư nhân",
	OwnershipState:        "Nhà nước",
	OwnershipFDI:          "FDI",
	OwnershipJointVenture: "Liên doanh",
}

// nameOrCode is the Vietnamese name when reading it back finds the same record, else the code.
func nameOrCode(name, code string, resolve func(string) (string, bool)) string {
	if got, ok := resolve(name); ok && got == code && name != "" {
		return name
	}
	return code
}

// termsCell lists the firm's terms of one kind by Vietnamese label (code when the label is
// ambiguous), then its free text of that kind.
func termsCell(ref *Reference, f *Firm, kind TermKind) string {
	var parts []string
	for _, t := range f.TermsOf(kind) {
		parts = append(parts, nameOrCode(t.LabelVI, t.Code, func(s string) (string, bool) {
			x, ok := ref.ResolveTerm(kind, s)
			return x.Code, ok
		}))
	}
	parts = append(parts, f.FreeTerms.Texts(kind)...)
	return strings.Join(parts, "; ")
}

// CertificateText writes a certificate in the form Import reads:
// "ISO 9001:2015 (2027-06-30, issued 2024-07-01, no. QMS-1234, by QUACERT, scope TEXT,
// verified 2025-01-10)"; the parentheses are left out when there are no details.
func CertificateText(c Certificate) string {
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
	if c.Scope != "" {
		parts = append(parts, "scope "+c.Scope)
	}
	if c.VerifiedAt != nil {
		parts = append(parts, "verified "+c.VerifiedAt.UTC().Format(time.DateOnly))
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
