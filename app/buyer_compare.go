package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"github.com/hanoi-cnht/portal/models"
)

// Side-by-side comparison of shortlisted suppliers, and the shortlist as a spreadsheet. Both
// take their facts from one table of rows, so the page and the file say the same.

// compareRow is one fact of every supplier compared: a cell each, as lines.
type compareRow struct {
	Label string
	Cells [][]string
}

type compareData struct {
	Form    *form
	Name    string
	Firms   []compareFirm
	Rows    []compareRow
	Notice  string // why fewer suppliers are shown than were chosen
	Back    string
	RFQLink string
}

type compareFirm struct {
	Name, NameLang, URL string
}

// comparePage compares up to models.MaxCompare suppliers of a list: those ticked (firm=ID),
// or the first ones.
func (s *Server) comparePage(c echo.Context) error {
	id, ok := idParam(c, "list")
	if !ok {
		return echo.ErrNotFound
	}
	lang := pageLang(c)
	l, items, err := s.store.Shortlist(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	d := &compareData{Form: s.newForm(c), Name: l.Name, Back: shortlistPath(c, id, "")}
	if picked := c.QueryParams()["firm"]; len(picked) > 0 {
		want := map[string]bool{}
		for _, p := range picked {
			want[p] = true
		}
		var chosen []models.ShortlistItem
		for _, it := range items {
			if want[itoa(int(it.FirmID))] {
				chosen = append(chosen, it)
			}
		}
		items = chosen
	}
	if len(items) > models.MaxCompare {
		d.Notice = s.tr(c, "compare.too_many", "Max", models.MaxCompare, "Count", len(items))
		items = items[:models.MaxCompare]
	}
	firms, err := s.firmsInOrder(c, items)
	if err != nil {
		return err
	}
	q := make([]string, 0, len(firms))
	for _, f := range firms {
		cf := compareFirm{Name: f.DisplayName(lang), URL: supplierPath(lang, f.Slug)}
		if lang == "en" && f.NameEN == "" {
			cf.NameLang = "vi"
		}
		d.Firms = append(d.Firms, cf)
		q = append(q, "firm="+itoa(int(f.ID)))
	}
	d.Rows = s.compareRows(c, firms, items)
	if len(firms) > 0 {
		d.RFQLink = localPath(lang, "/account/rfqs/new") + "?list=" + itoa(int(id)) + "&" + strings.Join(q, "&")
	}
	p := s.newPage(c, "account", s.tr(c, "compare.title", "Name", l.Name), "")
	p.NoIndex, p.Data = true, d
	return s.render(c, http.StatusOK, "compare", p)
}

// compareRows are the facts buyers weigh, one row each, for firms with the buyer's notes.
func (s *Server) compareRows(c echo.Context, firms []*models.Firm, items []models.ShortlistItem) []compareRow {
	lang := pageLang(c)
	ref := s.store.Reference()
	now := s.now()
	row := func(key string, cell func(f *models.Firm, i int) []string) compareRow {
		r := compareRow{Label: s.tr(c, key)}
		for i, f := range firms {
			r.Cells = append(r.Cells, cell(f, i))
		}
		return r
	}
	terms := func(kind models.TermKind) func(f *models.Firm, _ int) []string {
		return func(f *models.Firm, _ int) []string {
			var out []string
			for _, t := range f.TermsOf(kind) {
				out = append(out, t.Label(lang))
			}
			return out
		}
	}
	one := func(s string) []string {
		if s == "" {
			return nil
		}
		return []string{s}
	}
	return []compareRow{
		row("compare.note", func(_ *models.Firm, i int) []string { return one(items[i].Note) }),
		row("compare.certificates", func(f *models.Firm, _ int) []string {
			var out []string
			for _, b := range s.certBadges(c, f.Certificates, now, false) {
				line := b.Label + " — " + b.StatusText
				if b.Expires != "" {
					line += " (" + s.tr(c, "compare.until", "Date", b.Expires) + ")"
				}
				out = append(out, line)
			}
			return out
		}),
		row("firm.terms.product", terms(models.KindProduct)),
		row("firm.terms.process", terms(models.KindProcess)),
		row("firm.terms.material", terms(models.KindMaterial)),
		row("compare.equipment", func(f *models.Firm, _ int) []string {
			var out []string
			for _, e := range f.Equipment {
				line := e.MachineType
				if e.Count > 1 {
					line = fmt.Sprintf("%d × %s", e.Count, line)
				}
				if e.Spec != "" {
					line += " (" + e.Spec + ")"
				}
				out = append(out, line)
			}
			return out
		}),
		row("compare.capacity", func(f *models.Firm, _ int) []string { return one(f.MonthlyCapacity) }),
		row("compare.lead_time", func(f *models.Firm, _ int) []string { return one(s.leadTime(c, f.LeadTimeDays)) }),
		row("compare.location", func(f *models.Firm, _ int) []string {
			var out []string
			for _, site := range f.Sites {
				v := siteViewOf(ref, site, lang)
				parts := []string{siteLocation(ref, &site, lang)}
				for _, co := range v.Corridors {
					parts = append(parts, co.Label)
				}
				if line := strings.Trim(strings.Join(parts, " · "), " ·"); line != "" {
					out = append(out, line)
				}
			}
			return out
		}),
		row("compare.size", func(f *models.Firm, _ int) []string {
			if f.Employees == 0 {
				return nil
			}
			return []string{s.tr(c, "compare.employees", "Count", f.Employees, "Band", s.tr(c, "size."+string(f.SizeBand())))}
		}),
		row("compare.markets", func(f *models.Firm, _ int) []string {
			var out []string
			for _, m := range f.ExportMarkets {
				if co, ok := models.ResolveCountry(m); ok {
					m = co.Label(lang)
				}
				out = append(out, m)
			}
			return out
		}),
		row("compare.customers", func(f *models.Firm, _ int) []string { return f.KeyCustomers }),
		row("compare.updated", func(f *models.Firm, _ int) []string { return one(formatDate(lang, f.UpdatedAt)) }),
	}
}

// exportShortlist sends a list as CSV (UTF-8 with a byte-order mark, which Excel needs to read
// Vietnamese) or XLSX: one row a supplier, the comparison's facts as columns.
func (s *Server) exportShortlist(c echo.Context) error {
	id, ok := idParam(c, "list")
	if !ok {
		return echo.ErrNotFound
	}
	format := c.QueryParam("format")
	if format != "csv" && format != "xlsx" {
		return echo.NewHTTPError(http.StatusBadRequest, "format must be csv or xlsx")
	}
	lang := pageLang(c)
	l, items, err := s.store.Shortlist(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	firms, err := s.firmsInOrder(c, items)
	if err != nil {
		return err
	}
	rows := s.compareRows(c, firms, items)
	header := []string{s.tr(c, "compare.name"), s.tr(c, "firm.tax_code"), s.tr(c, "compare.profile")}
	for _, r := range rows {
		header = append(header, r.Label)
	}
	table := [][]string{header}
	origin := s.origin(c)
	for i, f := range firms {
		line := []string{f.DisplayName(lang), f.TaxCode, origin + supplierPath(lang, f.Slug)}
		for _, r := range rows {
			line = append(line, strings.Join(r.Cells[i], "; "))
		}
		table = append(table, line)
	}
	var buf bytes.Buffer
	name := "shortlist-" + strconv.FormatUint(uint64(l.ID), 10) + "." + format
	contentType := "text/csv; charset=utf-8"
	if format == "csv" {
		buf.WriteString("\uFEFF")
		w := csv.NewWriter(&buf)
		for _, line := range table {
			for i, v := range line {
				line[i] = spreadsheetText(v)
			}
		}
		if err := w.WriteAll(table); err != nil {
			return err
		}
	} else {
		contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		if err := writeXLSX(&buf, l.Name, table); err != nil {
			return err
		}
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, contentType, buf.Bytes())
}

// writeXLSX writes table as one sheet with a bold, frozen header row.
func writeXLSX(buf *bytes.Buffer, title string, table [][]string) error {
	wb := excelize.NewFile()
	defer wb.Close()
	sheet := wb.GetSheetName(0)
	bold, err := wb.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for r, line := range table {
		for col, v := range line {
			cell, err := excelize.CoordinatesToCellName(col+1, r+1)
			if err != nil {
				return err
			}
			// A cell starting with = + - @ would be read as a formula: keep it text.
			if err := wb.SetCellStr(sheet, cell, v); err != nil {
				return err
			}
			if r == 0 {
				if err := wb.SetCellStyle(sheet, cell, cell, bold); err != nil {
					return err
				}
			}
		}
	}
	if err := wb.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := wb.SetDocProps(&excelize.DocProperties{Title: title}); err != nil {
		return err
	}
	_, err = wb.WriteTo(buf)
	return err
}

// spreadsheetText keeps a cell that a spreadsheet would run as a formula (it starts with = + -
// or @, and a firm writes its own name and notes) as text.
func spreadsheetText(v string) string {
	if v != "" && strings.ContainsRune("=+-@", rune(v[0])) {
		return "'" + v
	}
	return v
}
