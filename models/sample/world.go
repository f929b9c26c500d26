package sample

import (
	"strings"
	"time"

	"github.com/hanoi-cnht/portal/models"
)

// sampleWorld is the reference data resolved into weighted choices, built once per call.
type sampleWorld struct {
	ref       *models.Reference
	asOf      time.Time // midnight UTC of the day the data is made as of
	sectors   []*sampleSector
	zones     []sampleZone
	districts []sampleDistrict
	standards map[string]models.Standard // by the code used in sampleCertPlans
	denied    []string                   // deniedNames folded, each with a leading space
}

type sampleSector struct {
	term     models.Term
	profile  *sectorProfile
	products []sampleProduct
	partners []*sampleSector
}

// key is the sector's code as the sample tables (sample_profiles.go) name it, which stays the
// same if staff recode the taxonomy.
func (s *sampleSector) key() string { return s.profile.keys[0] }

type sampleProduct struct {
	term      models.Term
	weight    float64
	trades    []phrase
	processes []models.Term
	materials []models.Term
}

type sampleZone struct {
	zone     models.Zone
	weight   float64
	lat, lon float64 // 0 when unknown: the district's centre is used
	wards    []string
	boost    map[string]float64 // sector code → weight multiplier
}

type sampleDistrict struct {
	district models.District
	weight   float64 // as a firm's main site outside a park
	place    *districtPlace
}

func newSampleWorld(ref *models.Reference, asOf time.Time) *sampleWorld {
	asOf = asOf.UTC()
	w := &sampleWorld{ref: ref, asOf: time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC),
		standards: map[string]models.Standard{}}
	byCode := map[string]*sampleSector{}
	for i := range sectorProfiles {
		p := &sectorProfiles[i]
		t, ok := resolveFirst(ref, models.KindSector, p.keys)
		if !ok {
			continue
		}
		s := &sampleSector{term: t, profile: p}
		for _, pt := range ref.TermsOfKind(models.KindProduct) {
			if pt.Parent != t.Code {
				continue
			}
			sp := sampleProduct{term: pt, weight: 1}
			if pp, ok := productProfiles[pt.Code]; ok {
				sp.weight, sp.trades = pp.weight, pp.trades
				sp.processes = resolveAll(ref, models.KindProcess, pp.processes)
				sp.materials = resolveAll(ref, models.KindMaterial, pp.materials)
			}
			if len(sp.processes) == 0 {
				sp.processes = resolveAll(ref, models.KindProcess, p.processes)
			}
			if sp.weight > 0 {
				s.products = append(s.products, sp)
			}
		}
		if len(s.products) == 0 {
			continue // a sector without product groups cannot describe a firm
		}
		w.sectors = append(w.sectors, s)
		byCode[p.keys[0]] = s
	}
	for _, s := range w.sectors {
		for _, k := range s.profile.partners {
			if o, ok := byCode[k]; ok && o != s {
				s.partners = append(s.partners, o)
			}
		}
	}

	places := map[string]*districtPlace{}
	for i := range districtPlaces {
		if d, ok := ref.ResolveDistrict(districtPlaces[i].name); ok {
			places[d.Code] = &districtPlaces[i]
		}
	}
	for _, d := range ref.Districts {
		sd := sampleDistrict{district: d, place: places[d.Code]}
		if sd.place != nil {
			sd.weight = sd.place.weight
		}
		w.districts = append(w.districts, sd)
	}

	known := map[string]*zonePlace{}
	for i := range zonePlaces {
		if z, ok := ref.ResolveZone(zonePlaces[i].name); ok {
			known[z.Code] = &zonePlaces[i]
		}
	}
	for _, z := range ref.Zones {
		if !z.InHanoi || len(z.Districts) == 0 || !zoneOperating(z.Status) {
			continue
		}
		if _, ok := ref.District(z.Districts[0]); !ok {
			continue
		}
		sz := sampleZone{zone: z, weight: 1}
		if z.Kind == "kcn" || z.Kind == "kcnc" {
			sz.weight = 3
		}
		if zp := known[z.Code]; zp != nil {
			sz.weight, sz.lat, sz.lon, sz.wards, sz.boost = zp.weight, zp.lat, zp.lon, zp.wards, zp.boost
		}
		if sz.weight > 0 {
			w.zones = append(w.zones, sz)
		}
	}

	for _, d := range deniedNames {
		w.denied = append(w.denied, " "+models.FoldKey(d))
	}
	for _, p := range sampleCertPlans {
		if st, ok := ref.ResolveStandard(p.standard); ok {
			w.standards[p.standard] = st
		}
	}
	return w
}

// zoneOperating reports whether firms can already work in a zone with this status; planned parks
// and those still being built have no tenants to show.
func zoneOperating(status string) bool {
	s := strings.ToLower(status)
	for _, not := range []string{"planned", "under development", "construction", "approved"} {
		if strings.Contains(s, not) {
			return false
		}
	}
	return true
}

func resolveFirst(ref *models.Reference, kind models.TermKind, keys []string) (models.Term, bool) {
	for _, k := range keys {
		if t, ok := ref.ResolveTerm(kind, k); ok {
			return t, true
		}
	}
	return models.Term{}, false
}

// resolveAll looks up each key (a code or a label), skipping those the taxonomy does not have.
func resolveAll(ref *models.Reference, kind models.TermKind, keys []string) []models.Term {
	var out []models.Term
	for _, k := range keys {
		if t, ok := ref.ResolveTerm(kind, k); ok && !containsTerm(out, t.Code) {
			out = append(out, t)
		}
	}
	return out
}

func containsTerm(ts []models.Term, code string) bool {
	for _, t := range ts {
		if t.Code == code {
			return true
		}
	}
	return false
}
