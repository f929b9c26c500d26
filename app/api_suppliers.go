package main

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/search"
)

// supplierSearch is one search with the firms behind its hits loaded from the store.
type supplierSearch struct {
	Query  search.Query
	Result *search.Result
	Firms  []*models.Firm // in hit order; a hit whose firm vanished meanwhile is skipped
}

// searchSuppliers parses the parameters, searches the index and loads the hits' firms. Recent
// searches come from the cache; the result is shared, so callers must not change it.
func (s *Server) searchSuppliers(ctx context.Context, values url.Values, lang string) (*supplierSearch, error) {
	if values.Get("lang") == "" {
		values = cloneValues(values)
		values.Set("lang", lang)
	}
	key := values.Encode()
	if found, ok := s.cache.get(key); ok {
		return found, nil
	}
	gen := s.cache.generation()
	q, err := search.ParseQuery(values, s.store.Reference())
	if err != nil {
		return nil, err
	}
	res, err := s.index.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	ids := make([]uint, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	firms, err := s.store.FirmsByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	found := &supplierSearch{Query: q, Result: res, Firms: firms}
	s.cache.put(key, found, gen)
	return found, nil
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v)+1)
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// labelled is a code with its label in the requested language.
type labelled struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// certificateJSON is a certificate as the API shows it, with its status at the time of asking.
type certificateJSON struct {
	Standard string `json:"standard"`
	Edition  string `json:"edition,omitempty"`
	Status   string `json:"status"`
	Expires  string `json:"expires_on,omitempty"`
	Number   string `json:"number,omitempty"`
	Issuer   string `json:"issuer,omitempty"`
	Issued   string `json:"issued_on,omitempty"`
}

// supplierHit is one result of GET /api/v1/suppliers.
type supplierHit struct {
	TaxCode        string            `json:"tax_code"`
	Slug           string            `json:"slug"`
	NameVI         string            `json:"name_vi"`
	NameEN         string            `json:"name_en"`
	Score          float64           `json:"score"`
	Highlights     []string          `json:"highlights"`
	Sectors        []labelled        `json:"sectors"`
	Certifications []certificateJSON `json:"certifications"`
	District       *labelled         `json:"district"`
	Zone           *labelled         `json:"zone"`
	URL            string            `json:"url"`
}

type suppliersResponse struct {
	Total   int                            `json:"total"`
	Page    int                            `json:"page"`
	PerPage int                            `json:"per_page"`
	Results []supplierHit                  `json:"results"`
	Facets  map[string][]search.FacetValue `json:"facets"`
}

func (s *Server) apiSuppliers(c echo.Context) error {
	lang := c.QueryParam("lang")
	if lang == "" {
		lang = "vi"
	}
	found, err := s.searchSuppliers(c.Request().Context(), c.QueryParams(), lang)
	if err != nil {
		return err
	}
	lang = found.Query.Lang
	ref := s.store.Reference()
	now := s.now()
	scores := make(map[uint]search.Hit, len(found.Result.Hits))
	for _, h := range found.Result.Hits {
		scores[h.ID] = h
	}
	resp := suppliersResponse{
		Total: found.Result.Total, Page: found.Result.Page, PerPage: found.Result.PerPage,
		Results: make([]supplierHit, 0, len(found.Firms)), Facets: found.Result.Facets,
	}
	for _, f := range found.Firms {
		h := scores[f.ID]
		hit := supplierHit{
			TaxCode: f.TaxCode, Slug: f.Slug, NameVI: f.NameVI, NameEN: f.NameEN, Score: h.Score,
			Highlights: snippetTexts(h.Highlights), Sectors: termLabels(f.TermsOf(models.KindSector), lang),
			Certifications: certificatesJSON(f.Certificates, now),
			URL:            supplierPath(lang, f.Slug),
		}
		if site := f.MainSite(); site != nil {
			if d, ok := ref.District(site.District); ok {
				hit.District = &labelled{d.Code, d.Label(lang)}
			}
			if z, ok := ref.Zone(site.Zone); ok {
				hit.Zone = &labelled{z.Code, z.Label(lang)}
			}
		}
		resp.Results = append(resp.Results, hit)
	}
	return c.JSON(http.StatusOK, resp)
}

// supplierPath is the profile page of a firm in lang; the API's url and the result links agree.
func supplierPath(lang, slug string) string {
	return localPath(lang, "/suppliers/"+url.PathEscape(slug))
}

func termLabels(terms []models.Term, lang string) []labelled {
	out := make([]labelled, len(terms))
	for i, t := range terms {
		out[i] = labelled{t.Code, t.Label(lang)}
	}
	return out
}

func certificatesJSON(certs []models.Certificate, now time.Time) []certificateJSON {
	out := make([]certificateJSON, len(certs))
	for i, c := range certs {
		out[i] = certificateJSON{Standard: c.Standard, Edition: c.Edition, Status: string(c.Status(now)),
			Number: c.Number, Issuer: c.Issuer}
		if c.Expires != nil {
			out[i].Expires = c.Expires.String()
		}
		if c.IssuedOn != nil {
			out[i].Issued = c.IssuedOn.String()
		}
	}
	return out
}

// snippetTexts is the text of each snippet, never null in JSON.
func snippetTexts(snippets []search.Snippet) []string {
	out := make([]string, len(snippets))
	for i, sn := range snippets {
		out[i] = sn.Text
	}
	return out
}

// supplierProfile is the whole profile, as GET /api/v1/suppliers/{tax code or slug} returns it.
type supplierProfile struct {
	*models.Firm
	Sectors        []labelled        `json:"sectors"`
	Products       []labelled        `json:"products"`
	Processes      []labelled        `json:"processes"`
	Materials      []labelled        `json:"materials"`
	Certifications []certificateJSON `json:"certifications"`
	SizeBand       string            `json:"size_band,omitempty"`
	URL            string            `json:"url"`
	Certificates   struct{}          `json:"-"` // shown as certifications, with status
}

func (s *Server) apiSupplier(c echo.Context) error {
	ctx := c.Request().Context()
	id := c.Param("id")
	var (
		f   *models.Firm
		err error
	)
	if models.ValidTaxCode(id) {
		f, err = s.store.FirmByTaxCode(ctx, id)
	} else {
		f, err = s.store.FirmBySlug(ctx, id)
	}
	if err != nil {
		return err
	}
	lang := c.QueryParam("lang")
	if lang != "en" {
		lang = "vi"
	}
	return c.JSON(http.StatusOK, supplierProfile{
		Firm:           f,
		Sectors:        termLabels(f.TermsOf(models.KindSector), lang),
		Products:       termLabels(f.TermsOf(models.KindProduct), lang),
		Processes:      termLabels(f.TermsOf(models.KindProcess), lang),
		Materials:      termLabels(f.TermsOf(models.KindMaterial), lang),
		Certifications: certificatesJSON(f.Certificates, s.now()),
		SizeBand:       string(f.SizeBand()),
		URL:            supplierPath(lang, f.Slug),
	})
}

func (s *Server) health(c echo.Context) error {
	ctx := c.Request().Context()
	if err := s.store.Ping(ctx); err != nil {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
	}
	n, err := s.index.DocCount()
	if err != nil {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "index unavailable"})
	}
	return c.JSON(http.StatusOK, map[string]any{"status": "ok", "indexed": n})
}
