package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
)

// barWidth is the length, in SVG units, of the longest bar of a dashboard chart.
const barWidth = 240

// dashRow is one figure of a dashboard table: what it counts, how many firms, and the search
// that lists them.
type dashRow struct {
	Key, Label, URL string
	ChartLabel      string // the label shortened to fit beside its bar
	Firms           int
	Share           float64 // of all firms listed, in percent
	Bar             int     // the bar's length in the chart
	Y               int     // the bar's position in the chart
}

// dashTable is one dimension's figures with its chart and exports.
type dashTable struct {
	Dim, Title, Summary string
	Rows                []dashRow
	Height              int // of the chart
	CSV, XLSX           string
}

// targetView is a programme target with its progress and its edit form.
type targetView struct {
	models.ProgrammeTarget
	Label  string
	Actual float64 // firms, or the certified share in percent
	Met    bool
	Fields []choiceView // year, value and source, for the edit form
	Action string
}

type staffDashboardData struct {
	staffPage
	Day                        string
	Firms, Certified, Verified dashRow
	SPCNCL                     dashRow
	Targets                    []targetView
	Tables                     []dashTable
	Recognitions               []recognitionView
	Expiring                   []store.ExpiringCertificate
	Trends                     *trendsView
	Maps                       []*mapView
	Events                     []eventResultView
	Years                      []yearResults
	ReportDay, ReportMin       string
	ReportAction               string
	exportLead, lang           string
}

// exportLinks are the downloads of one table of the dashboard.
type exportLinks struct{ Lead, CSV, XLSX string }

// Export is the downloads of the named table.
func (d *staffDashboardData) Export(table string) exportLinks {
	base := localPath(d.lang, "/staff/dashboard/export") + "?table=" + table + "&format="
	return exportLinks{Lead: d.exportLead, CSV: base + "csv", XLSX: base + "xlsx"}
}

// recognitionView is one year of key industrial product recognitions, linking to its firms.
type recognitionView struct {
	store.YearCount
	URL string
}

// dashboardDimTitle is the message of a dimension's heading.
func dashboardDimTitle(dim string) string { return "dashboard.by." + dim }

// staffDashboard shows the programme's figures against its targets; every figure links to the
// search listing the firms it counts.
func (s *Server) staffDashboard(c echo.Context) error {
	return s.dashboardRender(c, http.StatusOK, s.newForm(c), 0)
}

func (s *Server) dashboardRender(c echo.Context, status int, f *form, failedTarget uint) error {
	ctx := c.Request().Context()
	a := actorOf(c)
	figs, err := s.store.Dashboard(ctx, a)
	if err != nil {
		return err
	}
	targets, err := s.store.ProgrammeTargets(ctx)
	if err != nil {
		return err
	}
	expiring, err := s.store.ExpiringCertificates(ctx, a, 90)
	if err != nil {
		return err
	}
	lang := pageLang(c)
	d := &staffDashboardData{staffPage: s.staffPageOf(c, f), Day: figs.Day.String(), Expiring: expiring,
		ReportDay: figs.Day.String(), ReportAction: localPath(lang, "/staff/dashboard/report"),
		exportLead: s.tr(c, "dashboard.export"), lang: lang}
	for _, y := range figs.Recognitions {
		d.Recognitions = append(d.Recognitions, recognitionView{YearCount: y, URL: recognisedURL(lang, y.Year)})
	}
	d.Firms = dashRow{Firms: figs.Firms, Share: 100, URL: searchURL(lang)}
	d.Certified = dashRow{Firms: figs.Certified, Share: figs.Share(figs.Certified), URL: s.certifiedURL(lang, false)}
	d.Verified = dashRow{Firms: figs.VerifiedCertified, Share: figs.Share(figs.VerifiedCertified), URL: s.certifiedURL(lang, true)}
	d.SPCNCL = dashRow{Firms: figs.SPCNCL, URL: searchURL(lang, "spcncl", "yes")}
	for _, t := range targets {
		tv := targetView{ProgrammeTarget: t, Label: s.tr(c, "dashboard.target."+t.Metric),
			Action: localPath(lang, "/staff/dashboard/targets/"+strconv.FormatUint(uint64(t.ID), 10))}
		if t.Metric == models.TargetFirms {
			tv.Actual, tv.Met = float64(figs.Firms), figs.Firms >= t.Value
		} else {
			tv.Actual = d.Certified.Share
			tv.Met = tv.Actual >= float64(t.Value)
		}
		valueLabel := "dashboard.target.value_firms"
		if t.Metric == models.TargetCertifiedShare {
			valueLabel = "dashboard.target.value_certified_share"
		}
		key, mine := "target-"+strconv.FormatUint(uint64(t.ID), 10), failedTarget == t.ID
		tv.Fields = []choiceView{
			choiceOf(f, mine, key, "year", s.tr(c, "dashboard.target.year"), "value", strconv.Itoa(t.Year)),
			choiceOf(f, mine, key, "value", s.tr(c, valueLabel), "value", strconv.Itoa(t.Value)),
			choiceOf(f, mine, key, "source", s.tr(c, "dashboard.target.source"), "value", t.Source)}
		d.Targets = append(d.Targets, tv)
	}
	for _, dim := range store.DashboardDims {
		d.Tables = append(d.Tables, s.dashTableOf(c, figs, dim))
	}
	if d.Trends, err = s.trendsOf(c, nextShareTarget(targets, figs.Day.Year())); err != nil {
		return err
	}
	for _, dim := range []string{store.DimDistrict, store.DimZone} {
		m, err := s.mapOf(c, dim)
		if err != nil {
			return err
		}
		d.Maps = append(d.Maps, m)
	}
	if d.Events, d.Years, err = s.eventResultsOf(c); err != nil {
		return err
	}
	return s.staffRender(c, status, "staff_dashboard", "dashboard.title", d)
}

// searchURL is the search page in lang with the given parameter pairs.
func searchURL(lang string, pairs ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Add(pairs[i], pairs[i+1])
	}
	return withQuery(localPath(lang, "/search"), v.Encode())
}

// certifiedURL is the search for firms holding a current certificate of any standard in the
// reference list, verified ones when verified is set.
func (s *Server) certifiedURL(lang string, verified bool) string {
	v := url.Values{}
	for _, st := range s.store.Reference().Standards {
		v.Add("cert", st.Code)
	}
	if verified {
		v.Set("verified", "yes")
	}
	return withQuery(localPath(lang, "/search"), v.Encode())
}

// dashTableOf builds one dimension's table, largest first, with bars scaled to the largest.
func (s *Server) dashTableOf(c echo.Context, figs *store.DashboardFigures, dim string) dashTable {
	lang := pageLang(c)
	t := dashTable{Dim: dim, Title: s.tr(c, dashboardDimTitle(dim)),
		CSV:  localPath(lang, "/staff/dashboard/export") + "?table=" + dim + "&format=csv",
		XLSX: localPath(lang, "/staff/dashboard/export") + "?table=" + dim + "&format=xlsx"}
	counts := slices.Clone(figs.By[dim])
	slices.SortStableFunc(counts, func(a, b store.DimCount) int {
		if a.Firms != b.Firms {
			return b.Firms - a.Firms
		}
		return strings.Compare(a.Key, b.Key)
	})
	most := 1
	if len(counts) > 0 && counts[0].Firms > 0 {
		most = counts[0].Firms
	}
	var summary []string
	for i, dc := range counts {
		label := s.dimLabel(c, dim, dc.Key)
		t.Rows = append(t.Rows, dashRow{Key: dc.Key, Label: label, ChartLabel: shorten(label, 30), Firms: dc.Firms, Share: figs.Share(dc.Firms),
			URL: searchURL(lang, dim, dc.Key), Bar: max(1, dc.Firms*barWidth/most), Y: i * 22})
		if i < 5 {
			summary = append(summary, label+": "+formatNumber(lang, dc.Firms))
		}
	}
	t.Height = max(22, len(t.Rows)*22)
	t.Summary = t.Title + ". " + strings.Join(summary, "; ")
	if len(counts) > 5 {
		t.Summary += "; …"
	}
	return t
}

// dimLabel is the name of a dimension's value in the page's language.
func (s *Server) dimLabel(c echo.Context, dim, key string) string {
	ref := s.store.Reference()
	en := pageLang(c) == "en"
	pick := func(vi, enText string) string {
		if en && enText != "" {
			return enText
		}
		return vi
	}
	switch dim {
	case store.DimSector, store.DimProduct, store.DimProcess:
		if t, ok := ref.Term(key); ok {
			return pick(t.LabelVI, t.LabelEN)
		}
	case store.DimDistrict:
		if d, ok := ref.District(key); ok {
			return pick(d.NameVI, d.NameEN)
		}
	case store.DimZone:
		if z, ok := ref.Zone(key); ok {
			return pick(z.NameVI, z.NameEN)
		}
	case store.DimCorridor:
		if k, ok := ref.Corridor(key); ok {
			return pick(k.LabelVI, k.LabelEN)
		}
	case store.DimSize:
		return s.tr(c, "size."+key)
	case store.DimOwnership:
		return s.tr(c, "ownership."+key)
	}
	return key
}

// staffTargetSave changes a programme target.
func (s *Server) staffTargetSave(c echo.Context) error {
	id, ok := idParam(c, "target")
	if !ok {
		return echo.ErrNotFound
	}
	f := s.newForm(c)
	year, yerr := strconv.Atoi(strings.TrimSpace(c.FormValue("year")))
	value, verr := strconv.Atoi(strings.TrimSpace(c.FormValue("value")))
	if yerr != nil {
		f.fail("year", s.tr(c, "staff.error.number"))
	}
	if verr != nil {
		f.fail("value", s.tr(c, "staff.error.number"))
	}
	if !f.Failed() {
		err := s.store.UpdateProgrammeTarget(c.Request().Context(), actorOf(c), id, models.TargetUpdate{Year: year, Value: value, Source: c.FormValue("source")})
		if err == nil {
			return s.staffRedirect(c, "/staff/dashboard#targets", "target_saved")
		}
		if errors.Is(err, models.ErrConflict) {
			f.fail("year", s.tr(c, "dashboard.target.year_taken"))
		} else if !s.storeFormError(c, f, "value", err) {
			return err
		}
	}
	return s.dashboardRender(c, http.StatusUnprocessableEntity, f, id)
}

// staffDashboardExport downloads one table of the dashboard as CSV or XLSX, with headings in
// the viewer's language and the day in the file's name.
func (s *Server) staffDashboardExport(c echo.Context) error {
	name, format := c.QueryParam("table"), c.QueryParam("format")
	if format != "csv" && format != "xlsx" {
		return echo.ErrNotFound
	}
	table, err := s.dashboardExportTable(c, name)
	if err != nil {
		return err
	}
	day := models.Today(s.store.Now()).String()
	file := fmt.Sprintf("dashboard-%s-%s-%s.%s", name, pageLang(c), day, format)
	var buf bytes.Buffer
	contentType := "text/csv; charset=utf-8"
	if format == "csv" {
		buf.WriteString("\uFEFF")
		for _, line := range table {
			for i, v := range line {
				line[i] = spreadsheetText(v)
			}
		}
		if err := csv.NewWriter(&buf).WriteAll(table); err != nil {
			return err
		}
	} else {
		contentType = xlsxType
		if err := writeXLSX(&buf, s.tr(c, "dashboard.title"), table); err != nil {
			return err
		}
	}
	return sendDownload(c, file, contentType, buf.Bytes())
}

// xlsxType is the media type of an Excel workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// sendDownload sends a file to save, under name.
func sendDownload(c echo.Context, name, contentType string, body []byte) error {
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, contentType, body)
}

// nextShareTarget is the certified share aimed at for the first target year from year on (the
// latest target's when all are past), 0 when there is none: the line drawn on the trend.
func nextShareTarget(targets []models.ProgrammeTarget, year int) float64 {
	var best *models.ProgrammeTarget
	for i, t := range targets {
		if t.Metric != models.TargetCertifiedShare {
			continue
		}
		switch {
		case best == nil,
			t.Year >= year && (best.Year < year || t.Year < best.Year),
			t.Year < year && best.Year < year && t.Year > best.Year:
			best = &targets[i]
		}
	}
	if best == nil {
		return 0
	}
	return float64(best.Value)
}

// shorten cuts text to at most n characters, marking the cut with an ellipsis.
func shorten(text string, n int) string {
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
