package main

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
)

// A buyer's requests for quotation: the form that sends one to several suppliers, the list of
// the buyer's RFQs, and one RFQ with every supplier's answer side by side.

type rfqNewData struct {
	Form      *form
	Action    string
	Suppliers []rfqSupplier
	MaxFirms  int
	Back      string
	FilesHint string
}

// rfqSupplier is a firm the RFQ may go to: ticked when chosen.
type rfqSupplier struct {
	ID                  uint
	Name, NameLang, URL string
	Checked             bool
	// Forwarded says the firm has no account yet: the Department forwards the request.
	Forwarded bool
	Sample    bool
}

// newRFQPage offers the suppliers named (firm=ID), or a list's (list=ID, those named ticked).
func (s *Server) newRFQPage(c echo.Context) error {
	f := s.newForm(c)
	for _, id := range c.QueryParams()["firm"] {
		f.Values.Add("firm", id)
	}
	return s.renderNewRFQ(c, http.StatusOK, f)
}

func (s *Server) renderNewRFQ(c echo.Context, status int, f *form) error {
	ctx, lang := c.Request().Context(), pageLang(c)
	chosen := parseIDs(f.Values["firm"])
	ids := chosen
	list := c.QueryParam("list")
	if list == "" {
		list = f.Value("list")
	}
	d := &rfqNewData{Form: f, Action: localPath(lang, "/account/rfqs"), MaxFirms: models.MaxRFQFirms, FilesHint: s.filesHint(lang)}
	if listID, err := strconv.ParseUint(list, 10, 32); err == nil && listID > 0 {
		_, items, err := s.store.Shortlist(ctx, actorOf(c), uint(listID))
		if err != nil {
			return err
		}
		ids = nil
		for _, it := range items {
			ids = append(ids, it.FirmID)
		}
		if len(chosen) == 0 {
			chosen = ids
		}
		f.Values.Set("list", list)
		d.Back = shortlistPath(c, uint(listID), "")
	}
	if len(ids) > models.MaxShortlistItems {
		ids = ids[:models.MaxShortlistItems]
	}
	firms, err := s.store.FirmsByIDs(ctx, ids)
	if err != nil {
		return err
	}
	members, err := s.store.FirmsWithMembers(ctx, ids)
	if err != nil {
		return err
	}
	pick := map[uint]bool{}
	for _, id := range chosen {
		pick[id] = true
	}
	for _, fm := range firms {
		v := rfqSupplier{ID: fm.ID, Name: fm.DisplayName(lang), URL: supplierPath(lang, fm.Slug), Checked: pick[fm.ID],
			Forwarded: !members[fm.ID] && !fm.Sample, Sample: fm.Sample}
		if lang == "en" && fm.NameEN == "" {
			v.NameLang = "vi"
		}
		d.Suppliers = append(d.Suppliers, v)
	}
	if len(d.Suppliers) == 0 {
		return echo.NewHTTPError(http.StatusBadRequest, "choose suppliers first: from a profile, a shortlist or the comparison")
	}
	p := s.newPage(c, "account", s.tr(c, "rfq.new_title"), "")
	p.NoIndex, p.Data = true, d
	return s.render(c, status, "rfq_new", p)
}

func parseIDs(values []string) []uint {
	var out []uint
	for _, v := range values {
		if n, err := strconv.ParseUint(v, 10, 32); err == nil && n > 0 {
			out = append(out, uint(n))
		}
	}
	return out
}

func (s *Server) sendRFQ(c echo.Context) error {
	f := s.newForm(c)
	in := models.RFQInput{Title: c.FormValue("title"), Description: c.FormValue("description"),
		Quantity: c.FormValue("quantity"), AnnualVolume: c.FormValue("annual_volume"), TargetDate: c.FormValue("target_date"),
		Standards: c.FormValue("standards"), DeliveryPlace: c.FormValue("delivery_place"), NDA: isYes(c.FormValue("nda")),
		FirmIDs: parseIDs(f.Values["firm"])}
	files, ok, err := s.readAttachments(c, f, "attachments")
	if err != nil {
		return err
	}
	if !ok {
		// The other fields' errors too, so the buyer mends everything at once.
		if _, err := in.Validate(s.now()); err != nil {
			s.setErrors(f, err)
		}
		return s.renderNewRFQ(c, http.StatusUnprocessableEntity, f)
	}
	if in.Files, err = s.keepAttachments(files); err != nil {
		return err
	}
	r, err := s.store.SendRFQ(c.Request().Context(), actorOf(c), in)
	if err != nil {
		s.removeAttachments(in.Files)
	}
	switch {
	case errors.Is(err, models.ErrTooManyRFQs):
		f.fail("firms", s.tr(c, "rfq.too_many", "Count", models.RFQsPerHour))
		c.Response().Header().Set("Retry-After", "3600")
		return s.renderNewRFQ(c, http.StatusTooManyRequests, f)
	case err != nil:
		if s.setErrors(f, err) {
			return s.renderNewRFQ(c, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	s.wake()
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), "/account/rfqs/"+itoa(int(r.ID)))+"?done=rfq_sent")
}

type rfqsData struct {
	Form *form
	RFQs []rfqLine
}

type rfqLine struct {
	Title, URL, Sent string
	Threads          []threadLine
}

// threadLine is a thread in a list: the other party, its status, its latest answer.
type threadLine struct {
	Party, PartyLang, Title, URL string
	Status, StatusText           string
	Updated                      string
	Forwarded, Reported          bool
	// ForwardedOn is the day staff passed a forwarded request on; MarkAction, for staff, marks it.
	ForwardedOn, MarkAction string
	// The latest quotation or decline.
	Price, LeadTime, ValidUntil, Comment string
	Declined                             bool
}

func (s *Server) rfqsPage(c echo.Context) error {
	list, err := s.store.RFQsOf(c.Request().Context(), actorOf(c))
	if err != nil {
		return err
	}
	lang := pageLang(c)
	d := &rfqsData{Form: s.newForm(c)}
	for _, r := range list {
		line := rfqLine{Title: r.RFQ.Title, URL: localPath(lang, "/account/rfqs/"+itoa(int(r.RFQ.ID))),
			Sent: formatDate(lang, r.RFQ.CreatedAt)}
		for _, th := range r.Threads {
			line.Threads = append(line.Threads, s.threadLineOf(c, th, models.SideBuyer))
		}
		d.RFQs = append(d.RFQs, line)
	}
	p := s.newPage(c, "account", s.tr(c, "rfq.list_title"), "")
	p.NoIndex, p.Data = true, d
	return s.render(c, http.StatusOK, "rfqs", p)
}

// threadLineOf writes a thread for a list read by side: the buyer sees the firm, the firm the
// buyer.
func (s *Server) threadLineOf(c echo.Context, th store.ThreadSummary, side string) threadLine {
	lang := pageLang(c)
	l := threadLine{Party: th.FirmName, PartyLang: "vi", Title: th.RFQTitle,
		URL: localPath(lang, "/account/threads/"+itoa(int(th.Thread.ID))), Status: string(th.Thread.Status),
		StatusText: s.tr(c, "rfq.status."+string(th.Thread.Status)), Updated: formatDateTime(lang, th.Thread.UpdatedAt),
		Forwarded: th.Thread.Forwarded, Reported: th.Thread.ReportedAt != nil}
	if at := th.Thread.ForwardedAt; at != nil {
		l.ForwardedOn = formatDate(lang, *at)
	}
	if side == models.SideSupplier {
		l.Party, l.PartyLang = th.BuyerName, ""
	}
	if a := th.Answer; a != nil {
		l.Comment = a.Body
		if a.Kind == models.MessageDecline {
			l.Declined = true
		} else {
			l.Price = a.Price + " " + a.Currency
			l.LeadTime = s.leadTime(c, a.LeadTimeDays)
			if a.ValidUntil != nil {
				l.ValidUntil = formatDate(lang, a.ValidUntil.Time)
			}
		}
	}
	return l
}

type rfqData struct {
	Form    *form
	RFQ     rfqFacts
	Answers threadTable
}

// threadTable is threads side by side: status, price, lead time, validity, comment.
type threadTable struct {
	Lang, PartyHeading string
	// CSRF is the token of the forms in the table (staff's "mark as forwarded").
	CSRF    string
	Threads []threadLine
}

// rfqFacts is what an RFQ asks, as both parties read it.
type rfqFacts struct {
	Lang                                                   string
	Title, Description, Quantity, AnnualVolume, TargetDate string
	Standards, DeliveryPlace, Sent                         string
	NDA                                                    bool
	// Files are the request's drawings and specifications.
	Files []fileLink
}

func (s *Server) rfqFactsOf(c echo.Context, r *models.RFQ) rfqFacts {
	lang := pageLang(c)
	f := rfqFacts{Lang: lang, Title: r.Title, Description: r.Description, Standards: r.Standards, DeliveryPlace: r.DeliveryPlace,
		NDA: r.NDA, Sent: formatDateTime(lang, r.CreatedAt)}
	if r.Quantity > 0 {
		f.Quantity = formatNumber(lang, r.Quantity)
	}
	if r.AnnualVolume > 0 {
		f.AnnualVolume = formatNumber(lang, r.AnnualVolume)
	}
	if r.TargetDate != nil {
		f.TargetDate = formatDate(lang, r.TargetDate.Time)
	}
	return f
}

// rfqPage shows one of the buyer's RFQs with every supplier's answer side by side.
func (s *Server) rfqPage(c echo.Context) error {
	id, ok := idParam(c, "rfq")
	if !ok {
		return echo.ErrNotFound
	}
	sum, err := s.store.RFQ(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	d := &rfqData{Form: s.newForm(c), RFQ: s.rfqFactsOf(c, &sum.RFQ),
		Answers: threadTable{Lang: pageLang(c), PartyHeading: s.tr(c, "rfq.supplier")}}
	if len(sum.Threads) > 0 {
		// The request's files are the same in every thread; the buyer reads them through the first.
		d.RFQ.Files = s.fileLinks(pageLang(c), sum.Threads[0].Thread.ID, sum.Files)
	}
	for _, th := range sum.Threads {
		line := s.threadLineOf(c, th, models.SideBuyer)
		line.Title = "" // the page's own heading
		d.Answers.Threads = append(d.Answers.Threads, line)
	}
	p := s.newPage(c, "account", strings.TrimSpace(s.tr(c, "rfq.title", "Title", sum.RFQ.Title)), "")
	p.NoIndex, p.Data = true, d
	return s.render(c, http.StatusOK, "rfq", p)
}
