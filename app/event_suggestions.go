package main

import (
	"math"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
	"github.com/hanoi-cnht/portal/search"
)

// maxSuggestions is how many suppliers a buyer's requests page suggests.
const maxSuggestions = 5

// supplierSuggestion is a registered supplier the requirement matcher ranks well for a buyer, with why.
type supplierSuggestion struct {
	Registration *event.Registration
	Score        string
	Reasons      string
}

// suggestSuppliers ranks the suppliers a buyer may still ask by the buyer's requirement, as the
// find-suppliers page would, and keeps the best registered ones. A buyer without a requirement,
// or a supplier, gets none.
func (s *Server) suggestSuppliers(c echo.Context, me *event.Registration, others []*event.Registration) ([]supplierSuggestion, error) {
	if me.Side != event.Buyer || strings.TrimSpace(me.Requirement) == "" || s.index == nil {
		return nil, nil
	}
	byFirm := map[uint]*event.Registration{}
	for _, r := range others {
		if r.Side == event.Supplier && r.FirmID != nil {
			byFirm[*r.FirmID] = r
		}
	}
	if len(byFirm) == 0 {
		return nil, nil
	}
	lang := pageLang(c)
	res, _, err := s.matchRequirement(c.Request().Context(), models.Requirement{Text: me.Requirement}, lang, 1, search.MaxPerPage, false)
	if err != nil {
		return nil, err
	}
	var out []supplierSuggestion
	for _, m := range res.Suppliers {
		r := byFirm[m.Firm.ID]
		if r == nil {
			continue
		}
		var why []string
		for _, mt := range m.Matched {
			why = append(why, mt.Label+" ("+s.sourceText(lang, mt.Source)+")")
		}
		out = append(out, supplierSuggestion{Registration: r, Reasons: strings.Join(why, ", "),
			Score: s.tr(c, "sourcing.score", "Percent", strconv.Itoa(int(math.Round(m.Score*100))))})
		if len(out) == maxSuggestions {
			break
		}
	}
	return out, nil
}
