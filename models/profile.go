package models

import (
	"slices"
	"strings"
)

// ProfileUpdate is what a firm's members (and staff) may change on its profile: everything but
// its tax code, the Department's decisions and the record's bookkeeping. The form and the API map
// onto it; the store applies it inside the transaction that checks the actor.
type ProfileUpdate struct {
	NameVI, NameEN, ShortName    string
	DescriptionVI, DescriptionEN string
	FoundedYear, Employees       int
	Ownership                    Ownership
	// TermCodes are taxonomy codes of any kind, in the order the firm lists them.
	TermCodes     []string
	FreeTerms     []FreeTerm
	KeyCustomers  []string
	ExportMarkets []string
	Recognitions  []Recognition
	Sites         []Site
	Website       string
	Email         string
	Phone         string
	ContactName   string
	Equipment     []Equipment
	// Capacity.
	MonthlyCapacity, LotSizes, CapacityNotes string
	LeadTimeDays                             int
	Certificates                             []CertificateClaim
}

// CertificateClaim is a certificate as the firm declares it; ID names one of the firm's stored
// certificates, 0 a new one.
type CertificateClaim struct {
	ID                uint
	Standard          string
	Edition           string
	Number            string
	Issuer            string
	AccreditationBody string
	Scope             string
	IssuedOn, Expires *Date
}

// coreFields are the facts whose change lapses the Department's verification of a profile.
var coreFields = []string{"name_vi", "name_en", "sectors", "products", "processes", "employees", "ownership", "founded_year", "sites["}

// Apply returns the firm old becomes with the update. A certificate keeps the Department's
// decision while the facts staff checked stay the same; a verified certificate whose facts
// change goes back to claimed. A certificate id that is not one of old's is refused: a forged
// form must not reach another firm's certificate.
func (p ProfileUpdate) Apply(ref *Reference, old *Firm) (*Firm, error) {
	f := *old
	f.NameVI, f.NameEN, f.ShortName = p.NameVI, p.NameEN, p.ShortName
	f.DescriptionVI, f.DescriptionEN = p.DescriptionVI, p.DescriptionEN
	f.FoundedYear, f.Employees, f.Ownership = p.FoundedYear, p.Employees, p.Ownership
	f.Website, f.Email, f.Phone, f.ContactName = p.Website, p.Email, p.Phone, p.ContactName
	f.MonthlyCapacity, f.LotSizes, f.CapacityNotes, f.LeadTimeDays = p.MonthlyCapacity, p.LotSizes, p.CapacityNotes, p.LeadTimeDays
	f.KeyCustomers, f.ExportMarkets = StringList(slices.Clone(p.KeyCustomers)), StringList(slices.Clone(p.ExportMarkets))
	f.FreeTerms = FreeTermList(slices.Clone(p.FreeTerms))
	f.Recognitions, f.Equipment = slices.Clone(p.Recognitions), slices.Clone(p.Equipment)
	f.Sites = slices.Clone(p.Sites)
	for i := range f.Sites {
		if i < len(old.Sites) && old.Sites[i].CorridorsSet && !f.Sites[i].CorridorsSet {
			// Corridors chosen by staff stay unless the place changes.
			if old.Sites[i].District == f.Sites[i].District && old.Sites[i].Zone == f.Sites[i].Zone {
				f.Sites[i].Corridors, f.Sites[i].CorridorsSet = slices.Clone(old.Sites[i].Corridors), true
			}
		}
	}
	var probs problems
	f.Terms = nil
	for _, code := range p.TermCodes {
		t, ok := ref.Term(code)
		if !ok {
			probs.add("terms", "validation.unknown_term", Args{"Value": quoted(code)})
			continue
		}
		if !slices.ContainsFunc(f.Terms, func(x Term) bool { return x.Code == code }) {
			f.Terms = append(f.Terms, t)
		}
	}
	certs, err := p.applyCertificates(old.Certificates)
	if err != nil {
		return nil, err
	}
	f.Certificates = certs
	if err := probs.err(); err != nil {
		return nil, err
	}
	return &f, nil
}

func (p ProfileUpdate) applyCertificates(stored []Certificate) ([]Certificate, error) {
	byID := make(map[uint]Certificate, len(stored))
	for _, c := range stored {
		byID[c.ID] = c
	}
	out := make([]Certificate, 0, len(p.Certificates))
	for _, cc := range p.Certificates {
		c := Certificate{ID: cc.ID, Standard: strings.TrimSpace(cc.Standard), Edition: strings.TrimSpace(cc.Edition),
			Number: strings.TrimSpace(cc.Number), Issuer: strings.TrimSpace(cc.Issuer),
			AccreditationBody: strings.TrimSpace(cc.AccreditationBody), Scope: strings.TrimSpace(cc.Scope),
			IssuedOn: cc.IssuedOn, Expires: cc.Expires, State: CertClaimed}
		if cc.ID != 0 {
			o, ok := byID[cc.ID]
			if !ok {
				return nil, ErrForbidden
			}
			delete(byID, cc.ID)
			c.Evidence = o.Evidence
			if o.VerifiedFacts() == c.VerifiedFacts() {
				c.State, c.VerifiedAt, c.VerifiedBy = o.State, o.VerifiedAt, o.VerifiedBy
				c.VerificationMethod, c.DecisionNote = o.VerificationMethod, o.DecisionNote
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// LapsesVerification reports whether changes touch the core facts the Department verified.
func LapsesVerification(changes []FieldChange) bool {
	for _, c := range changes {
		for _, core := range coreFields {
			if c.Field == core || (strings.HasSuffix(core, "[") && strings.HasPrefix(c.Field, core)) {
				return true
			}
		}
	}
	return false
}

// CertificateDecision is what staff decide about a certificate.
type CertificateDecision struct {
	Action string // "verify", "reject" or "revoke"
	Method string // how it was checked: one of VerificationMethods (for verify)
	Note   string // what was checked, or why it was rejected: the firm reads it
}

// Validate checks the decision: a verification says how, a rejection says why.
func (d *CertificateDecision) Validate() error {
	var p problems
	d.Note = strings.TrimSpace(d.Note)
	switch d.Action {
	case "verify":
		if !slices.Contains(VerificationMethods, d.Method) {
			p.add("method", "validation.required", nil)
		}
	case "reject", "revoke":
		if d.Note == "" {
			p.add("note", "validation.required", nil)
		}
	default:
		p.add("action", "validation.required", nil)
	}
	checkText(&p, "note", d.Note, maxDescription, true)
	return p.err()
}

// ProfileUpdateOf is the update that leaves f as it is: the form starts from it.
func ProfileUpdateOf(f *Firm) ProfileUpdate {
	p := ProfileUpdate{NameVI: f.NameVI, NameEN: f.NameEN, ShortName: f.ShortName, DescriptionVI: f.DescriptionVI,
		DescriptionEN: f.DescriptionEN, FoundedYear: f.FoundedYear, Employees: f.Employees, Ownership: f.Ownership,
		FreeTerms: slices.Clone(f.FreeTerms), KeyCustomers: slices.Clone(f.KeyCustomers), ExportMarkets: slices.Clone(f.ExportMarkets),
		Recognitions: slices.Clone(f.Recognitions), Sites: slices.Clone(f.Sites), Website: f.Website, Email: f.Email,
		Phone: f.Phone, ContactName: f.ContactName, Equipment: slices.Clone(f.Equipment), MonthlyCapacity: f.MonthlyCapacity,
		LotSizes: f.LotSizes, CapacityNotes: f.CapacityNotes, LeadTimeDays: f.LeadTimeDays}
	for _, t := range f.Terms {
		p.TermCodes = append(p.TermCodes, t.Code)
	}
	for _, c := range f.Certificates {
		p.Certificates = append(p.Certificates, CertificateClaim{ID: c.ID, Standard: c.Standard, Edition: c.Edition,
			Number: c.Number, Issuer: c.Issuer, AccreditationBody: c.AccreditationBody, Scope: c.Scope,
			IssuedOn: c.IssuedOn, Expires: c.Expires})
	}
	return p
}
