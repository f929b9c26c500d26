package main

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
)

// auditPageSize is how many audit rows one page shows.
const auditPageSize = 50

// auditCSVLimit bounds one CSV export of the audit log.
const auditCSVLimit = 10_000

type staffAuditData struct {
	staffPage
	Events []models.AuditEvent
	Page   int
	Prev   string // the previous and next pages' addresses, "" when none
	Next   string
	CSV    string // the CSV export of the same filter
}

// auditFilterOf reads the audit filters from the query, failing each bad one on f.
func (s *Server) auditFilterOf(c echo.Context, f *form) (store.AuditFilter, int) {
	q := c.QueryParams()
	for _, k := range []string{"firm", "entity", "action", "actor", "correlation", "from", "until"} {
		f.Values.Set(k, q.Get(k))
	}
	var af store.AuditFilter
	number := func(field string) uint {
		v := strings.TrimSpace(q.Get(field))
		if v == "" {
			return 0
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil || n == 0 {
			f.fail(field, s.tr(c, "staff.error.number"))
			return 0
		}
		return uint(n)
	}
	text := func(field string) string {
		v := strings.TrimSpace(q.Get(field))
		if len(v) > 200 || strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			f.fail(field, s.tr(c, "staff.error.text"))
			return ""
		}
		return v
	}
	date := func(field string) time.Time {
		v := strings.TrimSpace(q.Get(field))
		if v == "" {
			return time.Time{}
		}
		d, err := time.ParseInLocation(time.DateOnly, v, models.Hanoi)
		if err != nil {
			f.fail(field, s.tr(c, "staff.error.date"))
		}
		return d
	}
	af.FirmID, af.ActorID = number("firm"), number("actor")
	af.EntityType, af.Action, af.CorrelationID = text("entity"), text("action"), text("correlation")
	af.Since = date("from")
	if until := date("until"); !until.IsZero() {
		af.Until = until.AddDate(0, 0, 1) // the whole last day
	}
	page := 1
	if p := q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 10_000 {
			n = 1
		}
		page = n
	}
	return af, page
}

// auditQuery is the filter part of an audit address, without the page.
func auditQuery(f *form) url.Values {
	v := url.Values{}
	for _, k := range []string{"firm", "entity", "action", "actor", "correlation", "from", "until"} {
		if x := f.Value(k); x != "" {
			v.Set(k, x)
		}
	}
	return v
}

// staffAudit lists the audit log, newest first, filtered and paged.
func (s *Server) staffAudit(c echo.Context) error {
	f := s.newForm(c)
	af, page := s.auditFilterOf(c, f)
	d := &staffAuditData{staffPage: s.staffPageOf(c, f), Page: page}
	if f.Failed() {
		return s.staffRender(c, http.StatusBadRequest, "staff_audit", "staff_audit.title", d)
	}
	af.Limit, af.Offset = auditPageSize+1, (page-1)*auditPageSize
	events, err := s.store.AuditEvents(c.Request().Context(), actorOf(c), af)
	if err != nil {
		return err
	}
	q := auditQuery(f)
	base := localPath(pageLang(c), "/staff/audit")
	if len(events) > auditPageSize {
		events = events[:auditPageSize]
		q.Set("page", strconv.Itoa(page+1))
		d.Next = withQuery(base, q.Encode())
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page-1))
		d.Prev = withQuery(base, q.Encode())
	}
	q.Del("page")
	d.CSV = withQuery(localPath(pageLang(c), "/staff/audit.csv"), q.Encode())
	d.Events = events
	return s.staffRender(c, http.StatusOK, "staff_audit", "staff_audit.title", d)
}

// staffFirmHistory is a firm's audit log.
func (s *Server) staffFirmHistory(c echo.Context) error {
	id, ok := firmParam(c)
	if !ok {
		return echo.ErrNotFound
	}
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), "/staff/audit")+"?firm="+strconv.FormatUint(uint64(id), 10))
}

// staffAuditCSV exports the filtered audit log as CSV: UTF-8 with a byte order mark, so Excel
// reads the Vietnamese, and every cell a spreadsheet would take for a formula made plain text.
func (s *Server) staffAuditCSV(c echo.Context) error {
	f := s.newForm(c)
	af, _ := s.auditFilterOf(c, f)
	if f.Failed() {
		d := &staffAuditData{staffPage: s.staffPageOf(c, f), Page: 1}
		return s.staffRender(c, http.StatusBadRequest, "staff_audit", "staff_audit.title", d)
	}
	af.Limit = auditCSVLimit
	events, err := s.store.AuditEvents(c.Request().Context(), actorOf(c), af)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="audit-`+time.Now().In(models.Hanoi).Format("20060102-1504")+`.csv"`)
	c.Response().WriteHeader(http.StatusOK)
	w := c.Response()
	if _, err := w.Write([]byte("\uFEFF")); err != nil {
		return nil
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "at", "actor_id", "actor_name", "actor_role", "client_addr", "action", "entity_type",
		"entity_id", "firm_id", "changes", "reason", "correlation_id"})
	for _, ev := range events {
		row := []string{strconv.FormatUint(uint64(ev.ID), 10), ev.At.UTC().Format(time.RFC3339), optID(ev.ActorID), ev.ActorName,
			ev.ActorRole, ev.ClientAddr, ev.Action, ev.EntityType, ev.EntityID, optID(ev.FirmID), changesText(ev.Changes),
			ev.Reason, ev.CorrelationID}
		for i := range row {
			row[i] = csvSafe(row[i])
		}
		if err := cw.Write(row); err != nil {
			return nil
		}
	}
	cw.Flush()
	return nil
}

func optID(id *uint) string {
	if id == nil {
		return ""
	}
	return strconv.FormatUint(uint64(*id), 10)
}

// changesText writes field changes on one line: "field: old → new; …".
func changesText(changes models.FieldChanges) string {
	parts := make([]string, len(changes))
	for i, ch := range changes {
		parts[i] = fmt.Sprintf("%s: %s → %s", ch.Field, ch.Old, ch.New)
	}
	return strings.Join(parts, "; ")
}

// csvSafe makes a cell that a spreadsheet would run as a formula (starting with =, +, -, @, or a
// tab or carriage return before one) plain text by putting an apostrophe before it.
func csvSafe(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + cell
	}
	return cell
}
