package main

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
)

// A buyer's shortlists: named lists of suppliers with a note each, from which the buyer
// compares suppliers and asks them for quotations. The store finds a list only among the
// buyer's own, so another buyer's list id is a 404.

type shortlistsData struct {
	Form  *form
	Lists []shortlistLink
}

type shortlistLink struct {
	Name, URL, Updated string
	Count              int
}

func (s *Server) shortlistsPage(c echo.Context) error {
	return s.renderShortlists(c, http.StatusOK, s.newForm(c))
}

func (s *Server) renderShortlists(c echo.Context, status int, f *form) error {
	lists, err := s.store.Shortlists(c.Request().Context(), actorOf(c))
	if err != nil {
		return err
	}
	d := &shortlistsData{Form: f}
	for _, l := range lists {
		d.Lists = append(d.Lists, shortlistLink{Name: l.Name, URL: shortlistPath(c, l.ID, ""), Count: l.Count,
			Updated: formatDate(f.Lang, l.UpdatedAt)})
	}
	p := s.newPage(c, "account", s.tr(c, "shortlist.list_title"), "")
	p.NoIndex, p.Data = true, d
	return s.render(c, status, "shortlists", p)
}

func (s *Server) createShortlist(c echo.Context) error {
	l, err := s.store.CreateShortlist(c.Request().Context(), actorOf(c), c.FormValue("name"))
	if err != nil {
		f := s.newForm(c)
		if s.setErrors(f, err) {
			return s.renderShortlists(c, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, shortlistPath(c, l.ID, "?done=shortlist_created"))
}

// addToShortlist puts a supplier on a list from its profile or a result card: an existing list,
// or a new one named in the same form. The buyer lands on the list, with a way back.
func (s *Server) addToShortlist(c echo.Context) error {
	ctx, a := c.Request().Context(), actorOf(c)
	firmID, err := strconv.ParseUint(c.FormValue("firm"), 10, 32)
	if err != nil || firmID == 0 {
		return echo.ErrNotFound
	}
	var listID uint
	if choice := c.FormValue("list"); choice != "" && choice != "new" {
		id, err := strconv.ParseUint(choice, 10, 32)
		if err != nil {
			return echo.ErrNotFound
		}
		listID = uint(id)
	} else {
		name := c.FormValue("name")
		if name == "" {
			name = s.tr(c, "shortlist.default_name")
		}
		l, err := s.store.CreateShortlist(ctx, a, name)
		if err != nil {
			return s.shortlistFormError(c, err)
		}
		listID = l.ID
	}
	if err := s.store.AddToShortlist(ctx, a, listID, uint(firmID), c.FormValue("note")); err != nil {
		return s.shortlistFormError(c, err)
	}
	q := url.Values{"done": {"shortlisted"}}
	if next := safeNext(c.FormValue("next")); next != "" {
		q.Set("back", next)
	}
	return c.Redirect(http.StatusSeeOther, shortlistPath(c, listID, "?"+q.Encode()))
}

// shortlistFormError shows a refused addition on the shortlists page, where the buyer can see
// the lists and try again.
func (s *Server) shortlistFormError(c echo.Context, err error) error {
	f := s.newForm(c)
	if s.setErrors(f, err) {
		return s.renderShortlists(c, http.StatusUnprocessableEntity, f)
	}
	return err
}

type shortlistData struct {
	Form   *form
	Name   string
	ListID uint
	Items  []shortlistItemView
	Back   string
	// Max is how many suppliers the comparison takes.
	Max                                    int
	CompareAction, RFQAction, DeleteAction string
	ExportCSV, ExportXLSX, AllListsURL     string
}

type shortlistItemView struct {
	FirmID              uint
	Name, NameLang, URL string
	Location, Note      string
	Certs               []certBadge
	ItemAction          string
}

func (s *Server) shortlistPage(c echo.Context) error {
	return s.renderShortlist(c, http.StatusOK, s.newForm(c))
}

func (s *Server) renderShortlist(c echo.Context, status int, f *form) error {
	id, ok := idParam(c, "list")
	if !ok {
		return echo.ErrNotFound
	}
	ctx, lang := c.Request().Context(), pageLang(c)
	l, items, err := s.store.Shortlist(ctx, actorOf(c), id)
	if err != nil {
		return err
	}
	firms, err := s.firmsInOrder(c, items)
	if err != nil {
		return err
	}
	ref := s.store.Reference()
	d := &shortlistData{Form: f, Name: l.Name, ListID: l.ID, Back: safeNext(c.QueryParam("back")), Max: models.MaxCompare,
		CompareAction: shortlistPath(c, id, "/compare"), RFQAction: localPath(lang, "/account/rfqs/new"),
		DeleteAction: shortlistPath(c, id, "/delete"), ExportCSV: shortlistPath(c, id, "/export?format=csv"),
		ExportXLSX: shortlistPath(c, id, "/export?format=xlsx"), AllListsURL: localPath(lang, "/account/shortlists")}
	now := s.now()
	for i, fm := range firms {
		v := shortlistItemView{FirmID: fm.ID, Name: fm.DisplayName(lang), URL: supplierPath(lang, fm.Slug),
			Location: siteLocation(ref, fm.MainSite(), lang), Note: items[i].Note,
			Certs:      s.certBadges(c, fm.Certificates, now, false),
			ItemAction: shortlistPath(c, id, "/items/"+itoa(int(fm.ID)))}
		if lang == "en" && fm.NameEN == "" {
			v.NameLang = "vi"
		}
		d.Items = append(d.Items, v)
	}
	p := s.newPage(c, "account", s.tr(c, "shortlist.title", "Name", l.Name), "")
	p.NoIndex, p.Data = true, d
	return s.render(c, status, "shortlist", p)
}

// firmsInOrder loads the firms of a list's items in the items' order.
func (s *Server) firmsInOrder(c echo.Context, items []models.ShortlistItem) ([]*models.Firm, error) {
	ids := make([]uint, len(items))
	for i, it := range items {
		ids[i] = it.FirmID
	}
	loaded, err := s.store.FirmsByIDs(c.Request().Context(), ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[uint]*models.Firm, len(loaded))
	for _, f := range loaded {
		byID[f.ID] = f
	}
	out := make([]*models.Firm, 0, len(items))
	for _, it := range items {
		if f := byID[it.FirmID]; f != nil {
			out = append(out, f)
		}
	}
	if len(out) != len(items) {
		return nil, errors.New("a shortlisted firm could not be loaded")
	}
	return out, nil
}

// changeShortlistItem saves the note on a shortlisted supplier, or takes it off the list.
func (s *Server) changeShortlistItem(c echo.Context) error {
	listID, ok1 := idParam(c, "list")
	firmID, ok2 := idParam(c, "item")
	if !ok1 || !ok2 {
		return echo.ErrNotFound
	}
	ctx, a := c.Request().Context(), actorOf(c)
	var err error
	done := "note_saved"
	if c.FormValue("action") == "remove" {
		err, done = s.store.RemoveFromShortlist(ctx, a, listID, firmID), "supplier_removed"
	} else {
		err = s.store.SetShortlistNote(ctx, a, listID, firmID, c.FormValue("note"))
	}
	if err != nil {
		f := s.newForm(c)
		if s.setErrors(f, err) {
			return s.renderShortlist(c, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, shortlistPath(c, listID, "?done="+done))
}

func (s *Server) deleteShortlist(c echo.Context) error {
	id, ok := idParam(c, "list")
	if !ok {
		return echo.ErrNotFound
	}
	if err := s.store.DeleteShortlist(c.Request().Context(), actorOf(c), id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), "/account/shortlists")+"?done=shortlist_deleted")
}

func shortlistPath(c echo.Context, id uint, rest string) string {
	return localPath(pageLang(c), "/account/shortlists/"+itoa(int(id))+rest)
}

// shortlistAdd is the small form that puts a supplier on one of the buyer's lists, shown on
// profiles and result cards to buyers.
type shortlistAdd struct {
	Lang, CSRF, Action, Next string
	FirmID                   uint
	Lists                    []option
	// On names the buyer's lists that already hold the firm.
	On []string
	// RFQ asks this supplier for a quotation.
	RFQ string
}

// buyerTools are what a buyer's shortlist forms need on a page: the lists, loaded once.
type buyerTools struct {
	lists []option
	names map[uint]string
}

// loadBuyerTools reads the buyer's lists for the shortlist forms; nil for anyone else.
func (s *Server) loadBuyerTools(c echo.Context) *buyerTools {
	a := actorOf(c)
	if !a.CanSource() {
		return nil
	}
	lists, err := s.store.Shortlists(c.Request().Context(), a)
	if err != nil {
		return nil
	}
	t := &buyerTools{names: map[uint]string{}}
	for _, l := range lists {
		t.lists = append(t.lists, option{Value: itoa(int(l.ID)), Label: l.Name})
		t.names[l.ID] = l.Name
	}
	t.lists = append(t.lists, option{Value: "new", Label: s.tr(c, "shortlist.new_list")})
	return t
}

// addForm is the shortlist form for one firm; on lists the ids of the lists holding it.
func (s *Server) addForm(c echo.Context, t *buyerTools, firmID uint, on []uint) *shortlistAdd {
	if t == nil {
		return nil
	}
	lang := pageLang(c)
	v := &shortlistAdd{Lang: lang, CSRF: s.csrfToken(c), Action: localPath(lang, "/account/shortlists/add"),
		Next: c.Request().URL.RequestURI(), FirmID: firmID, Lists: t.lists,
		RFQ: localPath(lang, "/account/rfqs/new") + "?firm=" + itoa(int(firmID))}
	for _, id := range on {
		v.On = append(v.On, t.names[id])
	}
	return v
}
