package main

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/search"
)

// The find-suppliers page: a buyer states a requirement in a plain GET form (so it works
// without JavaScript and a result can be bookmarked) and reads the ranked suppliers with the
// standing of each on every criterion.

// Rows of criteria the form shows: a few to start, more on request.
const (
	sourcingRows     = 4
	sourcingMoreRows = 2
	sourcingPerPage  = 20
)

// sourcingWeights are the weights the form offers.
var sourcingWeights = []string{"1", "2", "3", "5", "10"}

type sourcingData struct {
	Action     string
	Text       string
	Rows       []criterionRow
	RowCount   int
	NearMisses bool
	Submitted  bool
	Errors     []string
	Results    *sourcingResults
	Kinds      []option   // every kind with its label
	Help       []kindHelp // what to write for each kind
	// SaveSearch is the form that keeps this requirement with its alerts, for buyers.
	SaveSearch *saveSearchForm
}

type kindHelp struct{ Label, Help string }

// criterionRow is one row of the form.
type criterionRow struct {
	N        int
	Kind     string
	Value    string
	Required bool
	Weight   string
	Verified bool
	Kinds    []option
	Weights  []option
	Error    string
}

type sourcingResults struct {
	Count     string
	NearCount string
	Truncated bool
	Cards     []sourcingCard
	Pages     *pagination
}

type sourcingCard struct {
	// Shortlist is the form that puts the firm on a shortlist, for buyers.
	Shortlist *shortlistAdd
	Name      string
	NameLang  string
	URL       string
	Score     string
	Required  string // "Meets all 2 required criteria", or the near miss
	NearMiss  bool
	Criteria  []criterionLine
	Matched   string
}

type criterionLine struct {
	Kind     string
	Label    string
	Required bool
	Weight   string
	Status   string
	Text     string // the status in words
	Evidence string
}

func (s *Server) sourcingPage(c echo.Context) error {
	lang := pageLang(c)
	values := c.QueryParams()
	self := localPath(lang, "/find-suppliers")
	data := sourcingData{Action: self, Text: strings.TrimSpace(values.Get("q")), NearMisses: isYes(values.Get("near_misses"))}
	for _, k := range models.CriterionKinds {
		data.Kinds = append(data.Kinds, option{Value: string(k), Label: s.tr(c, "sourcing.kind."+string(k))})
		data.Help = append(data.Help, kindHelp{Label: s.tr(c, "sourcing.kind."+string(k)), Help: s.tr(c, "sourcing.help."+string(k))})
	}

	// The rows: as many as asked (rows), at least as many as filled, more when asked.
	rows, _ := strconv.Atoi(values.Get("rows"))
	rows = max(rows, sourcingRows)
	for n := models.MaxCriteria; n > rows; n-- {
		if values.Get(rowParam("k", n)) != "" || values.Get(rowParam("v", n)) != "" {
			rows = n
			break
		}
	}
	if values.Get("more") != "" {
		rows += sourcingMoreRows
	}
	rows = min(rows, models.MaxCriteria)
	data.RowCount = rows

	var req models.Requirement
	var rowOf []int // the row of each criterion
	for n := 1; n <= rows; n++ {
		row := criterionRow{N: n, Kind: values.Get(rowParam("k", n)), Value: strings.TrimSpace(values.Get(rowParam("v", n))),
			Required: values.Get(rowParam("n", n)) == "required", Weight: values.Get(rowParam("w", n)),
			Verified: isYes(values.Get(rowParam("ver", n)))}
		if row.Weight == "" {
			row.Weight = "1"
		}
		row.Kinds = append(row.Kinds, option{Value: "", Label: s.tr(c, "sourcing.kind_choose"), Selected: row.Kind == ""})
		for _, k := range data.Kinds {
			row.Kinds = append(row.Kinds, option{Value: k.Value, Label: k.Label, Selected: k.Value == row.Kind})
		}
		for _, w := range sourcingWeights {
			row.Weights = append(row.Weights, option{Value: w, Label: w, Selected: w == row.Weight})
		}
		if row.Kind != "" || row.Value != "" {
			weight, err := strconv.ParseFloat(row.Weight, 64)
			if err != nil {
				weight = math.NaN()
			}
			req.Criteria = append(req.Criteria, models.Criterion{Kind: models.CriterionKind(row.Kind), Value: row.Value,
				Required: row.Required, Weight: weight, Verified: row.Verified})
			rowOf = append(rowOf, len(data.Rows))
		}
		data.Rows = append(data.Rows, row)
	}
	req.Text = data.Text
	data.Submitted = req.Text != "" || len(req.Criteria) > 0

	status := http.StatusOK
	title := s.tr(c, "sourcing.title")
	if data.Submitted {
		page, _ := strconv.Atoi(values.Get("page"))
		page = min(max(page, 1), search.MaxMatchCandidates/sourcingPerPage)
		res, resolved, err := s.matchRequirement(c.Request().Context(), req, lang, page, sourcingPerPage, data.NearMisses)
		var verr *models.ValidationError
		switch {
		case errors.As(err, &verr):
			status = http.StatusBadRequest
			for _, fe := range verr.Fields {
				msg := s.tr(c, fe.Key, argsList(fe.Args)...)
				if i, ok := criterionIndex(fe.Field); ok && i < len(rowOf) {
					row := &data.Rows[rowOf[i]]
					row.Error = msg
					msg = s.tr(c, "sourcing.row_error", "N", row.N, "Message", msg)
				} else {
					msg = s.tr(c, "sourcing.field."+sourcingField(fe.Field)) + ": " + msg
				}
				data.Errors = append(data.Errors, msg)
			}
			title = s.tr(c, "sourcing.title_error")
		case err != nil:
			return err
		default:
			data.Results = s.sourcingResults(c, resolved, res, values, self)
			data.SaveSearch = s.saveSearchFormFor(c, values)
		}
	}
	p := s.newPage(c, "sourcing", title, s.tr(c, "sourcing.meta"))
	if data.Submitted {
		p.NoIndex = true
	}
	p.Data = data
	return s.render(c, status, "sourcing", p)
}

// sourcingField names a requirement field that is not a criterion row ("text", "criteria").
func sourcingField(field string) string {
	if field == "text" {
		return "text"
	}
	return "criteria"
}

func rowParam(prefix string, n int) string { return prefix + strconv.Itoa(n) }

// criterionIndex reads the 0-based criterion of a field error "criteria[3].value".
func criterionIndex(field string) (int, bool) {
	rest, ok := strings.CutPrefix(field, "criteria[")
	if !ok {
		return 0, false
	}
	num, _, ok := strings.Cut(rest, "]")
	n, err := strconv.Atoi(num)
	if !ok || err != nil || n < 1 {
		return 0, false
	}
	return n - 1, true
}

func (s *Server) sourcingResults(c echo.Context, req models.Requirement, res *search.MatchResult, values url.Values, self string) *sourcingResults {
	lang := pageLang(c)
	out := &sourcingResults{Count: s.tr(c, "sourcing.count", "Count", res.Total), Truncated: res.Truncated}
	if res.NearMissTotal > 0 {
		out.NearCount = s.tr(c, "sourcing.near_count", "Count", res.NearMissTotal)
	}
	labels := make([]string, len(req.Criteria))
	for i, cr := range req.Criteria {
		labels[i] = s.criterionLabel(lang, cr)
	}
	tools := s.loadBuyerTools(c)
	for _, m := range res.Suppliers {
		f := m.Firm
		card := sourcingCard{Shortlist: s.addForm(c, tools, f.ID, nil), Name: f.DisplayName(lang), URL: supplierPath(lang, f.Slug), NearMiss: m.NearMiss,
			Score: s.tr(c, "sourcing.score", "Percent", strconv.Itoa(int(math.Round(m.Score*100))))}
		if lang == "en" && f.NameEN == "" {
			card.NameLang = "vi"
		}
		var missing []string
		for i, cr := range m.Criteria {
			line := criterionLine{Kind: s.tr(c, "sourcing.kind."+string(cr.Criterion.Kind)), Label: labels[i],
				Required: cr.Criterion.Required, Status: string(cr.Status), Text: s.tr(c, "sourcing.status."+string(cr.Status)),
				Evidence: s.evidenceText(lang, cr.Evidence)}
			if !cr.Criterion.Required {
				line.Weight = strconv.FormatFloat(cr.Criterion.Weight, 'f', -1, 64)
			}
			if cr.Criterion.Required && cr.Status != search.StatusMet {
				missing = append(missing, labels[i])
			}
			card.Criteria = append(card.Criteria, line)
		}
		switch {
		case m.NearMiss:
			card.Required = s.tr(c, "sourcing.near_miss", "Met", m.RequiredMet, "Count", m.RequiredCount,
				"Missing", strings.Join(missing, ", "))
		case m.RequiredCount > 0:
			card.Required = s.tr(c, "sourcing.required_all", "Count", m.RequiredCount)
		}
		var why []string
		for _, mt := range m.Matched {
			why = append(why, mt.Label)
		}
		card.Matched = strings.Join(why, ", ")
		out.Cards = append(out.Cards, card)
	}
	listed := res.Total
	if res.NearMissTotal > 0 {
		listed += res.NearMissTotal
	}
	out.Pages = s.paginate(c, &search.Result{Total: listed, Page: res.Page, PerPage: res.PerPage}, values, self)
	return out
}

// sourcingPageMessageIDs are the page's messages its code builds.
func sourcingPageMessageIDs() []string {
	return []string{"sourcing.title", "sourcing.title_error", "sourcing.meta", "sourcing.kind_choose", "sourcing.row_error",
		"sourcing.field.text", "sourcing.field.criteria", "sourcing.count", "sourcing.near_count", "sourcing.score",
		"sourcing.near_miss", "sourcing.required_all"}
}
