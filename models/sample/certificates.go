package sample

import (
	"fmt"
	"strings"
	"time"

	"github.com/hanoi-cnht/portal/models"
)

// chooseCertificates gives about two fifths of firms a current certificate, likelier for bigger
// and foreign-owned firms, and a few firms only certificates that have lapsed.
func (w *sampleWorld) chooseCertificates(sf *sampleFirm) {
	r := sf.r
	p := 0.09
	switch {
	case sf.Employees > 200:
		p = 0.82
	case sf.Employees > 100:
		p = 0.58
	case sf.Employees > 10:
		p = 0.31
	}
	switch sf.Ownership {
	case models.OwnershipFDI, models.OwnershipJointVenture:
		p += 0.15
	case models.OwnershipState:
		p += 0.05
	}
	sector := sf.sector.key()
	if sector == "o-to" || sector == "cong-nghe-cao" {
		p += 0.08
	}
	current := r.Float64() < p
	if !current {
		// Some firms let a certificate lapse and never renewed it.
		if r.Float64() < 0.07 {
			w.addCertificate(sf, "ISO 9001", false)
		}
		w.verifyFirm(sf, 0.28)
		return
	}
	products := map[string]bool{}
	for _, pr := range sf.products {
		products[pr.term.Code] = true
	}
	sectors := map[string]bool{sector: true}
	if sf.second != nil {
		sectors[sf.second.key()] = true
	}
	for _, plan := range sampleCertPlans {
		chance := plan.base
		for s, x := range plan.sectors {
			if sectors[s] {
				chance = max(chance, x)
			}
		}
		for pr, x := range plan.products {
			if products[pr] {
				chance = max(chance, x)
			}
		}
		if sf.Employees > 100 {
			chance *= plan.bigFactor
		}
		if r.Float64() < chance {
			w.addCertificate(sf, plan.standard, true)
		}
	}
	if len(sf.Certificates) == 0 {
		w.addCertificate(sf, "ISO 9001", true)
	}
	// A firm with current certificates sometimes still lists one that has run out.
	if r.Float64() < 0.08 {
		w.addCertificate(sf, choose(r, []string{"ISO 14001", "ISO 45001", "ISO 9001"}), false)
	}
	w.verifyFirm(sf, 0.53)
}

// verifyFirm marks, with probability p, the firm's profile as checked by the Department at some
// time in the last two and a half years.
func (w *sampleWorld) verifyFirm(sf *sampleFirm, p float64) {
	if sf.r.Float64() < p {
		at := w.asOf.Add(-time.Duration(1+sf.r.IntN(900*24)) * time.Hour)
		sf.VerifiedAt = &at
	}
}

func (w *sampleWorld) addCertificate(sf *sampleFirm, code string, current bool) {
	st, ok := w.standards[code]
	if !ok {
		return
	}
	for _, c := range sf.Certificates {
		if c.Standard == st.Code && current {
			return
		}
	}
	r := sf.r
	plan := certPlanFor(code)
	c := models.Certificate{Standard: st.Code}
	if prefix := st.Code + ":"; strings.HasPrefix(st.CurrentEdition, prefix) {
		c.Edition = strings.TrimPrefix(st.CurrentEdition, prefix)
	}
	if plan.years > 0 {
		days := 365 * plan.years
		var expires time.Time
		if current {
			expires = w.asOf.AddDate(0, 0, 20+r.IntN(days-25))
		} else {
			expires = w.asOf.AddDate(0, 0, -1-r.IntN(3*365))
		}
		issued := expires.AddDate(-plan.years, 0, 1)
		c.IssuedOn, c.Expires = &models.Date{Time: issued}, &models.Date{Time: expires}
		if current && r.Float64() < 0.4 {
			verified := issued.Add(time.Duration(r.IntN(int(w.asOf.Sub(issued)/time.Hour)+1)) * time.Hour)
			c.VerifiedAt = &verified
		}
	} else if current && r.Float64() < 0.3 {
		verified := w.asOf.Add(-time.Duration(1+r.IntN(700*24)) * time.Hour)
		c.VerifiedAt = &verified
	}
	c.Number = fmt.Sprintf("%s-%s-%05d", plan.numberPrefix, strings.ToUpper(choose(r, []string{"hn", "vn", "qa", "ms"})), r.IntN(100000))
	c.Issuer = choose(r, sampleIssuers)
	c.Scope = "Sản xuất " + lowerFirst(sf.products[0].term.LabelVI)
	if sf.english {
		c.Scope = "Manufacture of " + lowerFirst(sf.products[0].term.LabelEN)
	}
	sf.Certificates = append(sf.Certificates, c)
}

func certPlanFor(code string) certPlan {
	for _, p := range sampleCertPlans {
		if p.standard == code {
			return p
		}
	}
	return certPlan{standard: code, years: 3, numberPrefix: "QMS"}
}

// certPlan says how likely a certified firm is to hold a standard: base for every firm, more in
// the sectors or for the products named; bigFactor scales it for firms above 100 people.
type certPlan struct {
	standard     string
	base         float64
	sectors      map[string]float64
	products     map[string]float64
	bigFactor    float64
	years        int // validity; 0 for marks with no expiry date
	numberPrefix string
}

var sampleCertPlans = []certPlan{
	{"ISO 9001", 0.9, nil, nil, 1.05, 3, "QMS"},
	{"IATF 16949", 0, map[string]float64{"o-to": 0.38}, map[string]float64{"metal-stamping": 0.15, "casting-part": 0.15, "forging-part": 0.15}, 1.3, 3, "IATF"},
	{"ISO 14001", 0.22, nil, nil, 1.8, 3, "EMS"},
	{"ISO 45001", 0.08, nil, nil, 1.8, 3, "OHS"},
	{"ISO 13485", 0, map[string]float64{"cong-nghe-cao": 0.08}, map[string]float64{"medical-device-part": 0.6}, 1, 3, "MD"},
	{"AS9100", 0.005, map[string]float64{"cong-nghe-cao": 0.06}, map[string]float64{"aerospace-part": 0.55, "machine-part": 0.02}, 1, 3, "AS"},
	{"ISO/IEC 17025", 0.01, nil, nil, 2, 3, "LAB"},
	{"RoHS", 0, map[string]float64{"dien-tu": 0.35}, nil, 1, 1, "ROHS"},
	{"UL", 0, map[string]float64{"dien-tu": 0.08}, map[string]float64{"wire-cable": 0.45, "charger": 0.3}, 1, 0, "UL"},
	{"REACH", 0, map[string]float64{"det-may": 0.08, "da-giay": 0.12}, nil, 1, 1, "REACH"},
	{"OEKO-TEX", 0, map[string]float64{"det-may": 0.35}, nil, 1, 1, "OTS"},
	{"JIS", 0, map[string]float64{"co-khi": 0.03}, map[string]float64{"fastener-spring": 0.15}, 1, 3, "JIS"},
}

// sampleIssuers are invented certification bodies: naming real ones would make claims on their behalf.
var sampleIssuers = []string{"Red River Certification", "Lotus Assessment Services", "Meridian Quality Registrar",
	"Asia Standards Assessment", "Capital Quality Certification Centre", "Northern Quality Assurance"}
