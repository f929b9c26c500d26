package main

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
)

// An RFQ thread between a buyer and one supplier firm, read and answered by both: the buyer
// asks and awards or closes; the firm asks, quotes or declines; staff write only in threads a
// party reported or that the Department forwards. Who is which is the store's decision, so the
// route is open to every account and a stranger's request is a 404.

type threadData struct {
	Form                        *form
	RFQ                         rfqFacts
	Side                        string
	Firm                        compareFirm
	Buyer                       string
	BuyerTo                     string // the buyer's address, for the firm
	Status                      string
	StatusText                  string
	Open                        bool
	CanAward                    bool
	Forwarded, Reported, Sample bool
	Messages                    []messageView
	Action, ReportAction, Back  string
	Currencies                  []option
	FilesHint                   string
	// NDAPending: the firm must accept the NDA before it opens the buyer's attachments, which
	// are then counted (WithheldFiles) but not linked; NDAAccepted says who accepted and when.
	NDAPending             bool
	WithheldFiles          int
	NDAAccepted, NDAAction string
	ForwardedOn            string
}

type messageView struct {
	Author, Side, Kind, KindText, At, Body string
	Price, LeadTime, ValidUntil            string
	Files                                  []fileLink
}

func (s *Server) threadPage(c echo.Context) error {
	return s.renderThread(c, http.StatusOK, s.newForm(c))
}

func (s *Server) renderThread(c echo.Context, status int, f *form) error {
	id, ok := idParam(c, "thread")
	if !ok {
		return echo.ErrNotFound
	}
	lang := pageLang(c)
	v, err := s.store.OpenThread(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	d := &threadData{Form: f, RFQ: s.rfqFactsOf(c, &v.RFQ), Side: v.Side,
		Firm:  compareFirm{Name: v.Firm.DisplayName(lang), URL: supplierPath(lang, v.Firm.Slug)},
		Buyer: v.Buyer.Name, Status: string(v.Thread.Status), StatusText: s.tr(c, "rfq.status."+string(v.Thread.Status)),
		Open: v.Thread.Status.Open(), CanAward: v.Thread.Status == models.ThreadAnswered,
		Forwarded: v.Thread.Forwarded, Reported: v.Thread.ReportedAt != nil, Sample: v.Firm.Sample,
		Action:       localPath(lang, "/account/threads/"+itoa(int(id))),
		ReportAction: localPath(lang, "/account/threads/"+itoa(int(id))+"/report"), FilesHint: s.filesHint(lang)}
	byMessage := map[uint][]models.RFQFile{}
	var request []models.RFQFile
	for _, file := range v.Files {
		if file.MessageID == nil {
			request = append(request, file)
		} else {
			byMessage[*file.MessageID] = append(byMessage[*file.MessageID], file)
		}
	}
	// Until the firm accepts the NDA the request asks for, the buyer's files are only counted.
	withhold := v.Side == models.SideSupplier && v.Thread.NDAPending(&v.RFQ)
	if withhold {
		d.NDAPending, d.NDAAction = true, localPath(lang, "/account/threads/"+itoa(int(id))+"/nda")
		d.WithheldFiles = len(request)
		request = nil
	}
	if at := v.Thread.NDAAcceptedAt; at != nil {
		d.NDAAccepted = s.tr(c, "rfq.nda_accepted", "Name", v.Thread.NDAAcceptedBy, "Date", formatDate(lang, *at))
	}
	if at := v.Thread.ForwardedAt; at != nil {
		d.ForwardedOn = s.tr(c, "rfq.forwarded_on", "Date", formatDate(lang, *at))
	}
	d.RFQ.Files = s.fileLinks(lang, id, request)
	if lang == "en" && v.Firm.NameEN == "" {
		d.Firm.NameLang = "vi"
	}
	switch v.Side {
	case models.SideBuyer:
		d.Back = localPath(lang, "/account/rfqs/"+itoa(int(v.RFQ.ID)))
	case models.SideSupplier:
		d.BuyerTo = v.Buyer.Email
		d.Back = localPath(lang, "/account/firms/"+itoa(int(v.Firm.ID))+"/inbox")
	default:
		d.BuyerTo = v.Buyer.Email
		d.Back = localPath(lang, "/staff/rfqs")
	}
	cur := f.Value("currency")
	if cur == "" {
		cur = "VND"
	}
	for _, code := range models.Currencies {
		d.Currencies = append(d.Currencies, option{Value: code, Label: code, Selected: code == cur})
	}
	for _, m := range v.Messages {
		mv := messageView{Author: m.AuthorName, Side: m.Side, Kind: string(m.Kind), KindText: s.tr(c, "rfq.kind."+string(m.Kind)),
			At: formatDateTime(lang, m.CreatedAt), Body: m.Body, LeadTime: s.leadTime(c, m.LeadTimeDays),
			Files: s.fileLinks(lang, id, byMessage[m.ID])}
		if withhold && m.Side != models.SideSupplier {
			d.WithheldFiles += len(mv.Files)
			mv.Files = nil
		}
		if m.Price != "" {
			mv.Price = m.Price + " " + m.Currency
		}
		if m.ValidUntil != nil {
			mv.ValidUntil = formatDate(lang, m.ValidUntil.Time)
		}
		d.Messages = append(d.Messages, mv)
	}
	p := s.newPage(c, "account", s.tr(c, "rfq.thread_title", "Title", v.RFQ.Title), "")
	p.NoIndex, p.Data = true, d
	return s.render(c, status, "thread", p)
}

// replyKinds map the form's button to a message kind, and the field its text is in.
var replyKinds = map[string]models.MessageKind{"message": models.MessageText, "quote": models.MessageQuote,
	"decline": models.MessageDecline, "award": models.MessageAward, "close": models.MessageClose}

func (s *Server) replyThread(c echo.Context) error {
	id, ok := idParam(c, "thread")
	if !ok {
		return echo.ErrNotFound
	}
	name := c.FormValue("kind")
	kind, ok := replyKinds[name]
	if !ok {
		return echo.NewHTTPError(http.StatusBadRequest, "unknown kind of message")
	}
	in := models.ReplyInput{Kind: kind, Body: c.FormValue(name + "_body"), Price: c.FormValue("price"),
		Currency: c.FormValue("currency"), LeadTimeDays: c.FormValue("lead_time_days"), ValidUntil: c.FormValue("valid_until")}
	if kind == models.MessageText || kind == models.MessageQuote {
		f := s.newForm(c)
		files, ok, err := s.readAttachments(c, f, name+"_files")
		if err != nil {
			return err
		}
		if !ok {
			return s.renderThread(c, http.StatusUnprocessableEntity, f)
		}
		if in.Files, err = s.keepAttachments(files); err != nil {
			return err
		}
	}
	if _, err := s.store.Reply(c.Request().Context(), actorOf(c), id, in); err != nil {
		s.removeAttachments(in.Files)
		f := s.newForm(c)
		if s.setErrors(f, err) {
			// The text and files are in the fields of the form that was sent.
			f.rename("body", name+"_body")
			f.rename("attachments", name+"_files")
			return s.renderThread(c, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	s.wake()
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), "/account/threads/"+itoa(int(id)))+"?done=reply_sent")
}

func (s *Server) reportThread(c echo.Context) error {
	id, ok := idParam(c, "thread")
	if !ok {
		return echo.ErrNotFound
	}
	if err := s.store.ReportThread(c.Request().Context(), actorOf(c), id, c.FormValue("reason")); err != nil {
		f := s.newForm(c)
		if s.setErrors(f, err) {
			return s.renderThread(c, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), "/account/threads/"+itoa(int(id)))+"?done=thread_reported")
}

type inboxData struct {
	Form     *form
	FirmName string
	Threads  threadTable
}

// inboxPage lists the RFQs sent to a firm, for its supplier members.
func (s *Server) inboxPage(c echo.Context) error {
	firm, err := s.editFirm(c)
	if err != nil {
		return err
	}
	list, err := s.store.Inbox(c.Request().Context(), actorOf(c), firm.ID)
	if err != nil {
		return err
	}
	d := &inboxData{Form: s.newForm(c), FirmName: firm.DisplayName(pageLang(c)),
		Threads: threadTable{Lang: pageLang(c), PartyHeading: s.tr(c, "rfq.buyer")}}
	for _, th := range list {
		d.Threads.Threads = append(d.Threads.Threads, s.threadLineOf(c, th, models.SideSupplier))
	}
	p := s.newPage(c, "account", s.tr(c, "inbox.title", "Name", d.FirmName), "")
	p.NoIndex, p.Data = true, d
	return s.render(c, http.StatusOK, "inbox", p)
}

type staffRFQData struct {
	staffPage
	RFQs      int64
	Counts    []fact
	Forwarded threadTable
	Reported  threadTable
}

// staffRFQs shows staff how many RFQs were sent and the threads they may read: those to firms
// without an account, which the Department forwards, and those a party reported.
func (s *Server) staffRFQs(c echo.Context) error {
	a := actorOf(c)
	o, err := s.store.RFQOverview(c.Request().Context(), a)
	if err != nil {
		return err
	}
	d := &staffRFQData{staffPage: s.staffPageOf(c, nil), RFQs: o.RFQs}
	for _, st := range models.ThreadStatuses {
		d.Counts = append(d.Counts, fact{s.tr(c, "rfq.status."+string(st)), formatNumber(pageLang(c), int(o.ByStatus[st]))})
	}
	d.Forwarded = threadTable{Lang: pageLang(c), PartyHeading: s.tr(c, "rfq.supplier")}
	d.Reported = d.Forwarded
	d.Forwarded.CSRF = d.Form.CSRF
	for _, th := range o.Forwarded {
		l := s.threadLineOf(c, th, models.SideBuyer)
		if th.Thread.ForwardedAt == nil {
			l.MarkAction = localPath(pageLang(c), "/staff/rfqs/"+itoa(int(th.Thread.ID))+"/forwarded")
		}
		d.Forwarded.Threads = append(d.Forwarded.Threads, l)
	}
	for _, th := range o.Reported {
		d.Reported.Threads = append(d.Reported.Threads, s.threadLineOf(c, th, models.SideBuyer))
	}
	return s.staffRender(c, http.StatusOK, "staff_rfqs", "staff.rfqs.title", d)
}

// acceptNDA records, for the firm, that a supplier member accepts the NDA the request asks for;
// the thread then shows the buyer's attachments.
func (s *Server) acceptNDA(c echo.Context) error {
	id, ok := idParam(c, "thread")
	if !ok {
		return echo.ErrNotFound
	}
	if err := s.store.AcceptNDA(c.Request().Context(), actorOf(c), id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), "/account/threads/"+itoa(int(id)))+"?done=nda_accepted")
}

// markForwarded records that staff passed a request on to a firm without an account.
func (s *Server) markForwarded(c echo.Context) error {
	id, ok := idParam(c, "thread")
	if !ok {
		return echo.ErrNotFound
	}
	if err := s.store.MarkForwarded(c.Request().Context(), actorOf(c), id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), "/staff/rfqs")+"?done=rfq_forwarded")
}
