package main

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/search"
)

// Saved searches: a buyer keeps a requirement of the find-suppliers page and is mailed, daily or
// weekly, the suppliers that newly meet it (new firms, newly verified certificates, changed
// profiles), with the reasons. Every alert carries a link that stops it without signing in.

type savedSearchesData struct {
	Form     *form
	Searches []savedSearchView
}

type savedSearchView struct {
	Name, URL, Action, LastRun string
	Frequencies                []option
}

func (s *Server) savedSearchesPage(c echo.Context) error {
	return s.renderSavedSearches(c, http.StatusOK, s.newForm(c))
}

func (s *Server) renderSavedSearches(c echo.Context, status int, f *form) error {
	list, err := s.store.SavedSearches(c.Request().Context(), actorOf(c))
	if err != nil {
		return err
	}
	lang := pageLang(c)
	d := &savedSearchesData{Form: f}
	for _, ss := range list {
		v := savedSearchView{Name: ss.Name, URL: localPath(lang, "/find-suppliers") + "?" + ss.Query,
			Action: localPath(lang, "/account/searches/"+itoa(int(ss.ID)))}
		if ss.LastRunAt != nil {
			v.LastRun = formatDateTime(lang, *ss.LastRunAt)
		}
		v.Frequencies = s.frequencyOptions(c, ss.Frequency)
		d.Searches = append(d.Searches, v)
	}
	p := s.newPage(c, "account", s.tr(c, "alerts.title"), "")
	p.NoIndex, p.Data = true, d
	return s.render(c, status, "saved_searches", p)
}

func (s *Server) frequencyOptions(c echo.Context, current models.AlertFrequency) []option {
	var out []option
	for _, f := range models.AlertFrequencies {
		out = append(out, option{Value: string(f), Label: s.tr(c, "alerts.frequency."+string(f)), Selected: f == current})
	}
	return out
}

// saveSearch keeps the requirement the find-suppliers form sent (its query, without the page).
func (s *Server) saveSearch(c echo.Context) error {
	q, err := url.ParseQuery(c.FormValue("query"))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "the search is not a query")
	}
	q.Del("page")
	q.Del("more")
	in := models.SavedSearchInput{Name: c.FormValue("name"), Query: canonicalValues(q).Encode(),
		Frequency: models.AlertFrequency(c.FormValue("frequency"))}
	if in.Name == "" {
		in.Name = strings.TrimSpace(q.Get("q"))
	}
	if _, err := s.store.SaveSearch(c.Request().Context(), actorOf(c), in); err != nil {
		f := s.newForm(c)
		if s.setErrors(f, err) {
			return s.renderSavedSearches(c, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), "/account/searches")+"?done=search_saved")
}

func (s *Server) changeSavedSearch(c echo.Context) error {
	id, ok := idParam(c, "search")
	if !ok {
		return echo.ErrNotFound
	}
	ctx, a := c.Request().Context(), actorOf(c)
	var err error
	if c.FormValue("action") == "delete" {
		err = s.store.DeleteSavedSearch(ctx, a, id)
	} else {
		err = s.store.SetAlertFrequency(ctx, a, id, models.AlertFrequency(c.FormValue("frequency")))
	}
	if err != nil {
		f := s.newForm(c)
		if s.setErrors(f, err) {
			return s.renderSavedSearches(c, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), "/account/searches")+"?done=search_changed")
}

type unsubscribeData struct {
	Form   *form
	Name   string
	Token  string
	Action string
	Done   bool
}

// unsubscribePage asks to confirm: a mail scanner that follows links must not stop alerts.
func (s *Server) unsubscribePage(c echo.Context) error {
	ss, err := s.store.SavedSearchByToken(c.Request().Context(), c.QueryParam("token"))
	if errors.Is(err, models.ErrTokenInvalid) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	return s.renderUnsubscribe(c, ss, c.QueryParam("token"), ss.Frequency == models.AlertOff)
}

func (s *Server) unsubscribe(c echo.Context) error {
	token := c.FormValue("token")
	ss, err := s.store.Unsubscribe(c.Request().Context(), token)
	if errors.Is(err, models.ErrTokenInvalid) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	return s.renderUnsubscribe(c, ss, token, true)
}

func (s *Server) renderUnsubscribe(c echo.Context, ss *models.SavedSearch, token string, done bool) error {
	d := &unsubscribeData{Form: s.newForm(c), Name: ss.Name, Token: token, Done: done,
		Action: localPath(pageLang(c), "/alerts/unsubscribe")}
	p := s.newPage(c, "account", s.tr(c, "alerts.unsubscribe_title"), "")
	p.NoIndex, p.Data = true, d
	return s.render(c, http.StatusOK, "unsubscribe", p)
}

// requirementFromQuery reads a requirement from the find-suppliers page's query: q, and rows of
// k (kind), v (value), n (required or preferred), w (weight), ver (verified only).
func requirementFromQuery(values url.Values) models.Requirement {
	req := models.Requirement{Text: strings.TrimSpace(values.Get("q"))}
	for n := 1; n <= models.MaxCriteria; n++ {
		kind, value := values.Get(rowParam("k", n)), strings.TrimSpace(values.Get(rowParam("v", n)))
		if kind == "" && value == "" {
			continue
		}
		weight := 1.0
		if w := values.Get(rowParam("w", n)); w != "" {
			var err error
			if weight, err = strconv.ParseFloat(w, 64); err != nil {
				weight = math.NaN()
			}
		}
		req.Criteria = append(req.Criteria, models.Criterion{Kind: models.CriterionKind(kind), Value: value,
			Required: values.Get(rowParam("n", n)) == "required", Weight: weight, Verified: isYes(values.Get(rowParam("ver", n)))})
	}
	return req
}

// alertEvery is how often the alert job looks for saved searches that are due.
const alertEvery = time.Hour

// alertSavedSearches runs the saved searches whose alerts are due, once an hour, while the
// process holds the lease of the scheduled jobs.
func (s *Server) alertSavedSearches(ctx context.Context, origin string, wake func()) {
	tick := time.NewTicker(alertEvery)
	defer tick.Stop()
	for {
		if n, err := s.runAlerts(ctx, origin); err != nil {
			slog.Error("saved search alerts", "err", err)
		} else if n > 0 {
			slog.Info("saved search alerts queued", "mails", n)
			wake()
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// alertBatch bounds how many saved searches one run matches.
const alertBatch = 500

// runAlerts matches every due saved search and mails its owner the suppliers new to it (among
// the first search.MaxPerPage ranked); it returns how many mails it queued.
func (s *Server) runAlerts(ctx context.Context, origin string) (int, error) {
	due, err := s.store.DueSavedSearches(ctx, s.now(), alertBatch)
	if err != nil {
		return 0, err
	}
	origin = strings.TrimSuffix(origin, "/")
	mailed := 0
	for _, d := range due {
		values, _ := url.ParseQuery(d.Search.Query)
		lang := d.User.Lang
		res, _, err := s.matchRequirement(ctx, requirementFromQuery(values), lang, 1, search.MaxPerPage, false)
		var verr *models.ValidationError
		switch {
		case errors.As(err, &verr):
			// The reference data changed under the search (a term renamed away): run it as empty,
			// so it is not retried every hour; the buyer sees the error on opening it.
			slog.Warn("saved search no longer valid", "search", d.Search.ID, "err", err)
			res = &search.MatchResult{}
		case err != nil:
			return mailed, err
		}
		byID := map[uint]search.MatchedSupplier{}
		ids := make([]uint, 0, len(res.Suppliers))
		for _, m := range res.Suppliers {
			byID[m.Firm.ID] = m
			ids = append(ids, m.Firm.ID)
		}
		n, err := s.store.RecordSavedSearchRun(ctx, d.Search.ID, ids, func(u *models.User, ss *models.SavedSearch, fresh []uint) map[string]any {
			return s.alertArgs(u.Lang, origin, ss, fresh, byID)
		})
		if err != nil {
			return mailed, err
		}
		if n > 0 {
			mailed++
		}
	}
	return mailed, nil
}

// alertArgs words an alert in lang: each new supplier with its link and how it meets the
// criteria.
func (s *Server) alertArgs(lang, origin string, ss *models.SavedSearch, fresh []uint, byID map[uint]search.MatchedSupplier) map[string]any {
	tr := func(id string, args ...any) string { return s.views.messages.tr(lang, id, args...) }
	var b strings.Builder
	for _, id := range fresh {
		m := byID[id]
		if m.Firm == nil {
			continue
		}
		b.WriteString("• " + m.Firm.DisplayName(lang) + "\n  " + origin + supplierPath(lang, m.Firm.Slug) + "\n")
		for _, cr := range m.Criteria {
			b.WriteString("  – " + tr("sourcing.status."+string(cr.Status)) + ": " + s.criterionLabel(lang, cr.Criterion))
			if e := s.evidenceText(lang, cr.Evidence); e != "" {
				b.WriteString(" (" + e + ")")
			}
			b.WriteString("\n")
		}
	}
	return map[string]any{"Search": ss.Name, "Count": len(fresh), "List": strings.TrimRight(b.String(), "\n"),
		"Link":        origin + localPath(lang, "/find-suppliers") + "?" + ss.Query,
		"Unsubscribe": origin + localPath(lang, "/alerts/unsubscribe") + "?token=" + url.QueryEscape(ss.UnsubscribeToken)}
}

// saveSearchForm keeps the requirement on the find-suppliers page, for buyers.
type saveSearchForm struct {
	Lang, CSRF, Action, Query, Name string
	Frequencies                     []option
}

func (s *Server) saveSearchFormFor(c echo.Context, values url.Values) *saveSearchForm {
	if !actorOf(c).CanSource() {
		return nil
	}
	q := url.Values{}
	for k, v := range values {
		if k != "page" && k != "more" {
			q[k] = v
		}
	}
	lang := pageLang(c)
	return &saveSearchForm{Lang: lang, CSRF: s.csrfToken(c), Action: localPath(lang, "/account/searches"),
		Query: canonicalValues(q).Encode(), Name: values.Get("q"), Frequencies: s.frequencyOptions(c, models.AlertWeekly)}
}
