package main

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
)

// similarCount is how many similar suppliers a profile suggests.
const similarCount = 5

type supplierData struct {
	Name        string
	NameLang    string
	OtherName   string // the name in the other language, or the legal name beside a short one
	OtherLang   string
	Description string
	DescLang    string // "vi" when an English page shows the Vietnamese text
	// KeyTerms is the English gist of a Vietnamese-only description: the concepts found in it.
	KeyTerms     []string
	Verified     string // the date the Department verified the profile
	Facts        []fact
	Terms        []termGroup
	FreeTerms    []string
	Certs        []certBadge
	Sites        []siteView
	Customers    []string
	Markets      []string
	Recognitions []models.Recognition
	Contact      contactView
	Updated      time.Time
	Similar      []firmCard
	SimilarURL   string
	TaxCode      string
	Equipment    []models.Equipment
	Capacity     []fact
	// ManageURL leads a supplier to keep this profile: its edit page for the firm's members and
	// staff, the claim form for other suppliers, the login for visitors; empty for buyers.
	ManageURL string
	// Events invite the firm's members to register it for the events open now.
	Events []eventInvite
	// Shortlist is the form that puts the firm on a shortlist, for buyers.
	Shortlist *shortlistAdd
}

// termGroup is the firm's terms of one kind, each linked to its browse page.
type termGroup struct {
	Heading string
	Links   []browseLink
}

type siteView struct {
	Address   string
	Ward      string
	District  *browseLink
	Zone      *browseLink
	Corridors []browseLink
}

type contactView struct {
	Name, Phone, Email, Website, WebsiteLabel string
	// PhoneURL is a tel: link; html/template does not trust that scheme, but it is made only
	// of digits and "+" here.
	PhoneURL template.URL
}

// certBadge is a certificate with its status at the time of the request.
type certBadge struct {
	Label      string
	Status     string
	StatusText string
	Expires    string
	ExpiresISO string
	Number     string
	Issuer     string
	Scope      string
	// Checked says exactly what the Department checked: "Verified by the Department on DATE,
	// valid until DATE", or that the firm declared it.
	Checked string
}

// certStatuses are the statuses a badge can show, each with a message.
var certStatuses = []models.CertificateStatus{models.CertVerified, models.CertClaimed, models.CertExpired}

func (s *Server) certBadges(c echo.Context, certs []models.Certificate, now time.Time, detail bool) []certBadge {
	lang := pageLang(c)
	out := make([]certBadge, 0, len(certs))
	for i := range certs {
		cert := &certs[i]
		st := cert.Status(now)
		if st == models.CertRejected || st == models.CertRevoked {
			// The Department refused or withdrew it: the public never sees it as current.
			continue
		}
		b := certBadge{Label: cert.Label(), Status: string(st), StatusText: s.tr(c, "cert.status."+string(st))}
		if cert.Expires != nil {
			b.Expires, b.ExpiresISO = formatDate(lang, cert.Expires.Time), cert.Expires.String()
		}
		if detail {
			b.Number, b.Issuer, b.Scope = cert.Number, cert.Issuer, cert.Scope
			switch {
			case st == models.CertVerified && cert.VerifiedAt != nil && cert.Expires != nil:
				b.Checked = s.tr(c, "cert.checked_until", "Date", formatDate(lang, *cert.VerifiedAt), "Until", b.Expires)
			case st == models.CertVerified && cert.VerifiedAt != nil:
				b.Checked = s.tr(c, "cert.checked", "Date", formatDate(lang, *cert.VerifiedAt))
			case st == models.CertClaimed:
				b.Checked = s.tr(c, "cert.declared")
			}
		}
		out = append(out, b)
	}
	return out
}

func (s *Server) supplierPage(c echo.Context) error {
	ctx := c.Request().Context()
	lang := pageLang(c)
	slug, err := url.PathUnescape(c.Param("slug"))
	if err != nil {
		return echo.ErrNotFound
	}
	f, err := s.store.FirmBySlug(ctx, slug)
	if err != nil {
		return err
	}
	ref := s.store.Reference()
	d := supplierData{Name: f.DisplayName(lang), TaxCode: f.TaxCode, Updated: f.UpdatedAt,
		Customers: f.KeyCustomers, Recognitions: f.Recognitions}
	switch {
	case lang == "en" && f.NameEN == "":
		d.NameLang = "vi"
	case lang == "en":
		d.OtherName, d.OtherLang = f.NameVI, "vi"
	case f.NameEN != "":
		d.OtherName, d.OtherLang = f.NameEN, "en"
	}
	d.Description = f.DescriptionVI
	if lang == "en" {
		if f.DescriptionEN != "" {
			d.Description = f.DescriptionEN
		} else {
			d.DescLang = "vi"
			d.KeyTerms = s.index.KeyTermsEN(f.DescriptionVI)
		}
	}
	if f.VerifiedAt != nil {
		d.Verified = formatDate(lang, *f.VerifiedAt)
	}
	d.Facts = s.firmFacts(c, f)
	for _, kind := range models.TermKinds {
		g := termGroup{Heading: s.tr(c, "firm.terms."+string(kind))}
		for _, t := range f.TermsOf(kind) {
			g.Links = append(g.Links, browseLink{Label: t.Label(lang), URL: localPath(lang, browsePath(string(kind), t.Code))})
		}
		if len(g.Links) > 0 {
			d.Terms = append(d.Terms, g)
		}
	}
	for _, ft := range f.FreeTerms {
		d.FreeTerms = append(d.FreeTerms, ft.Text)
	}
	d.Certs = s.certBadges(c, f.Certificates, s.now(), true)
	for _, site := range f.Sites {
		d.Sites = append(d.Sites, siteViewOf(ref, site, lang))
	}
	for _, m := range f.ExportMarkets {
		if co, ok := models.ResolveCountry(m); ok {
			d.Markets = append(d.Markets, co.Label(lang))
		} else {
			d.Markets = append(d.Markets, m)
		}
	}
	d.Contact = contactView{Name: f.ContactName, Phone: f.Phone, Email: f.Email, Website: f.Website,
		WebsiteLabel: strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(f.Website, "https://"), "http://"), "/")}
	if f.Phone != "" {
		d.Contact.PhoneURL = template.URL("tel:" + strings.Map(func(r rune) rune {
			if (r >= '0' && r <= '9') || r == '+' {
				return r
			}
			return -1
		}, f.Phone))
	}
	d.Equipment = f.Equipment
	for _, x := range []struct{ key, value string }{{"firm.monthly_capacity", f.MonthlyCapacity}, {"firm.lot_sizes", f.LotSizes},
		{"firm.lead_time_days", s.leadTime(c, f.LeadTimeDays)}, {"firm.capacity_notes", f.CapacityNotes}} {
		if x.value != "" {
			d.Capacity = append(d.Capacity, fact{s.tr(c, x.key), x.value})
		}
	}
	d.ManageURL = manageURL(c, f)
	d.Events = s.eventInvites(c, []models.Firm{*f})
	if tools := s.loadBuyerTools(c); tools != nil {
		on, _ := s.store.ShortlistsWithFirm(ctx, actorOf(c), f.ID)
		d.Shortlist = s.addForm(c, tools, f.ID, on)
	}
	d.Similar, d.SimilarURL = s.similarSuppliers(c, ctx, f)
	desc := excerpt(d.Description, 155)
	if desc == "" {
		desc = s.tr(c, "firm.meta_description", "Name", d.Name)
	}
	p := s.newPage(c, "", d.Name, desc)
	p.Data = d
	return s.render(c, http.StatusOK, "supplier", p)
}

// firmFacts are the short facts under the name: founded, employees, size, ownership, tax code.
func (s *Server) firmFacts(c echo.Context, f *models.Firm) []fact {
	lang := pageLang(c)
	var out []fact
	if f.FoundedYear > 0 {
		out = append(out, fact{s.tr(c, "firm.founded"), itoa(f.FoundedYear)})
	}
	if f.Employees > 0 {
		out = append(out, fact{s.tr(c, "firm.employees"), formatNumber(lang, f.Employees)})
	}
	if band := f.SizeBand(); band != models.SizeNone {
		out = append(out, fact{s.tr(c, "facet.size"), s.tr(c, "size."+string(band))})
	}
	if f.Ownership != "" {
		out = append(out, fact{s.tr(c, "facet.ownership"), s.tr(c, "ownership."+string(f.Ownership))})
	}
	out = append(out, fact{s.tr(c, "firm.tax_code"), f.TaxCode})
	return out
}

func siteViewOf(ref *models.Reference, site models.Site, lang string) siteView {
	v := siteView{Address: site.Address, Ward: site.Ward}
	if d, ok := ref.District(site.District); ok {
		v.District = &browseLink{Label: d.Label(lang), URL: localPath(lang, browsePath("district", d.Code))}
	}
	if z, ok := ref.Zone(site.Zone); ok {
		v.Zone = &browseLink{Label: z.Label(lang), URL: localPath(lang, browsePath("zone", z.Code))}
	}
	for _, code := range site.Corridors {
		if co, ok := ref.Corridor(code); ok {
			v.Corridors = append(v.Corridors, browseLink{Label: co.Label(lang), URL: localPath(lang, browsePath("corridor", co.Code))})
		}
	}
	return v
}

// similarSuppliers finds firms that make the same products, or failing that use the same
// processes, leaving out the firm itself. It also returns the search that lists them all.
func (s *Server) similarSuppliers(c echo.Context, ctx context.Context, f *models.Firm) ([]firmCard, string) {
	lang := pageLang(c)
	for _, kind := range []models.TermKind{models.KindProduct, models.KindProcess, models.KindSector} {
		codes := f.TermCodes(kind)
		if len(codes) == 0 {
			continue
		}
		values := url.Values{string(kind): {codes[0]}, "per_page": {itoa(similarCount + 1)}}
		found, err := s.searchSuppliers(ctx, values, lang)
		if err != nil || found.Result.Total <= 1 {
			continue
		}
		others := &supplierSearch{Query: found.Query, Result: found.Result}
		for _, o := range found.Firms {
			if o.ID != f.ID && len(others.Firms) < similarCount {
				others.Firms = append(others.Firms, o)
			}
		}
		list := s.resultList(c, others, nil, "")
		values.Del("per_page")
		return list.Cards, localPath(lang, "/search") + "?" + values.Encode()
	}
	return nil, ""
}

func (s *Server) leadTime(c echo.Context, days int) string {
	if days <= 0 {
		return ""
	}
	return s.tr(c, "firm.lead_time_value", "Count", days)
}

// manageURL is where the "Manage this profile" link leads the visitor, or "" for none.
func manageURL(c echo.Context, f *models.Firm) string {
	lang := pageLang(c)
	claim := localPath(lang, "/account/claims/new") + "?firm=" + url.QueryEscape(f.Slug)
	a := actorOf(c)
	switch {
	case a.UserID == 0:
		return localPath(lang, "/login") + "?next=" + url.QueryEscape(claim)
	case a.CanEditFirm(f.ID):
		return localPath(lang, "/account/firms/"+itoa(int(f.ID))+"/edit")
	case a.Role == models.RoleSupplier:
		return claim
	}
	return ""
}
