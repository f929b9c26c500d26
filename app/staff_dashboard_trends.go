package main

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
)

// trendMonths is how many months the trends cover, this one included.
const trendMonths = 12

// staleListed is how many stale profiles the worklist shows at once.
const staleListed = 200

// monthView is one month of the firms added and verified, with the audit searches behind its
// figures and its bars.
type monthView struct {
	store.MonthCount
	AddedURL, VerifiedURL string
	X, VX, AddedY, AddedH int
	VerifiedY, VerifiedH  int
}

// sharePoint is the certified share at the end of a month, from the last snapshot of it.
type sharePoint struct {
	Month, Day       string
	Firms, Certified int
	Share            float64
	X, Y             int
}

// staleView is a firm on the worklist of profiles not updated for a year.
type staleView struct {
	store.StaleFirm
	Updated, Nudged string
	URL, Action     string
	CanNudge        bool
	Why             string // why no reminder can be sent, when none can
}

// trendsView is the trends section of the dashboard.
type trendsView struct {
	Months                  []monthView
	MonthsSummary           string
	Share                   []sharePoint
	SharePath               string
	ShareSummary            string
	ShareTicks              []tickView
	TargetY                 int
	Target                  float64
	Stale                   []staleView
	StaleTotal, StaleListed int
}

// tickView is a labelled line across a chart.
type tickView struct {
	Label string
	Y     int
}

// Chart frames, in SVG units.
const (
	chartW, chartH   = 460, 180
	chartLeft        = 44
	chartTop, chartB = 10, 24
)

// auditURL is the audit log filtered to one action over one month.
func auditURL(lang, action, month string) string {
	first, _ := time.Parse("2006-01", month)
	last := first.AddDate(0, 1, -1)
	v := url.Values{"action": {action}, "from": {first.Format(time.DateOnly)}, "until": {last.Format(time.DateOnly)}}
	return localPath(lang, "/staff/audit") + "?" + v.Encode()
}

// trendsOf builds the trends: firms added and verified by month (audit log), the certified
// share month by month (daily snapshots) and the stale profiles worklist.
func (s *Server) trendsOf(c echo.Context, targetShare float64) (*trendsView, error) {
	ctx, a, lang := c.Request().Context(), actorOf(c), pageLang(c)
	months, err := s.store.FirmsByMonth(ctx, a, trendMonths)
	if err != nil {
		return nil, err
	}
	tv := &trendsView{Target: targetShare}
	most := 1
	for _, m := range months {
		most = max(most, m.Added, m.Verified)
	}
	plotH := chartH - chartTop - chartB
	step := (chartW - chartLeft) / max(1, len(months))
	var summary []string
	for i, m := range months {
		mv := monthView{MonthCount: m, AddedURL: auditURL(lang, store.ActionFirmCreate, m.Month),
			VerifiedURL: auditURL(lang, store.ActionFirmVerify, m.Month), X: chartLeft + i*step, VX: chartLeft + i*step + 15}
		mv.AddedH, mv.VerifiedH = m.Added*plotH/most, m.Verified*plotH/most
		mv.AddedY, mv.VerifiedY = chartTop+plotH-mv.AddedH, chartTop+plotH-mv.VerifiedH
		tv.Months = append(tv.Months, mv)
		summary = append(summary, s.tr(c, "dashboard.trends.month_summary", "Month", m.Month, "Added", m.Added, "Verified", m.Verified))
	}
	tv.MonthsSummary = s.tr(c, "dashboard.trends.added") + ". " + strings.Join(summary, "; ")

	now := s.store.Now().In(models.Hanoi)
	since := time.Date(now.Year(), now.Month()-trendMonths+1, 1, 0, 0, 0, 0, time.UTC)
	snaps, err := s.store.DashboardSnapshots(ctx, since.Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	byMonth := map[string]models.DashboardSnapshot{}
	var order []string
	for _, sn := range snaps { // oldest first: the last of a month wins
		m := sn.Day[:7]
		if _, ok := byMonth[m]; !ok {
			order = append(order, m)
		}
		byMonth[m] = sn
	}
	top := 50.0
	for _, sn := range byMonth {
		if sn.Firms > 0 {
			top = max(top, math.Ceil(float64(sn.Certified)*100/float64(sn.Firms)/10)*10)
		}
	}
	top = max(top, math.Ceil(targetShare/10)*10)
	y := func(share float64) int { return chartTop + plotH - int(share*float64(plotH)/top) }
	for v := 0.0; v <= top; v += 10 {
		tv.ShareTicks = append(tv.ShareTicks, tickView{Label: strconv.Itoa(int(v)) + " %", Y: y(v)})
	}
	if targetShare > 0 {
		tv.TargetY = y(targetShare)
	}
	summary = summary[:0]
	var path []string
	for i, m := range order {
		sn := byMonth[m]
		p := sharePoint{Month: m, Day: sn.Day, Firms: sn.Firms, Certified: sn.Certified}
		if sn.Firms > 0 {
			p.Share = math.Round(float64(sn.Certified)*1000/float64(sn.Firms)) / 10
		}
		p.X = chartLeft + 10 + i*(chartW-chartLeft-20)/max(1, len(order)-1)
		if len(order) == 1 {
			p.X = chartLeft + (chartW-chartLeft)/2
		}
		p.Y = y(p.Share)
		cmd := "L"
		if i == 0 {
			cmd = "M"
		}
		path = append(path, fmt.Sprintf("%s%d %d", cmd, p.X, p.Y))
		tv.Share = append(tv.Share, p)
		summary = append(summary, fmt.Sprintf("%s: %.1f %%", m, p.Share))
	}
	tv.SharePath = strings.Join(path, " ")
	tv.ShareSummary = s.tr(c, "dashboard.trends.share") + ". " + strings.Join(summary, "; ")
	if len(order) == 0 {
		tv.ShareSummary = s.tr(c, "dashboard.trends.share") + ". " + s.tr(c, "dashboard.none")
	}

	stale, total, err := s.store.StaleProfiles(ctx, a, staleListed)
	if err != nil {
		return nil, err
	}
	tv.StaleTotal, tv.StaleListed = total, len(stale)
	nowUTC := s.store.Now()
	for _, f := range stale {
		v := staleView{StaleFirm: f, Updated: models.Today(f.UpdatedAt).String(),
			URL:    localPath(lang, "/staff/firms/"+strconv.FormatUint(uint64(f.ID), 10)),
			Action: localPath(lang, "/staff/dashboard/nudge/"+strconv.FormatUint(uint64(f.ID), 10))}
		if f.NudgedAt != nil {
			v.Nudged = models.Today(*f.NudgedAt).String()
		}
		switch {
		case f.Sample:
			v.Why = s.tr(c, "dashboard.stale.sample")
		case f.Members == 0:
			v.Why = s.tr(c, "dashboard.stale.no_members")
		case f.NudgedAt != nil && nowUTC.Sub(*f.NudgedAt) < store.NudgeInterval:
			v.Why = s.tr(c, "dashboard.stale.recent")
		default:
			v.CanNudge = true
		}
		tv.Stale = append(tv.Stale, v)
	}
	return tv, nil
}

// staffDashboardNudge reminds a firm's members to bring a stale profile up to date.
func (s *Server) staffDashboardNudge(c echo.Context) error {
	id, ok := idParam(c, "firm")
	if !ok {
		return echo.ErrNotFound
	}
	_, err := s.store.NudgeStaleFirm(c.Request().Context(), actorOf(c), id)
	switch {
	case err == nil:
		return s.staffRedirect(c, "/staff/dashboard#stale", "firm_nudged")
	case errors.Is(err, store.ErrNudgeSample), errors.Is(err, store.ErrNudgeRecent),
		errors.Is(err, store.ErrNudgeNotStale), errors.Is(err, store.ErrNudgeNoMember):
		f := s.newForm(c)
		f.fail("nudge", s.nudgeRefusal(c, err))
		return s.dashboardRender(c, http.StatusConflict, f, 0)
	}
	return err
}

// nudgeRefusal is the message of a reminder the store refused.
func (s *Server) nudgeRefusal(c echo.Context, err error) string {
	switch {
	case errors.Is(err, store.ErrNudgeSample):
		return s.tr(c, "dashboard.stale.sample")
	case errors.Is(err, store.ErrNudgeRecent):
		return s.tr(c, "dashboard.stale.recent")
	case errors.Is(err, store.ErrNudgeNoMember):
		return s.tr(c, "dashboard.stale.no_members")
	}
	return s.tr(c, "dashboard.stale.not_stale")
}

// mapView is a map of the firms by former district or by industrial zone: a dot for each,
// sized by its firms, at the mean of its sites' coordinates, on a plain projected frame.
type mapView struct {
	Dim, Title, Summary string
	Column              string // the heading of the places' column
	W, H                int
	Dots                []mapDot
	Grid                []gridLine
	Unplaced            int
}

// mapDot is one district or zone on the map.
type mapDot struct {
	Key, Label, URL string
	Firms           int
	X, Y, R         float64
	Labelled        bool
	LX              float64 // where the label starts (or ends, by Anchor)
	Anchor          string
}

// gridLine is a parallel or meridian of the map's frame.
type gridLine struct {
	X1, Y1, X2, Y2 float64
	Label          string
	LX, LY         float64
}

// Hanoi's extent, which the map's frame always covers; a zone outside it widens the frame.
const (
	mapLatMin, mapLatMax = 20.55, 21.40
	mapLonMin, mapLonMax = 105.28, 106.03
	mapWidth             = 460
	mapLabelled          = 8 // the largest dots are named on the map; the table names all
)

// mapOf draws the firms of dim on the map.
func (s *Server) mapOf(c echo.Context, dim string) (*mapView, error) {
	points, err := s.store.DashboardMap(c.Request().Context(), actorOf(c), dim)
	if err != nil {
		return nil, err
	}
	lang := pageLang(c)
	latMin, latMax, lonMin, lonMax := mapLatMin, mapLatMax, mapLonMin, mapLonMax
	most := 1
	for _, p := range points {
		if p.HasPlace {
			latMin, latMax = min(latMin, *p.Lat-0.03), max(latMax, *p.Lat+0.03)
			lonMin, lonMax = min(lonMin, *p.Lon-0.03), max(lonMax, *p.Lon+0.03)
		}
		most = max(most, p.Firms)
	}
	// An equirectangular projection, shrunk across by the cosine of the middle latitude, is
	// true enough over a province.
	kx := math.Cos((latMin + latMax) / 2 * math.Pi / 180)
	pad := 24.0
	scale := (mapWidth - 2*pad) / ((lonMax - lonMin) * kx)
	m := &mapView{Dim: dim, Title: s.tr(c, "dashboard.map.district"), Column: s.tr(c, "dashboard.map.district_col"),
		W: mapWidth, H: int((latMax-latMin)*scale + 2*pad)}
	if dim == store.DimZone {
		m.Title, m.Column = s.tr(c, "dashboard.map.zone"), s.tr(c, "dashboard.map.zone_col")
	}
	px := func(lon float64) float64 { return pad + (lon-lonMin)*kx*scale }
	py := func(lat float64) float64 { return pad + (latMax-lat)*scale }
	for lat := math.Ceil(latMin*5) / 5; lat <= latMax; lat += 0.2 {
		m.Grid = append(m.Grid, gridLine{X1: px(lonMin), Y1: py(lat), X2: px(lonMax), Y2: py(lat),
			Label: fmt.Sprintf("%.1f°N", lat), LX: 2, LY: py(lat) - 2})
	}
	for lon := math.Ceil(lonMin*5) / 5; lon <= lonMax; lon += 0.2 {
		m.Grid = append(m.Grid, gridLine{X1: px(lon), Y1: py(latMax), X2: px(lon), Y2: py(latMin),
			Label: fmt.Sprintf("%.1f°E", lon), LX: px(lon) + 2, LY: float64(m.H) - 4})
	}
	sorted := slices.Clone(points)
	slices.SortStableFunc(sorted, func(a, b store.MapPoint) int { return b.Firms - a.Firms })
	var summary []string
	for i, p := range sorted {
		label := s.dimLabel(c, dim, p.Key)
		if !p.HasPlace {
			m.Unplaced++
			continue
		}
		d := mapDot{Key: p.Key, Label: label, URL: searchURL(lang, dim, p.Key), Firms: p.Firms,
			X: math.Round(px(*p.Lon)*10) / 10, Y: math.Round(py(*p.Lat)*10) / 10,
			R: math.Round((3+17*math.Sqrt(float64(p.Firms)/float64(most)))*10) / 10, Labelled: i < mapLabelled}
		// A dot on the right names itself to its left, so the name stays inside the frame.
		d.LX, d.Anchor = d.X+d.R+2, "start"
		if d.X > mapWidth*0.55 {
			d.LX, d.Anchor = d.X-d.R-2, "end"
		}
		m.Dots = append(m.Dots, d)
		if i < 5 {
			summary = append(summary, label+": "+formatNumber(lang, p.Firms))
		}
	}
	m.Summary = s.tr(c, "dashboard.map.summary", "Title", m.Title, "Places", len(m.Dots)) + " " + strings.Join(summary, "; ")
	return m, nil
}

// eventResultView is one event's results on the dashboard, from the results page's figures.
type eventResultView struct {
	Name, URL string
	Year      int
	*staffResultsData
	Rate string
}

// yearResults compares the events of one year.
type yearResults struct {
	Year, Events, Participants, Requests int
	Accepted, Answered, Held, Scheduled  int
	NoShows                              int
	Rate                                 string
}

// eventResultsOf lists the results of every event, the latest first, with the years compared.
func (s *Server) eventResultsOf(c echo.Context) ([]eventResultView, []yearResults, error) {
	evs, err := s.store.Events(c.Request().Context())
	if err != nil {
		return nil, nil, err
	}
	lang := pageLang(c)
	var out []eventResultView
	years := map[int]*yearResults{}
	for _, ev := range evs {
		d, err := s.resultsOf(c, eventView{Record: ev, Lang: lang})
		if err != nil {
			return nil, nil, err
		}
		year := ev.RegistrationOpens.In(models.Hanoi).Year()
		if len(ev.Days) > 0 {
			year = ev.Days[0].Date.Year()
		}
		r := d.Results
		out = append(out, eventResultView{Name: ev.Name(lang), Year: year, staffResultsData: d,
			URL:  localPath(lang, "/staff/events/"+strconv.FormatUint(uint64(ev.ID), 10)+"/results"),
			Rate: fmt.Sprintf("%.0f %%", r.AcceptanceRate()*100)})
		y := years[year]
		if y == nil {
			y = &yearResults{Year: year}
			years[year] = y
		}
		y.Events++
		y.Participants += r.Participants
		y.Requests += r.RequestsMade
		y.Accepted += r.Accepted
		y.Answered += r.Answered
		y.Held += r.Held
		y.Scheduled += r.Scheduled
		y.NoShows += r.NoShows
	}
	var compare []yearResults
	for _, y := range years {
		y.Rate = "–"
		if y.Answered > 0 {
			y.Rate = fmt.Sprintf("%.0f %%", float64(y.Accepted)*100/float64(y.Answered))
		}
		compare = append(compare, *y)
	}
	slices.SortFunc(compare, func(a, b yearResults) int { return a.Year - b.Year })
	return out, compare, nil
}
