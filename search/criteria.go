package search

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hanoi-cnht/portal/models"
)

// Status says how far a supplier meets one criterion of a requirement.
type Status string

// The statuses of a criterion. Unknown means the profile does not say.
const (
	StatusMet     Status = "met"
	StatusPartly  Status = "partly"
	StatusNotMet  Status = "not_met"
	StatusUnknown Status = "unknown"
)

// credit is how much a status counts towards the preferred share: met in full, partly half.
func (s Status) credit() float64 {
	switch s {
	case StatusMet:
		return 1
	case StatusPartly:
		return 0.5
	}
	return 0
}

// MessageKey is an evidence argument that is itself a message to translate ("size.small").
type MessageKey string

// Evidence is one fact of a profile behind a status: a message key ("evidence." + Key in the
// locales) with its arguments. Arguments are labels already in the requirement's language,
// numbers, dates (*models.Date, time.Time) or MessageKeys; the web layer writes the sentence.
type Evidence struct {
	Key  string
	Args map[string]any
}

// CriterionResult is how a supplier stands on one criterion.
type CriterionResult struct {
	Criterion models.Criterion
	Status    Status
	Evidence  []Evidence
}

// evaluator judges one firm against criteria, at one moment and in one language.
type evaluator struct {
	ref     *models.Reference
	concept *ConceptMatcher
	lang    string
	now     time.Time
}

// partlyNearFactor is how far past the asked distance a site still counts as partly near.
const partlyNearFactor = 1.5

func ev(key string, args ...any) Evidence {
	e := Evidence{Key: key, Args: map[string]any{}}
	for i := 0; i+1 < len(args); i += 2 {
		e.Args[args[i].(string)] = args[i+1]
	}
	return e
}

// evaluate judges f against c.
func (e *evaluator) evaluate(f *models.Firm, c models.Criterion, found func() map[string]string) CriterionResult {
	r := CriterionResult{Criterion: c}
	r.Status, r.Evidence = e.judge(f, c, found)
	return r
}

func (e *evaluator) judge(f *models.Firm, c models.Criterion, found func() map[string]string) (Status, []Evidence) {
	switch c.Kind {
	case models.CriterionSector, models.CriterionProduct, models.CriterionProcess, models.CriterionMaterial:
		return e.term(f, c, found)
	case models.CriterionCert:
		return e.cert(f, c)
	case models.CriterionCorridor, models.CriterionDistrict, models.CriterionZone:
		return e.place(f, c)
	case models.CriterionNear:
		return e.near(f, c)
	case models.CriterionSize:
		return e.size(f, c)
	case models.CriterionOwnership:
		if f.Ownership == "" {
			return StatusUnknown, []Evidence{ev("ownership_unknown")}
		}
		st := StatusNotMet
		if string(f.Ownership) == c.Code {
			st = StatusMet
		}
		return st, []Evidence{ev("ownership_is", "Ownership", MessageKey("ownership."+string(f.Ownership)))}
	case models.CriterionSPCNCL:
		return e.spcncl(f, c)
	case models.CriterionMarket:
		return e.market(f, c)
	case models.CriterionEquipment:
		return e.equipment(f, c)
	}
	return StatusUnknown, nil
}

// term: met when the firm is filed under the term (a product group's sector counts for the
// sector); partly when its own text names the concept but it is not filed under it.
func (e *evaluator) term(f *models.Firm, c models.Criterion, found func() map[string]string) (Status, []Evidence) {
	for _, t := range f.Terms {
		if t.Code == c.Code {
			return StatusMet, []Evidence{ev("term_listed", "Term", t.Label(e.lang))}
		}
	}
	if c.Kind == models.CriterionSector {
		for _, t := range f.Terms {
			if t.Parent == c.Code {
				return StatusMet, []Evidence{ev("term_via_product", "Product", t.Label(e.lang))}
			}
		}
	}
	if where, ok := found()[c.Code]; ok {
		return StatusPartly, []Evidence{ev("term_mentioned", "Where", MessageKey("evidence.where."+where))}
	}
	if len(f.Terms) == 0 && len(f.FreeTerms) == 0 && strings.TrimSpace(f.DescriptionVI+f.DescriptionEN) == "" {
		return StatusUnknown, []Evidence{ev("profile_silent")}
	}
	return StatusNotMet, []Evidence{ev("term_absent")}
}

// cert: met by a current certificate of the standard (verified by the Department when the
// criterion asks); partly by a current one only claimed when verification was asked; expired,
// rejected and revoked certificates never count.
func (e *evaluator) cert(f *models.Firm, c models.Criterion) (Status, []Evidence) {
	var claimed, lapsed []Evidence
	for i := range f.Certificates {
		cert := &f.Certificates[i]
		if standardCode(e.ref, cert.Standard) != c.Code {
			continue
		}
		label := cert.Label()
		switch cert.Status(e.now) {
		case models.CertVerified:
			args := []any{"Standard", label, "Verified", verifiedOn(cert)}
			if cert.Expires != nil {
				return StatusMet, []Evidence{ev("cert_verified_until", append(args, "Until", cert.Expires)...)}
			}
			return StatusMet, []Evidence{ev("cert_verified", args...)}
		case models.CertClaimed:
			x := ev("cert_claimed", "Standard", label)
			if cert.Expires != nil {
				x = ev("cert_claimed_until", "Standard", label, "Until", cert.Expires)
			}
			if !c.Verified {
				return StatusMet, []Evidence{x}
			}
			claimed = append(claimed, x)
		case models.CertExpired:
			lapsed = append(lapsed, ev("cert_expired", "Standard", label, "Until", cert.Expires))
		case models.CertRejected, models.CertRevoked:
			lapsed = append(lapsed, ev("cert_"+string(cert.Status(e.now)), "Standard", label))
		}
	}
	if len(claimed) > 0 {
		return StatusPartly, append(claimed, ev("cert_not_verified"))
	}
	if len(lapsed) > 0 {
		return StatusNotMet, lapsed
	}
	return StatusNotMet, []Evidence{ev("cert_none", "Standard", c.Code)}
}

// verifiedOn is the day the Department verified a certificate, or nil when it did not record it.
func verifiedOn(c *models.Certificate) any {
	if c.VerifiedAt == nil {
		return ""
	}
	return *c.VerifiedAt
}

// place: corridors, districts and parks are met by any of the firm's sites. Only sites placed
// in a former district or park can fail it: an address alone ("Hà Nội") does not say the site
// lies outside, so a firm with no other sites leaves the criterion unknown.
func (e *evaluator) place(f *models.Firm, c models.Criterion) (Status, []Evidence) {
	var others []string
	for _, s := range f.Sites {
		if s.District == "" && s.Zone == "" && !(c.Kind == models.CriterionCorridor && s.CorridorsSet) {
			continue
		}
		var on bool
		switch c.Kind {
		case models.CriterionCorridor:
			on = slices.Contains(s.Corridors, c.Code)
		case models.CriterionDistrict:
			on = s.District == c.Code
		case models.CriterionZone:
			on = s.Zone == c.Code
		}
		if on {
			return StatusMet, []Evidence{ev("site_in", "Place", e.placeOf(s))}
		}
		if p := e.placeOf(s); p != "" && !slices.Contains(others, p) {
			others = append(others, p)
		}
	}
	if len(others) == 0 {
		return StatusUnknown, []Evidence{ev("no_location")}
	}
	return StatusNotMet, []Evidence{ev("sites_elsewhere", "Places", strings.Join(others, "; "))}
}

// placeOf names where a site is: its park, else its former district, else its address.
func (e *evaluator) placeOf(s models.Site) string {
	if z, ok := e.ref.Zone(s.Zone); ok {
		return z.Label(e.lang)
	}
	if d, ok := e.ref.District(s.District); ok {
		return d.Label(e.lang)
	}
	return strings.TrimSpace(s.Address)
}

// near: met by a site within the distance, partly by one within half as far again; sites
// without coordinates leave it unknown.
func (e *evaluator) near(f *models.Firm, c models.Criterion) (Status, []Evidence) {
	n := c.Near
	best, at := math.Inf(1), -1
	for i, s := range f.Sites {
		if s.Latitude == nil || s.Longitude == nil {
			continue
		}
		if d := distanceKm(n.Lat, n.Lon, *s.Latitude, *s.Longitude); d < best {
			best, at = d, i
		}
	}
	if at < 0 {
		return StatusUnknown, []Evidence{ev("no_coordinates")}
	}
	place := e.placeOf(f.Sites[at])
	km := strconv.FormatFloat(math.Round(best*10)/10, 'f', -1, 64)
	x := ev("site_km", "Place", place, "Km", km)
	switch {
	case best <= n.Km:
		return StatusMet, []Evidence{x}
	case best <= n.Km*partlyNearFactor:
		return StatusPartly, []Evidence{x}
	}
	return StatusNotMet, []Evidence{x}
}

// distanceKm is the great-circle distance between two points.
func distanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const earthKm = 6371.0
	rad := math.Pi / 180
	dLat, dLon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthKm * math.Asin(math.Min(1, math.Sqrt(a)))
}

// size: met by the band asked, partly by the band next to it.
func (e *evaluator) size(f *models.Firm, c models.Criterion) (Status, []Evidence) {
	band := f.SizeBand()
	if band == models.SizeNone {
		return StatusUnknown, []Evidence{ev("employees_unknown")}
	}
	x := ev("employees", "Count", f.Employees, "Band", MessageKey("size."+string(band)))
	have, want := slices.Index(models.SizeBands, band), slices.Index(models.SizeBands, models.SizeBand(c.Code))
	switch d := have - want; {
	case d == 0:
		return StatusMet, []Evidence{x}
	case d == 1 || d == -1:
		return StatusPartly, []Evidence{x}
	}
	return StatusNotMet, []Evidence{x}
}

// spcncl: met by a key industrial product title (of the year asked, if one was).
func (e *evaluator) spcncl(f *models.Firm, c models.Criterion) (Status, []Evidence) {
	var other []Evidence
	for _, r := range f.Recognitions {
		x := ev("spcncl_title", "Year", strconv.Itoa(r.Year), "Product", r.Product)
		if c.Year == 0 || r.Year == c.Year {
			return StatusMet, []Evidence{x}
		}
		other = append(other, x)
	}
	if len(other) > 0 {
		return StatusPartly, other
	}
	return StatusNotMet, []Evidence{ev("spcncl_none")}
}

// market: met by exports to the country; partly by exports elsewhere; unknown when the profile
// names no export market.
func (e *evaluator) market(f *models.Firm, c models.Criterion) (Status, []Evidence) {
	var names []string
	for _, m := range f.ExportMarkets {
		co, ok := models.ResolveCountry(m)
		if !ok {
			names = append(names, m)
			continue
		}
		if co.Code == c.Code {
			return StatusMet, []Evidence{ev("exports_to", "Country", co.Label(e.lang))}
		}
		names = append(names, co.Label(e.lang))
	}
	if len(names) == 0 {
		return StatusUnknown, []Evidence{ev("markets_unknown")}
	}
	return StatusPartly, []Evidence{ev("exports_elsewhere", "Countries", strings.Join(names, ", "))}
}

// equipment: the machine must be listed; a threshold is compared with the largest amount in
// that unit the machine's type or specification states. A machine listed without that amount
// leaves the criterion unknown rather than failed.
func (e *evaluator) equipment(f *models.Firm, c models.Criterion) (Status, []Evidence) {
	need := c.Equipment
	if len(f.Equipment) == 0 {
		return StatusUnknown, []Evidence{ev("equipment_unknown")}
	}
	var below, unstated []Evidence
	for _, m := range f.Equipment {
		if !need.Matches(m) {
			continue
		}
		x := ev("machine", "Machine", machineText(m))
		if need.Unit == "" {
			return StatusMet, []Evidence{x}
		}
		q, ok := need.Quantity(m, need.Unit)
		switch {
		case ok && q >= need.Min:
			return StatusMet, []Evidence{x}
		case ok:
			below = append(below, ev("machine_below", "Machine", machineText(m),
				"Amount", strconv.FormatFloat(q, 'f', -1, 64)+" "+need.Unit))
		default:
			unstated = append(unstated, ev("machine_unstated", "Machine", machineText(m)))
		}
	}
	if len(unstated) > 0 {
		return StatusUnknown, unstated
	}
	if len(below) > 0 {
		return StatusNotMet, below
	}
	return StatusNotMet, []Evidence{ev("machine_none")}
}

// machineText writes a listed machine: "12 × máy dập 60–300 tấn (bàn 1.200 mm)".
func machineText(m models.Equipment) string {
	s := strings.TrimSpace(m.MachineType)
	if m.Count > 1 {
		s = fmt.Sprintf("%d × %s", m.Count, s)
	}
	if spec := strings.TrimSpace(m.Spec); spec != "" {
		s += " (" + spec + ")"
	}
	return s
}

// foundConcepts returns the concepts the firm's own text names, each with where it was first
// found (see foundSources): what lets a firm partly meet a term it is not filed under.
func foundConcepts(m *ConceptMatcher, f *models.Firm) map[string]string {
	out := map[string]string{}
	scan := func(text, lang, where string) {
		if strings.TrimSpace(text) == "" {
			return
		}
		for _, h := range m.matchNFC(normalizeText(text), lang) {
			if h.Concept != "" {
				if _, ok := out[h.Concept]; !ok {
					out[h.Concept] = where
				}
			}
		}
	}
	for _, ft := range f.FreeTerms {
		scan(ft.Text, "", foundInOwnWords)
	}
	scan(f.DescriptionVI, "vi", foundInVI)
	scan(f.DescriptionEN, "en", foundInEN)
	scan(f.NameVI, "vi", foundInName)
	scan(f.NameEN, "en", foundInName)
	for _, r := range f.Recognitions {
		scan(r.Product, "", foundInRecognition)
	}
	return out
}
