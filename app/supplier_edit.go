package main

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
)

// profileFormView is what the profile form partial draws: the form with its values and errors,
// and the options of its checkboxes and selects.
type profileFormView struct {
	Form         *form
	Rows         profileRows
	Ownership    selectView
	Kinds        []termKindView
	Sites        []siteRowView
	Certs        []certRowView
	Equipment    []rowView
	Recognitions []rowView
	// Wards are the listed wards, offered as the ward input's suggestions (communes may still be
	// typed).
	Wards []string
}

// selectView is one select as the "select_field" template draws it.
type selectView struct {
	Name, Label, Error string
	Options            []selectOption
}

type selectOption struct {
	Value, Label string
	Selected     bool
}

type termKindView struct {
	Kind, Legend, FreeName, FreeLabel string
	Options                           []termOption
}

type termOption struct {
	Name, Code, Label, Hint string
	Checked                 bool
}

type siteRowView struct {
	N                int
	Prefix           string
	District, Zone   selectView
	LegendN, Summary string
}

type certRowView struct {
	N        int
	Key      string
	ID       string
	Standard selectView
	State    string // the Department's decision on a stored certificate, in words
	Note     string // the Department's note (why rejected)
}

type rowView struct {
	N   int
	Key string
}

// supplierEditData is the edit page: the firm, the form and the scans of its certificates.
type supplierEditData struct {
	Firm      *models.Firm
	FirmName  string
	PublicURL string
	Action    string
	View      *profileFormView
	Scans     []certScans
}

// certScans is a stored certificate with its uploaded scans and the form to add one.
type certScans struct {
	ID     uint
	Label  string
	Action string
	Field  fieldView
	Scans  []scanView
}

type scanView struct {
	URL, Name, Size, At string
}

// profileView builds the form's view from f's values.
func (s *Server) profileView(c echo.Context, f *form, rows profileRows, stored []models.Certificate) *profileFormView {
	lang := pageLang(c)
	ref := s.store.Reference()
	v := &profileFormView{Form: f, Rows: rows}
	for _, w := range ref.Wards {
		v.Wards = append(v.Wards, w.FullName())
	}
	sel := func(name, label string, opts []selectOption) selectView {
		out := selectView{Name: name, Label: label, Error: f.Errors[name], Options: make([]selectOption, 0, len(opts)+1)}
		cur := f.Value(name)
		out.Options = append(out.Options, selectOption{Value: "", Label: s.tr(c, "edit.choose"), Selected: cur == ""})
		found := cur == ""
		for _, o := range opts {
			o.Selected = o.Value == cur
			found = found || o.Selected
			out.Options = append(out.Options, o)
		}
		if !found {
			// A stored or typed value the list lacks stays chosen, so saving the form unchanged
			// never drops it; the store says what is wrong with it.
			out.Options = append(out.Options, selectOption{Value: cur, Label: cur, Selected: true})
		}
		return out
	}
	var owners []selectOption
	for _, o := range models.Ownerships {
		owners = append(owners, selectOption{Value: string(o), Label: s.tr(c, "ownership."+string(o))})
	}
	v.Ownership = sel("ownership", s.tr(c, "edit.ownership"), owners)
	for _, k := range models.TermKinds {
		kv := termKindView{Kind: string(k), Legend: s.tr(c, "firm.terms."+string(k)), FreeName: freeTermField(k),
			FreeLabel: s.tr(c, "edit.free_terms")}
		checked := f.Values[string(k)]
		for _, t := range ref.TermsOfKind(k) {
			syn := append(append([]string{}, t.SynonymsVI...), t.SynonymsEN...)
			other := t.LabelEN
			if lang == "en" {
				other = t.LabelVI
			}
			hint := other
			// A few synonyms help recognise the term; all of them would bury the list.
			syn = syn[:min(len(syn), 6)]
			if len(syn) > 0 {
				hint += "; " + strings.Join(syn, ", ")
			}
			kv.Options = append(kv.Options, termOption{Name: string(k), Code: t.Code, Label: t.Label(lang), Hint: hint,
				Checked: containsString(checked, t.Code)})
		}
		v.Kinds = append(v.Kinds, kv)
	}
	var districts, zones, standards []selectOption
	for _, d := range ref.Districts {
		districts = append(districts, selectOption{Value: d.Code, Label: d.Label(lang)})
	}
	for _, z := range ref.Zones {
		zones = append(zones, selectOption{Value: z.Code, Label: z.Label(lang)})
	}
	for _, st := range ref.Standards {
		standards = append(standards, selectOption{Value: st.Code, Label: st.Code})
	}
	for r := 1; r <= rows.Sites; r++ {
		pre := sitePrefix(r)
		v.Sites = append(v.Sites, siteRowView{N: r, Prefix: pre, LegendN: strconv.Itoa(r),
			District: sel(pre+"district", s.tr(c, "edit.site.district"), districts),
			Zone:     sel(pre+"industrial_zone", s.tr(c, "edit.site.zone"), zones)})
	}
	byID := map[string]*models.Certificate{}
	for i := range stored {
		byID[strconv.FormatUint(uint64(stored[i].ID), 10)] = &stored[i]
	}
	for r := 1; r <= rows.Certs; r++ {
		k := certKey(r)
		row := certRowView{N: r, Key: k, ID: f.Value(k + ".id"),
			Standard: sel(k+".standard", s.tr(c, "edit.cert.standard"), standards)}
		if cert, ok := byID[row.ID]; ok {
			row.State = s.tr(c, "edit.cert_state."+string(cert.Status(s.now())))
			if cert.State == models.CertRejected || cert.State == models.CertRevoked {
				row.Note = cert.DecisionNote
			}
		}
		v.Certs = append(v.Certs, row)
	}
	for r := 1; r <= rows.Equipment; r++ {
		v.Equipment = append(v.Equipment, rowView{N: r, Key: equipKey(r)})
	}
	for r := 1; r <= rows.Recognitions; r++ {
		v.Recognitions = append(v.Recognitions, rowView{N: r, Key: recogKey(r)})
	}
	return v
}

func containsString(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// addRow reports which group's "add another" button sent the form, and adds its row.
func addRow(c echo.Context, rows *profileRows) bool {
	switch c.FormValue("add") {
	case "site":
		rows.Sites = min(rows.Sites+1, maxFormRows)
	case "cert":
		rows.Certs = min(rows.Certs+1, maxFormRows)
	case "equipment":
		rows.Equipment = min(rows.Equipment+1, maxFormRows)
	case "spcncl":
		rows.Recognitions = min(rows.Recognitions+1, maxFormRows)
	default:
		return false
	}
	return true
}

// editFirm loads the firm of the :firm parameter; the route's guard has let only its members
// and staff through.
func (s *Server) editFirm(c echo.Context) (*models.Firm, error) {
	id, ok := firmParam(c)
	if !ok {
		return nil, echo.ErrNotFound
	}
	return s.store.FirmByID(c.Request().Context(), id)
}

func firmPath(c echo.Context, id uint, rest string) string {
	return localPath(pageLang(c), "/account/firms/"+strconv.FormatUint(uint64(id), 10)+rest)
}

func (s *Server) editProfilePage(c echo.Context) error {
	firm, err := s.editFirm(c)
	if err != nil {
		return err
	}
	f := s.newForm(c)
	var rows profileRows
	f.Values, rows = profileValues(s.store.Reference(), models.ProfileUpdateOf(firm))
	return s.renderEdit(c, http.StatusOK, firm, f, rows)
}

// saveProfile applies the firm's edit. The edit goes live at once; the Department reviews it
// afterwards. A refused form comes back with what was typed and the errors beside the inputs.
func (s *Server) saveProfile(c echo.Context) error {
	firm, err := s.editFirm(c)
	if err != nil {
		return err
	}
	f := s.newForm(c)
	upd, rows, rm := s.readProfileForm(c, f)
	if addRow(c, &rows) {
		return s.renderEdit(c, http.StatusOK, firm, f, rows)
	}
	if f.Failed() {
		if err := s.checkProfile(f, firm, upd, rm); err != nil {
			return err
		}
		return s.renderEdit(c, http.StatusUnprocessableEntity, firm, f, rows)
	}
	_, err = s.store.UpdateProfile(c.Request().Context(), actorOf(c), firm.ID, upd)
	if err != nil {
		if !s.setProfileErrors(f, err, rm) {
			return err
		}
		return s.renderEdit(c, http.StatusUnprocessableEntity, firm, f, rows)
	}
	return c.Redirect(http.StatusSeeOther, firmPath(c, firm.ID, "/edit")+"?done=profile_saved")
}

// checkProfile adds the store's own errors to a form already refused for unreadable values, so
// the user sees every problem at once; nothing is written.
func (s *Server) checkProfile(f *form, old *models.Firm, upd models.ProfileUpdate, rm rowMap) error {
	ref := s.store.Reference()
	nf, err := upd.Apply(ref, old)
	if err == nil {
		err = models.PlanFirms(ref, s.now(), map[string]*models.Firm{old.TaxCode: old}, []*models.Firm{nf}).Writes[0].Err
	}
	if err != nil && !s.setProfileErrors(f, err, rm) {
		return err
	}
	return nil
}

func (s *Server) renderEdit(c echo.Context, status int, firm *models.Firm, f *form, rows profileRows) error {
	lang := pageLang(c)
	d := &supplierEditData{Firm: firm, FirmName: firm.DisplayName(lang), PublicURL: localPath(lang, "/suppliers/"+firm.Slug),
		Action: firmPath(c, firm.ID, "/edit"), View: s.profileView(c, f, rows, firm.Certificates)}
	scans, err := s.store.Scans(c.Request().Context(), actorOf(c), firm.ID)
	if err != nil {
		return err
	}
	for _, cert := range firm.Certificates {
		id := strconv.FormatUint(uint64(cert.ID), 10)
		cs := certScans{ID: cert.ID, Label: cert.Label(), Action: firmPath(c, firm.ID, "/certificates/"+id+"/scans"),
			Field: fieldView{Name: "scan_" + id, Label: s.tr(c, "edit.scan_file"), Type: "file",
				Error: f.Errors["scan_"+id], Hint: s.tr(c, "edit.scan_hint")}}
		for _, sc := range scans {
			if sc.CertificateID == cert.ID {
				cs.Scans = append(cs.Scans, scanView{URL: localPath(lang, "/account/scans/"+strconv.FormatUint(uint64(sc.ID), 10)),
					Name: sc.OriginalName, Size: formatNumber(lang, int((sc.Size+1023)/1024)) + " KB", At: formatDate(lang, sc.UploadedAt)})
			}
		}
		d.Scans = append(d.Scans, cs)
	}
	p := s.newPage(c, "account", s.tr(c, "edit.title", "Name", d.FirmName), "")
	p.NoIndex, p.Data = true, d
	return s.render(c, status, "supplier_edit", p)
}

// forbidden maps the store's refusal to 403 for pages that show it as such.
func forbidden(err error) error {
	if errors.Is(err, models.ErrForbidden) {
		return echo.NewHTTPError(http.StatusForbidden, "not allowed")
	}
	return err
}
