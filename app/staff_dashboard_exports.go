package main

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
)

// dashboardExtraTables are the dashboard's tables beyond the dimensions: recognitions by year,
// firms added and verified by month, the certified share by month, the two worklists, and
// the events' results and their years compared.
var dashboardExtraTables = []string{"spcncl", "months", "share", "expiring", "stale", "events", "years"}

// dashboardExportTable is one table of the dashboard, its first line the headings, in the
// page's language.
func (s *Server) dashboardExportTable(c echo.Context, name string) ([][]string, error) {
	if !slices.Contains(store.DashboardDims, name) && !slices.Contains(dashboardExtraTables, name) {
		return nil, echo.ErrNotFound
	}
	ctx, a := c.Request().Context(), actorOf(c)
	itoa := strconv.Itoa
	switch name {
	case "months", "share", "stale":
		targets, err := s.store.ProgrammeTargets(ctx)
		if err != nil {
			return nil, err
		}
		tv, err := s.trendsOf(c, nextShareTarget(targets, models.Today(s.store.Now()).Year()))
		if err != nil {
			return nil, err
		}
		switch name {
		case "months":
			table := [][]string{{s.tr(c, "dashboard.month"), s.tr(c, "dashboard.trends.added_col"), s.tr(c, "dashboard.trends.verified_col")}}
			for _, m := range tv.Months {
				table = append(table, []string{m.Month, itoa(m.Added), itoa(m.Verified)})
			}
			return table, nil
		case "share":
			table := [][]string{{s.tr(c, "dashboard.month"), s.tr(c, "dashboard.trends.snapshot_day"), s.tr(c, "dashboard.firms_listed"), s.tr(c, "dashboard.certified"), s.tr(c, "dashboard.share")}}
			for _, p := range tv.Share {
				table = append(table, []string{p.Month, p.Day, itoa(p.Firms), itoa(p.Certified), strconv.FormatFloat(p.Share, 'f', 1, 64)})
			}
			return table, nil
		default:
			table := [][]string{{s.tr(c, "dashboard.firm"), s.tr(c, "dashboard.stale.updated"), s.tr(c, "dashboard.stale.members"), s.tr(c, "dashboard.stale.nudged")}}
			for _, f := range tv.Stale {
				table = append(table, []string{f.Name, f.Updated, itoa(f.Members), f.Nudged})
			}
			return table, nil
		}
	case "expiring":
		certs, err := s.store.ExpiringCertificates(ctx, a, 90)
		if err != nil {
			return nil, err
		}
		table := [][]string{{s.tr(c, "dashboard.firm"), s.tr(c, "dashboard.standard"), s.tr(c, "dashboard.expires")}}
		for _, ce := range certs {
			table = append(table, []string{ce.FirmName, ce.Standard, ce.Expires.String()})
		}
		return table, nil
	case "events", "years":
		evs, years, err := s.eventResultsOf(c)
		if err != nil {
			return nil, err
		}
		if name == "years" {
			table := [][]string{{s.tr(c, "dashboard.year"), s.tr(c, "dashboard.events.count"), s.tr(c, "dashboard.events.participants"),
				s.tr(c, "staff.results.requests"), s.tr(c, "staff.results.acceptance"), s.tr(c, "staff.results.held"), s.tr(c, "dashboard.events.scheduled"), s.tr(c, "staff.results.no_shows")}}
			for _, y := range years {
				table = append(table, []string{itoa(y.Year), itoa(y.Events), itoa(y.Participants), itoa(y.Requests), y.Rate,
					itoa(y.Held), itoa(y.Scheduled), itoa(y.NoShows)})
			}
			return table, nil
		}
		table := [][]string{{s.tr(c, "dashboard.events.event"), s.tr(c, "dashboard.year"), s.tr(c, "dashboard.events.participants"),
			s.tr(c, "staff.results.requests"), s.tr(c, "staff.results.acceptance"), s.tr(c, "staff.results.held"), s.tr(c, "dashboard.events.scheduled"), s.tr(c, "staff.results.no_shows")}}
		for _, e := range evs {
			r := e.Results
			table = append(table, []string{e.Name, itoa(e.Year), itoa(r.Participants), itoa(r.RequestsMade), e.Rate,
				itoa(r.Held), itoa(r.Scheduled), itoa(r.NoShows)})
		}
		return table, nil
	}
	figs, err := s.store.Dashboard(ctx, a)
	if err != nil {
		return nil, err
	}
	return s.figureTable(c, figs, name), nil
}

// figureTable is the table of one dimension (or of recognitions by year) of the figures.
func (s *Server) figureTable(c echo.Context, figs *store.DashboardFigures, name string) [][]string {
	if name == "spcncl" {
		table := [][]string{{s.tr(c, "dashboard.year"), s.tr(c, "dashboard.firms"), s.tr(c, "dashboard.products")}}
		for _, y := range figs.Recognitions {
			table = append(table, []string{strconv.Itoa(y.Year), strconv.Itoa(y.Firms), strconv.Itoa(y.Products)})
		}
		return table
	}
	t := s.dashTableOf(c, figs, name)
	table := [][]string{{s.tr(c, "dashboard.code"), t.Title, s.tr(c, "dashboard.firms"), s.tr(c, "dashboard.share")}}
	for _, r := range t.Rows {
		table = append(table, []string{r.Key, r.Label, strconv.Itoa(r.Firms), strconv.FormatFloat(r.Share, 'f', 1, 64)})
	}
	return table
}

// staffDashboardReport downloads the programme report of a chosen day as one workbook: the
// headline figures against the targets, every dimension and the recognitions by year. See
// store.ProgrammeReportOn for where each figure of a past day comes from.
func (s *Server) staffDashboardReport(c echo.Context) error {
	ctx := c.Request().Context()
	today := models.Today(s.store.Now())
	day := today
	if v := strings.TrimSpace(c.QueryParam("day")); v != "" {
		d, err := models.ParseDate(v)
		if err != nil || d.AfterToday(s.store.Now()) {
			return echo.NewHTTPError(http.StatusBadRequest, s.tr(c, "dashboard.report.bad_day"))
		}
		day = *d
	}
	rep, err := s.store.ProgrammeReportOn(ctx, actorOf(c), day)
	if err != nil {
		return err
	}
	targets, err := s.store.ProgrammeTargets(ctx)
	if err != nil {
		return err
	}
	source := s.tr(c, "dashboard.report.source_today")
	switch {
	case rep.Snapshot != nil:
		source = s.tr(c, "dashboard.report.source_snapshot", "Taken", rep.Snapshot.TakenAt.In(models.Hanoi).Format("2006-01-02 15:04"))
	case day != today:
		source = s.tr(c, "dashboard.report.source_recounted")
	}
	share := func(n int) string { return strconv.FormatFloat(rep.Share(n), 'f', 1, 64) }
	summary := [][]string{
		{s.tr(c, "dashboard.report.title"), day.String()},
		{s.tr(c, "dashboard.report.source"), source},
		nil,
		{s.tr(c, "dashboard.headline"), s.tr(c, "dashboard.firms"), s.tr(c, "dashboard.share")},
		{s.tr(c, "dashboard.firms_listed"), strconv.Itoa(rep.Firms), "100.0"},
		{s.tr(c, "dashboard.certified"), strconv.Itoa(rep.Certified), share(rep.Certified)},
		{s.tr(c, "dashboard.verified"), strconv.Itoa(rep.VerifiedCertified), share(rep.VerifiedCertified)},
		{s.tr(c, "dashboard.spcncl"), strconv.Itoa(rep.SPCNCL), share(rep.SPCNCL)},
		nil,
		{s.tr(c, "dashboard.targets"), s.tr(c, "dashboard.target.year"), s.tr(c, "dashboard.target.goal"), s.tr(c, "dashboard.target.now"), s.tr(c, "dashboard.target.source")},
	}
	for _, t := range targets {
		now := strconv.Itoa(rep.Firms)
		if t.Metric == models.TargetCertifiedShare {
			now = share(rep.Certified)
		}
		summary = append(summary, []string{s.tr(c, "dashboard.target."+t.Metric), strconv.Itoa(t.Year), strconv.Itoa(t.Value), now, t.Source})
	}
	sheets := []reportSheet{{Name: s.tr(c, "dashboard.report.summary_sheet"), Rows: summary}}
	for _, dim := range append(slices.Clone(store.DashboardDims), "spcncl") {
		sheets = append(sheets, reportSheet{Name: s.tr(c, dashboardDimTitle(dim)), Rows: s.figureTable(c, rep.DashboardFigures, dim)})
	}
	var buf bytes.Buffer
	if err := writeReportXLSX(&buf, s.tr(c, "dashboard.report.title")+" "+day.String(), sheets); err != nil {
		return err
	}
	return sendDownload(c, fmt.Sprintf("programme-report-%s-%s.xlsx", pageLang(c), day), xlsxType, buf.Bytes())
}

// reportSheet is one sheet of the programme report.
type reportSheet struct {
	Name string
	Rows [][]string
}

// writeReportXLSX writes a workbook of several sheets; cells that are whole numbers are written
// as numbers, so the Department can sum them, and the rest as text (never as formulas).
func writeReportXLSX(buf *bytes.Buffer, title string, sheets []reportSheet) error {
	wb := excelize.NewFile()
	defer wb.Close()
	bold, err := wb.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, sh := range sheets {
		name := sheetName(sh.Name, i)
		if i == 0 {
			if err := wb.SetSheetName(wb.GetSheetName(0), name); err != nil {
				return err
			}
		} else if _, err := wb.NewSheet(name); err != nil {
			return err
		}
		for r, line := range sh.Rows {
			for col, v := range line {
				cell, err := excelize.CoordinatesToCellName(col+1, r+1)
				if err != nil {
					return err
				}
				if n, err := strconv.Atoi(v); err == nil && col > 0 {
					err = wb.SetCellInt(name, cell, int64(n))
					if err != nil {
						return err
					}
				} else if err := wb.SetCellStr(name, cell, v); err != nil {
					return err
				}
				if r == 0 {
					if err := wb.SetCellStyle(name, cell, cell, bold); err != nil {
						return err
					}
				}
			}
		}
	}
	if err := wb.SetDocProps(&excelize.DocProperties{Title: title}); err != nil {
		return err
	}
	_, err = wb.WriteTo(buf)
	return err
}

// sheetName fits a title to Excel's sheet names: at most 31 characters, none of : \ / ? * [ ],
// unique by its position.
func sheetName(title string, i int) string {
	clean := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return ' '
		}
		return r
	}, title)
	prefix := strconv.Itoa(i+1) + ". "
	runes := []rune(clean)
	if len(runes) > 31-len(prefix) {
		runes = runes[:31-len(prefix)]
	}
	return prefix + strings.TrimSpace(string(runes))
}

// recognisedURL is the list of the firms recognised for a key industrial product in year.
func recognisedURL(lang string, year int) string {
	return localPath(lang, "/staff/dashboard/spcncl/"+strconv.Itoa(year))
}

type recognisedData struct {
	staffPage
	Year  int
	Firms []store.FirmRef
}

// staffDashboardRecognised lists the firms a year of key industrial product recognitions counts.
func (s *Server) staffDashboardRecognised(c echo.Context) error {
	year, err := strconv.Atoi(c.Param("year"))
	if err != nil || year < 1990 || year > 2100 {
		return echo.ErrNotFound
	}
	firms, err := s.store.RecognisedFirms(c.Request().Context(), actorOf(c), year)
	if err != nil {
		return err
	}
	return s.staffRender(c, http.StatusOK, "staff_dashboard_spcncl", "spcncl_year.title",
		&recognisedData{staffPage: s.staffPageOf(c, nil), Year: year, Firms: firms})
}
