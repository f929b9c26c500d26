package main

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
)

type termGroupView struct {
	Kind  string
	Label string
	Terms []models.Term
}

type staffTaxonomyData struct {
	staffPage
	Groups []termGroupView
	Term   models.Term
}

// staffTaxonomy lists the taxonomy's terms by kind, with their labels and synonyms.
func (s *Server) staffTaxonomy(c echo.Context) error {
	ref := s.store.Reference()
	d := &staffTaxonomyData{staffPage: s.staffPageOf(c, nil)}
	for _, k := range models.TermKinds {
		d.Groups = append(d.Groups, termGroupView{Kind: string(k), Label: s.tr(c, "firm.terms."+string(k)), Terms: ref.TermsOfKind(k)})
	}
	return s.staffRender(c, http.StatusOK, "staff_taxonomy", "staff_taxonomy.title", d)
}

// staffTermPage is the form that edits one term.
func (s *Server) staffTermPage(c echo.Context) error {
	t, ok := s.store.Reference().Term(c.Param("code"))
	if !ok {
		return echo.ErrNotFound
	}
	f := s.newForm(c)
	f.Values = url.Values{"label_vi": {t.LabelVI}, "label_en": {t.LabelEN},
		"synonyms_vi": {strings.Join(t.SynonymsVI, "\n")}, "synonyms_en": {strings.Join(t.SynonymsEN, "\n")}}
	return s.staffRender(c, http.StatusOK, "staff_term", "staff_term.title", &staffTaxonomyData{staffPage: s.staffPageOf(c, f), Term: t})
}

// staffTermSave changes a term's labels and synonyms (one a line), then rebuilds the search
// index in the background.
func (s *Server) staffTermSave(c echo.Context) error {
	code := c.Param("code")
	t, ok := s.store.Reference().Term(code)
	if !ok {
		return echo.ErrNotFound
	}
	f := s.newForm(c)
	u := models.TermUpdate{LabelVI: c.FormValue("label_vi"), LabelEN: c.FormValue("label_en"),
		SynonymsVI: lines(c.FormValue("synonyms_vi")), SynonymsEN: lines(c.FormValue("synonyms_en"))}
	changes, err := s.store.UpdateTerm(c.Request().Context(), actorOf(c), code, u)
	if err != nil {
		if s.storeFormError(c, f, "label_vi", err) {
			return s.staffRender(c, http.StatusUnprocessableEntity, "staff_term", "staff_term.title",
				&staffTaxonomyData{staffPage: s.staffPageOf(c, f), Term: t})
		}
		return err
	}
	if len(changes) > 0 {
		s.rebuildIndex()
	}
	return s.staffRedirect(c, "/staff/taxonomy/"+url.PathEscape(code), "reference_saved")
}

// lines splits a textarea into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

type zoneRow struct {
	models.Zone
	DistrictNames string
}

type corridorRow struct {
	models.Corridor
	Districts     []string
	DistrictNames string
}

type staffReferenceData struct {
	staffPage
	Zones     []zoneRow
	Corridors []corridorRow
	// Editing is the zone or corridor whose form shows: "zone" or "corridor", with its code.
	Editing, Code string
	Name          string
	Districts     []models.District
}

// staffReference lists industrial parks and corridors; ?zone=CODE or ?corridor=CODE opens the
// form that edits one.
func (s *Server) staffReference(c echo.Context) error {
	f := s.newForm(c)
	ref := s.store.Reference()
	editing, code := "", ""
	if z, ok := ref.Zone(c.QueryParam("zone")); ok {
		editing, code = "zone", z.Code
		f.Values = url.Values{"name_vi": {z.NameVI}, "name_en": {z.NameEN}, "districts": {strings.Join(z.Districts, "\n")},
			"status": {z.Status}, "note": {z.Note}}
	} else if k, ok := ref.Corridor(c.QueryParam("corridor")); ok {
		editing, code = "corridor", k.Code
		f.Values = url.Values{"label_vi": {k.LabelVI}, "label_en": {k.LabelEN}, "roads": {k.Roads},
			"description": {k.DescriptionEN}, "districts": {strings.Join(corridorDistricts(ref, k.Code), "\n")}}
	}
	return s.referenceRender(c, http.StatusOK, f, editing, code)
}

func (s *Server) referenceRender(c echo.Context, status int, f *form, editing, code string) error {
	ref := s.store.Reference()
	lang := pageLang(c)
	d := &staffReferenceData{staffPage: s.staffPageOf(c, f), Editing: editing, Code: code, Districts: ref.Districts}
	names := func(codes []string) string {
		out := make([]string, 0, len(codes))
		for _, code := range codes {
			if dist, ok := ref.District(code); ok {
				out = append(out, dist.Label(lang))
			}
		}
		return strings.Join(out, ", ")
	}
	for _, z := range ref.Zones {
		d.Zones = append(d.Zones, zoneRow{Zone: z, DistrictNames: names(z.Districts)})
		if editing == "zone" && z.Code == code {
			d.Name = z.Label(lang)
		}
	}
	for _, k := range ref.Corridors {
		ds := corridorDistricts(ref, k.Code)
		d.Corridors = append(d.Corridors, corridorRow{Corridor: k, Districts: ds, DistrictNames: names(ds)})
		if editing == "corridor" && k.Code == code {
			d.Name = pickLang(lang, k.LabelVI, k.LabelEN)
		}
	}
	return s.staffRender(c, status, "staff_reference", "staff_reference.title", d)
}

func pickLang(lang, vi, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return vi
}

// corridorDistricts are the codes of the districts a corridor runs through.
func corridorDistricts(ref *models.Reference, code string) []string {
	var out []string
	for _, d := range ref.Districts {
		for _, k := range d.Corridors {
			if k == code {
				out = append(out, d.Code)
			}
		}
	}
	return out
}

// districtCodes reads a list of districts, one a line or separated by commas, each by code or
// name; an unknown entry is kept as written so validation names it.
func districtCodes(ref *models.Reference, text string) []string {
	var out []string
	for _, l := range lines(strings.ReplaceAll(text, ",", "\n")) {
		if d, ok := ref.ResolveDistrict(l); ok {
			out = append(out, d.Code)
			continue
		}
		out = append(out, l)
	}
	return out
}

// staffZoneSave changes an industrial park's or cluster's names, districts, status and note.
func (s *Server) staffZoneSave(c echo.Context) error {
	code := c.Param("code")
	ref := s.store.Reference()
	if _, ok := ref.Zone(code); !ok {
		return echo.ErrNotFound
	}
	f := s.newForm(c)
	u := models.ZoneUpdate{NameVI: c.FormValue("name_vi"), NameEN: c.FormValue("name_en"),
		Districts: districtCodes(ref, c.FormValue("districts")), Status: c.FormValue("status"), Note: c.FormValue("note")}
	changes, err := s.store.UpdateZone(c.Request().Context(), actorOf(c), code, u)
	if err != nil {
		if s.storeFormError(c, f, "name_vi", err) {
			return s.referenceRender(c, http.StatusUnprocessableEntity, f, "zone", code)
		}
		return err
	}
	if len(changes) > 0 {
		s.rebuildIndex()
	}
	return s.staffRedirect(c, "/staff/reference?zone="+url.QueryEscape(code), "reference_saved")
}

// staffCorridorSave changes an industrial corridor's names, roads, description and districts.
func (s *Server) staffCorridorSave(c echo.Context) error {
	code := c.Param("code")
	ref := s.store.Reference()
	if _, ok := ref.Corridor(code); !ok {
		return echo.ErrNotFound
	}
	f := s.newForm(c)
	u := models.CorridorUpdate{LabelVI: c.FormValue("label_vi"), LabelEN: c.FormValue("label_en"), Roads: c.FormValue("roads"),
		Description: c.FormValue("description"), Districts: districtCodes(ref, c.FormValue("districts"))}
	changes, err := s.store.UpdateCorridor(c.Request().Context(), actorOf(c), code, u)
	if err != nil {
		if s.storeFormError(c, f, "label_vi", err) {
			return s.referenceRender(c, http.StatusUnprocessableEntity, f, "corridor", code)
		}
		return err
	}
	if len(changes) > 0 {
		s.rebuildIndex()
	}
	return s.staffRedirect(c, "/staff/reference?corridor="+url.QueryEscape(code), "reference_saved")
}
