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
	start := time.Now()
	res, err := s.index.Search(ctx, q)
	s.metrics.observeSearch("search", start)
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
	// VerifiedAt is when the Department checked the certificate; empty when only declared.
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
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
	// Matched says why the firm was found, from the same matches that scored it.
	Matched []matchJSON `json:"matched"`
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
			Matched:        s.matchesJSON(lang, h.Matched),
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
			Number: c.Number, Issuer: c.Issuer, VerifiedAt: c.VerifiedAt}
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
// It lists what a buyer may read, each certificate with its status; staff-only facts (the owner
// account, evidence scans, the sample flag) are not part of it.
type supplierProfile struct {
	ID             uint              `json:"id"`
	TaxCode        string            `json:"tax_code"`
	Slug           string            `json:"slug"`
	NameVI         string            `json:"name_vi"`
	NameEN         string            `json:"name_en"`
	ShortName      string            `json:"short_name"`
	DescriptionVI  string            `json:"description_vi"`
	DescriptionEN  string            `json:"description_en"`
	FoundedYear    int               `json:"founded_year,omitempty"`
	Employees      int               `json:"employees,omitempty"`
	SizeBand       string            `json:"size_band,omitempty"`
	Ownership      string            `json:"ownership,omitempty"`
	Sectors        []labelled        `json:"sectors"`
	Products       []labelled        `json:"products"`
	Processes      []labelled        `json:"processes"`
	Materials      []labelled        `json:"materials"`
	FreeTerms      []freeTermJSON    `json:"free_terms"`
	Certifications []certificateJSON `json:"certifications"`
	KeyCustomers   []string          `json:"key_customers"`
	ExportMarkets  []string          `json:"export_markets"`
	Recognitions   []recognitionJSON `json:"spcncl"`
	Sites          []siteJSON        `json:"sites"`
	Website        string            `json:"website"`
	Email          string            `json:"email"`
	Phone          string            `json:"phone"`
	ContactName    string            `json:"contact_name"`
	VerifiedAt     *time.Time        `json:"verified_at,omitempty"`
	CreatedAt      time.Time         `json:"created_at"`
	UpdatedAt      time.Time         `json:"updated_at"`
	URL            string            `json:"url"`
}

type freeTermJSON struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
}

type recognitionJSON struct {
	Year    int    `json:"year"`
	Product string `json:"product"`
}

type siteJSON struct {
	Address   string   `json:"address"`
	Ward      string   `json:"ward"`
	District  string   `json:"district"`
	Zone      string   `json:"zone,omitempty"`
	Corridors []string `json:"corridors"`
	Latitude  *float64 `json:"latitude,omitempty"`
	Longitude *float64 `json:"longitude,omitempty"`
}

func newSupplierProfile(f *models.Firm, lang string, now time.Time) supplierProfile {
	p := supplierProfile{
		ID: f.ID, TaxCode: f.TaxCode, Slug: f.Slug, NameVI: f.NameVI, NameEN: f.NameEN, ShortName: f.ShortName,
		DescriptionVI: f.DescriptionVI, DescriptionEN: f.DescriptionEN, FoundedYear: f.FoundedYear,
		Employees: f.Employees, SizeBand: string(f.SizeBand()), Ownership: string(f.Ownership),
		Sectors:        termLabels(f.TermsOf(models.KindSector), lang),
		Products:       termLabels(f.TermsOf(models.KindProduct), lang),
		Processes:      termLabels(f.TermsOf(models.KindProcess), lang),
		Materials:      termLabels(f.TermsOf(models.KindMaterial), lang),
		FreeTerms:      make([]freeTermJSON, len(f.FreeTerms)),
		Certifications: certificatesJSON(f.Certificates, now),
		KeyCustomers:   append([]string{}, f.KeyCustomers...),
		ExportMarkets:  append([]string{}, f.ExportMarkets...),
		Recognitions:   make([]recognitionJSON, len(f.Recognitions)),
		Sites:          make([]siteJSON, len(f.Sites)),
		Website:        f.Website, Email: f.Email, Phone: f.Phone, ContactName: f.ContactName,
		VerifiedAt: f.VerifiedAt, CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt,
		URL: supplierPath(lang, f.Slug),
	}
	for i, t := range f.FreeTerms {
		p.FreeTerms[i] = freeTermJSON{Kind: string(t.Kind), Text: t.Text}
	}
	for i, r := range f.Recognitions {
		p.Recognitions[i] = recognitionJSON{Year: r.Year, Product: r.Product}
	}
	for i, st := range f.Sites {
		p.Sites[i] = siteJSON{Address: st.Address, Ward: st.Ward, District: st.District, Zone: st.Zone,
			Corridors: append([]string{}, st.Corridors...), Latitude: st.Latitude, Longitude: st.Longitude}
	}
	return p
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
	return c.JSON(http.StatusOK, newSupplierProfile(f, lang, s.now()))
}

// health answers whether this instance is alive: its database answers and its index is open.
// While the instance starts, the front door answers "starting" instead (see startup.go).
func (s *Server) health(c echo.Context) error {
	ctx := c.Request().Context()
	if err := s.store.Ping(ctx); err != nil {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
	}
	n, err := s.index.DocCount()
	if err != nil {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "index unavailable"})
	}
	out := map[string]any{"status": "ok", "indexed": n}
	if s.feed != nil {
		out["change"], out["lag_seconds"] = s.feed.Applied(), s.feed.Lag().Seconds()
	}
	return c.JSON(http.StatusOK, out)
}

// maxIndexLag is how far behind the database an instance's index may fall before the instance
// says it is not ready, so a load balancer sends searches elsewhere.
const maxIndexLag = 30 * time.Second

// ready answers whether this instance should get traffic: it has started, its database answers
// and its index follows the database's changes.
func (s *Server) ready(c echo.Context) error {
	if err := s.store.Ping(c.Request().Context()); err != nil {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
	}
	if s.feed != nil && s.feed.Lag() > maxIndexLag {
		return c.JSON(http.StatusServiceUnavailable, map[string]any{"status": "index behind the database", "lag_seconds": s.feed.Lag().Seconds()})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}
