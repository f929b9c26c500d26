package main

import (
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/search"
)

// taxonomyResponse is the whole taxonomy and reference data, for clients that build filters.
type taxonomyResponse struct {
	Sectors   []models.Term     `json:"sectors"`
	Products  []models.Term     `json:"products"`
	Processes []models.Term     `json:"processes"`
	Materials []models.Term     `json:"materials"`
	Standards []models.Standard `json:"standards"`
	Corridors []models.Corridor `json:"corridors"`
	Districts []models.District `json:"districts"`
	Zones     []models.Zone     `json:"zones"`
}

func (s *Server) apiTaxonomy(c echo.Context) error {
	ref := s.store.Reference()
	c.Response().Header().Set("Cache-Control", "public, max-age=300")
	return c.JSON(http.StatusOK, taxonomyResponse{
		Sectors:   ref.TermsOfKind(models.KindSector),
		Products:  ref.TermsOfKind(models.KindProduct),
		Processes: ref.TermsOfKind(models.KindProcess),
		Materials: ref.TermsOfKind(models.KindMaterial),
		Standards: ref.Standards,
		Corridors: ref.Corridors,
		Districts: ref.Districts,
		Zones:     ref.Zones,
	})
}

// maxSuggestQuery bounds type-ahead input; nobody types a longer prefix.
const maxSuggestQuery = 100

// suggestions reads q and lang and asks the index for type-ahead entries.
func (s *Server) suggestions(c echo.Context, lang string) ([]search.Suggestion, error) {
	q := c.QueryParam("q")
	if utf8.RuneCountInString(q) > maxSuggestQuery {
		return nil, &search.ParamError{Param: "q", Reason: "is longer than 100 characters"}
	}
	if l := c.QueryParam("lang"); l != "" {
		if l != "vi" && l != "en" {
			return nil, &search.ParamError{Param: "lang", Reason: "must be vi or en"}
		}
		lang = l
	}
	defer s.metrics.observeSearch("suggest", time.Now())
	return s.index.Suggest(c.Request().Context(), q, lang, 8)
}

func (s *Server) apiSuggest(c echo.Context) error {
	list, err := s.suggestions(c, "vi")
	if err != nil {
		return err
	}
	if list == nil {
		list = []search.Suggestion{}
	}
	return c.JSON(http.StatusOK, map[string]any{"suggestions": list})
}
