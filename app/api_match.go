package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/search"
)

// maxMatchBody bounds the JSON body of POST /api/v1/match: twenty criteria and their text fit
// many times over.
const maxMatchBody = 64 << 10

// matchRequestJSON is the body of POST /api/v1/match.
type matchRequestJSON struct {
	Lang     string          `json:"lang,omitempty"`
	Text     string          `json:"text,omitempty"`
	Criteria []criterionJSON `json:"criteria,omitempty"`
	Page     int             `json:"page,omitempty"`
	PerPage  int             `json:"per_page,omitempty"`
	// NearMisses adds, after the full matches, suppliers that miss one required criterion.
	NearMisses bool `json:"near_misses,omitempty"`
}

// criterionJSON is one criterion of a requirement as the API takes it.
type criterionJSON struct {
	Kind string `json:"kind"`
	// Value is a string (a code or a label in either language; "press ≥ 250 t"), or for near an
	// object {"lat", "lon", "km"}.
	Value    json.RawMessage `json:"value"`
	Required bool            `json:"required,omitempty"`
	Weight   *float64        `json:"weight,omitempty"`
	Verified bool            `json:"verified,omitempty"`
}

// matchResponse is the answer of POST /api/v1/match.
type matchResponse struct {
	Total         int        `json:"total"`
	NearMissTotal int        `json:"near_miss_total"`
	Page          int        `json:"page"`
	PerPage       int        `json:"per_page"`
	Truncated     bool       `json:"truncated"`
	Results       []matchHit `json:"results"`
}

// matchHit is one ranked supplier.
type matchHit struct {
	TaxCode string  `json:"tax_code"`
	Slug    string  `json:"slug"`
	NameVI  string  `json:"name_vi"`
	NameEN  string  `json:"name_en"`
	URL     string  `json:"url"`
	Score   float64 `json:"score"`
	// RequiredMet says the supplier meets every required criterion; NearMiss that it misses one.
	RequiredMet      bool                `json:"required_met"`
	RequiredCount    int                 `json:"required_count"`
	RequiredMetCount int                 `json:"required_met_count"`
	NearMiss         bool                `json:"near_miss"`
	Criteria         []criterionStanding `json:"criteria"`
	Matched          []matchJSON         `json:"matched"`
}

// criterionStanding is how a supplier stands on one criterion.
type criterionStanding struct {
	Kind     string  `json:"kind"`
	Value    string  `json:"value"`
	Label    string  `json:"label"`
	Required bool    `json:"required"`
	Weight   float64 `json:"weight"`
	Verified bool    `json:"verified"`
	Status   string  `json:"status"`
	Evidence string  `json:"evidence"`
}

// apiMatch ranks suppliers for a requirement. It reads public data only and changes nothing,
// which is why it takes no session or form token (see csrfProtect).
func (s *Server) apiMatch(c echo.Context) error {
	r := c.Request()
	if mt, _, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType)); err != nil || mt != echo.MIMEApplicationJSON {
		return echo.NewHTTPError(http.StatusUnsupportedMediaType, "send the requirement as application/json")
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), r.Body, maxMatchBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, fmt.Sprintf("the body may be at most %d bytes", maxMatchBody))
	}
	if err != nil {
		return err
	}
	var in matchRequestJSON
	// The language is read first, so that every later error speaks it.
	var peek struct {
		Lang any `json:"lang"`
	}
	_ = json.Unmarshal(body, &peek)
	lang, _ := peek.Lang.(string)
	if lang != "en" {
		lang = "vi"
	}
	bad := func(field, key string, args models.Args) error {
		return s.apiInvalid(c, lang, []models.FieldError{models.NewFieldError(field, key, args)})
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return bad(jsonErrorField(err), "sourcing.invalid_json", models.Args{"Value": jsonErrorText(err)})
	}
	if in.Lang != "" && in.Lang != "vi" && in.Lang != "en" {
		return bad("lang", "sourcing.invalid_lang", models.Args{"Value": strconv.Quote(in.Lang)})
	}
	if in.Page == 0 {
		in.Page = 1
	}
	if in.PerPage == 0 {
		in.PerPage = search.DefaultPerPage
	}
	if in.PerPage < 1 || in.PerPage > search.MaxPerPage {
		return bad("per_page", "validation.number_range", models.Args{"Value": in.PerPage, "Min": 1, "Max": search.MaxPerPage})
	}
	if maxPage := search.MaxMatchCandidates / in.PerPage; in.Page < 1 || in.Page > maxPage {
		return bad("page", "validation.number_range", models.Args{"Value": in.Page, "Min": 1, "Max": maxPage})
	}
	req := models.Requirement{Text: in.Text}
	var problems []models.FieldError
	for i, cj := range in.Criteria {
		cr, fe := criterionFromJSON(i, cj)
		if fe != nil {
			problems = append(problems, *fe)
		}
		req.Criteria = append(req.Criteria, cr)
	}
	if len(problems) > 0 {
		return s.apiInvalid(c, lang, problems)
	}
	res, req, err := s.matchRequirement(r.Context(), req, lang, in.Page, in.PerPage, in.NearMisses)
	var verr *models.ValidationError
	if errors.As(err, &verr) {
		return s.apiInvalid(c, lang, verr.Fields)
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.matchResponse(lang, req, res))
}

// criterionFromJSON reads one criterion; the value may be a string, a number, true, or for near
// an object.
func criterionFromJSON(i int, cj criterionJSON) (models.Criterion, *models.FieldError) {
	c := models.Criterion{Kind: models.CriterionKind(cj.Kind), Required: cj.Required, Verified: cj.Verified}
	if cj.Weight != nil {
		if *cj.Weight == 0 {
			fe := models.NewFieldError(models.CriterionField(i, "weight"), "validation.number_range",
				models.Args{"Value": 0, "Min": models.MinWeight, "Max": models.MaxWeight})
			return c, &fe
		}
		c.Weight = *cj.Weight
	}
	raw := strings.TrimSpace(string(cj.Value))
	switch {
	case raw == "" || raw == "null":
	case strings.HasPrefix(raw, "{") && c.Kind == models.CriterionNear:
		var n struct {
			Lat, Lon, Km *float64
		}
		if err := json.Unmarshal(cj.Value, &n); err != nil || n.Lat == nil || n.Lon == nil || n.Km == nil {
			fe := models.NewFieldError(models.CriterionField(i, "value"), "validation.near", models.Args{"Value": raw})
			return c, &fe
		}
		c.Near = &models.Near{Lat: *n.Lat, Lon: *n.Lon, Km: *n.Km}
	case strings.HasPrefix(raw, `"`):
		if err := json.Unmarshal(cj.Value, &c.Value); err != nil {
			fe := models.NewFieldError(models.CriterionField(i, "value"), "sourcing.invalid_json", models.Args{"Value": err.Error()})
			return c, &fe
		}
	case raw == "true":
		c.Value = "yes"
	default:
		if _, err := strconv.ParseFloat(raw, 64); err != nil {
			fe := models.NewFieldError(models.CriterionField(i, "value"), "sourcing.invalid_json", models.Args{"Value": raw})
			return c, &fe
		}
		c.Value = raw
	}
	return c, nil
}

// apiInvalid answers 400 naming every field at fault, in lang; error.param is the first.
func (s *Server) apiInvalid(c echo.Context, lang string, fields []models.FieldError) error {
	body := apiError{Code: "invalid_parameter", Param: fields[0].Field}
	var msgs []string
	for _, fe := range fields {
		msg := s.views.messages.tr(lang, fe.Key, argsList(fe.Args)...)
		body.Fields = append(body.Fields, fieldProblem{Field: fe.Field, Message: msg})
		msgs = append(msgs, fe.Field+": "+msg)
	}
	body.Message = strings.Join(msgs, "; ")
	return c.JSON(http.StatusBadRequest, errorResponse{Error: body})
}

// jsonErrorField names the part of the body a decoding error is about.
func jsonErrorField(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return te.Field
	}
	if msg := err.Error(); strings.HasPrefix(msg, "json: unknown field ") {
		return strings.Trim(strings.TrimPrefix(msg, "json: unknown field "), `"`)
	}
	return "body"
}

func jsonErrorText(err error) string {
	return strings.TrimPrefix(err.Error(), "json: ")
}

// matchResponse turns a result into the API's answer.
func (s *Server) matchResponse(lang string, req models.Requirement, res *search.MatchResult) matchResponse {
	out := matchResponse{Total: res.Total, NearMissTotal: res.NearMissTotal, Page: res.Page, PerPage: res.PerPage,
		Truncated: res.Truncated, Results: make([]matchHit, 0, len(res.Suppliers))}
	labels := make([]string, len(req.Criteria))
	for i, c := range req.Criteria {
		labels[i] = s.criterionLabel(lang, c)
	}
	for _, m := range res.Suppliers {
		f := m.Firm
		h := matchHit{TaxCode: f.TaxCode, Slug: f.Slug, NameVI: f.NameVI, NameEN: f.NameEN, URL: supplierPath(lang, f.Slug),
			Score: math.Round(m.Score*1000) / 1000, RequiredMet: m.RequiredMet == m.RequiredCount,
			RequiredCount: m.RequiredCount, RequiredMetCount: m.RequiredMet, NearMiss: m.NearMiss,
			Criteria: make([]criterionStanding, len(m.Criteria)), Matched: s.matchesJSON(lang, m.Matched)}
		for i, cr := range m.Criteria {
			c := cr.Criterion
			h.Criteria[i] = criterionStanding{Kind: string(c.Kind), Value: c.Value, Label: labels[i], Required: c.Required,
				Weight: c.Weight, Verified: c.Verified, Status: string(cr.Status), Evidence: s.evidenceText(lang, cr.Evidence)}
		}
		out.Results = append(out.Results, h)
	}
	return out
}
