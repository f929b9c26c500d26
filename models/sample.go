package models

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// GenerateSample returns firms start to start+n-1 of the fictional sample stream for seed. Firm i
// is the same whatever start and n are, so a database can be extended later (start = the number
// already made) without clashes: every i below 100,000,000 has its own tax code, and the first ten
// million use the block 019xxxxxxx, far above the codes Hanoi has issued, so a sample firm never
// takes the tax code of a real one. Dates (certificates, verification) are laid out around today
// (UTC), so a new database looks current whenever it is made; for output that never changes, use
// GenerateSampleAsOf.
func GenerateSample(ref *Reference, seed int64, start, n int) []*Firm {
	return GenerateSampleAsOf(ref, seed, start, n, time.Now())
}

// GenerateSampleAsOf is GenerateSample with the day the data is made as of; firms made as of the
// same day are identical. asOf must not be in the future, or certificates would be issued after
// the day they are checked.
func GenerateSampleAsOf(ref *Reference, seed int64, start, n int, asOf time.Time) []*Firm {
	if start < 0 {
		n, start = n+start, 0
	}
	w := newSampleWorld(ref, asOf)
	out := make([]*Firm, 0, max(n, 0))
	for i := start; i < start+n; i++ {
		out = append(out, w.firm(seed, i))
	}
	return out
}

// sampleTaxCode maps firm i to a 10-digit Hanoi-style code. Within each block of ten million the
// offset is scrambled by an affine map that is a bijection modulo 10^7 (the multiplier is prime to
// 10), so codes look unordered yet never repeat; the blocks count down from 019 so the first ten
// million firms stay clear of the 010/011 codes in real use.
func sampleTaxCode(i int) string {
	const block = 10_000_000
	b, off := i/block, i%block
	scrambled := (off*7_919_231 + 4_815_162) % block
	return fmt.Sprintf("01%08d", (90_000_000+b*block+scrambled)%100_000_000)
}

// sampleRand gives each firm its own generator, so firm i does not depend on the firms before it.
func sampleRand(seed int64, i int) *rand.Rand {
	s1 := splitmix(uint64(seed) ^ splitmix(uint64(i)))
	s2 := splitmix(uint64(i) + 0x9e3779b97f4a7c15)
	return rand.New(rand.NewPCG(s1, s2))
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// sampleWorld is the reference data resolved into weighted choices, built once per call.
type sampleWorld struct {
	ref       *Reference
	asOf      time.Time // midnight UTC of the day the data is made as of
	sectors   []*sampleSector
	zones     []sampleZone
	districts []sampleDistrict
	standards map[string]Standard // by the code used in sampleCertPlans
	denied    []string            // deniedNames folded, each with a leading space
}

type sampleSector struct {
	term     Term
	profile  *sectorProfile
	products []sampleProduct
	partners []*sampleSector
}

// key is the sector's code as the tables in this file name it, which stays the same if staff
// recode the taxonomy.
func (s *sampleSector) key() string { return s.profile.keys[0] }

type sampleProduct struct {
	term      Term
	weight    float64
	trades    []phrase
	processes []Term
	materials []Term
}

type sampleZone struct {
	zone     Zone
	weight   float64
	lat, lon float64 // 0 when unknown: the district's centre is used
	wards    []string
	boost    map[string]float64 // sector code → weight multiplier
}

type sampleDistrict struct {
	district District
	weight   float64 // as a firm's main site outside a park
	place    *districtPlace
}

func newSampleWorld(ref *Reference, asOf time.Time) *sampleWorld {
	asOf = asOf.UTC()
	w := &sampleWorld{ref: ref, asOf: time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC),
		standards: map[string]Standard{}}
	byCode := map[string]*sampleSector{}
	for i := range sectorProfiles {
		p := &sectorProfiles[i]
		t, ok := resolveFirst(ref, KindSector, p.keys)
		if !ok {
			continue
		}
		s := &sampleSector{term: t, profile: p}
		for _, pt := range ref.TermsOfKind(KindProduct) {
			if pt.Parent != t.Code {
				continue
			}
			sp := sampleProduct{term: pt, weight: 1}
			if pp, ok := productProfiles[pt.Code]; ok {
				sp.weight, sp.trades = pp.weight, pp.trades
				sp.processes = resolveAll(ref, KindProcess, pp.processes)
				sp.materials = resolveAll(ref, KindMaterial, pp.materials)
			}
			if len(sp.processes) == 0 {
				sp.processes = resolveAll(ref, KindProcess, p.processes)
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
		w.denied = append(w.denied, " "+FoldKey(d))
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

func resolveFirst(ref *Reference, kind TermKind, keys []string) (Term, bool) {
	for _, k := range keys {
		if t, ok := ref.ResolveTerm(kind, k); ok {
			return t, true
		}
	}
	return Term{}, false
}

// resolveAll looks up each key (a code or a label), skipping those the taxonomy does not have.
func resolveAll(ref *Reference, kind TermKind, keys []string) []Term {
	var out []Term
	for _, k := range keys {
		if t, ok := ref.ResolveTerm(kind, k); ok && !containsTerm(out, t.Code) {
			out = append(out, t)
		}
	}
	return out
}

func containsTerm(ts []Term, code string) bool {
	for _, t := range ts {
		if t.Code == code {
			return true
		}
	}
	return false
}

// sampleFirm carries the choices made for one firm while its text is written.
type sampleFirm struct {
	*Firm
	r         *rand.Rand
	sector    *sampleSector
	second    *sampleSector
	products  []sampleProduct
	processes []Term
	materials []Term
	english   bool // writes a description in English
	branch    bool
	trade     phrase
	core      phrase // trade words and distinctive name: "Cơ khí Chính xác Thăng Long"
	place     string // where the main site is, for the text
	placeEN   string
	machines  []phrase
	customers []phrase
	qc        phrase
}

func (w *sampleWorld) firm(seed int64, i int) *Firm {
	r := sampleRand(seed, i)
	sf := &sampleFirm{Firm: &Firm{TaxCode: sampleTaxCode(i), Sample: true}, r: r}
	if len(w.sectors) == 0 {
		sf.NameVI = "Công ty TNHH Mẫu " + sf.TaxCode
		return sf.Firm
	}
	w.chooseSectors(sf)
	w.chooseSize(sf)
	w.chooseTerms(sf)
	w.chooseName(sf)
	w.chooseSites(sf)
	w.chooseCertificates(sf)
	w.chooseCustomers(sf)
	w.chooseContact(sf)
	w.writeDescriptions(sf)
	return sf.Firm
}

func (w *sampleWorld) chooseSectors(sf *sampleFirm) {
	weights := make([]float64, len(w.sectors))
	for i, s := range w.sectors {
		weights[i] = s.profile.share
	}
	sf.sector = w.sectors[pickWeighted(sf.r, weights)]
	if len(sf.sector.partners) > 0 && sf.r.Float64() < 0.2 {
		sf.second = sf.sector.partners[sf.r.IntN(len(sf.sector.partners))]
	}
}

func (w *sampleWorld) chooseSize(sf *sampleFirm) {
	r := sf.r
	u := r.Float64()
	var ownership []float64 // private, state, fdi, jv
	switch {
	case u < 0.25:
		sf.Employees = 3 + r.IntN(8)
		ownership = []float64{95, 1, 3, 1}
	case u < 0.75:
		sf.Employees = 11 + int(90*math.Pow(r.Float64(), 1.7))
		ownership = []float64{85, 4, 8, 3}
	case u < 0.90:
		sf.Employees = 101 + r.IntN(100)
		ownership = []float64{65, 8, 20, 7}
	default:
		sf.Employees = 201 + int(2800*math.Pow(r.Float64(), 3))
		ownership = []float64{45, 12, 35, 8}
	}
	sf.Ownership = Ownerships[pickWeighted(r, ownership)]
	last := min(2024, w.asOf.Year())
	switch sf.Ownership {
	case OwnershipState:
		sf.FoundedYear = 1990 + r.IntN(16)
	case OwnershipFDI, OwnershipJointVenture:
		sf.FoundedYear = 1996 + r.IntN(max(last-1996+1, 1))
	default:
		// Most private firms were founded after the 2000 Enterprise Law; a triangular spread
		// centred on the late 2000s.
		sf.FoundedYear = 1993 + int(float64(last-1993+1)*(r.Float64()+r.Float64())/2)
	}
	sf.FoundedYear = min(sf.FoundedYear, last)
}

func (w *sampleWorld) chooseTerms(sf *sampleFirm) {
	r := sf.r
	n := 1 + pickWeighted(r, []float64{35, 35, 20, 10})
	sf.products = pickProducts(r, sf.sector.products, n)
	if sf.second != nil {
		sf.products = append(sf.products, pickProducts(r, sf.second.products, min(1+r.IntN(2), 5-len(sf.products)))...)
	}
	var procs, mats []Term
	for _, p := range sf.products {
		for _, t := range shuffled(r, p.processes) {
			if !containsTerm(procs, t.Code) && len(procs) < min(2+len(sf.products), 5) {
				procs = append(procs, t)
			}
		}
		for _, t := range shuffled(r, p.materials) {
			if !containsTerm(mats, t.Code) && len(mats) < 3 {
				mats = append(mats, t)
			}
		}
	}
	// Not every firm fills in everything: some list no processes or no materials.
	if r.Float64() < 0.12 {
		procs = nil
	}
	if r.Float64() < 0.3 {
		mats = nil
	}
	sf.processes, sf.materials = procs, mats
	sf.Terms = append(sf.Terms, sf.sector.term)
	if sf.second != nil {
		sf.Terms = append(sf.Terms, sf.second.term)
	}
	for _, p := range sf.products {
		sf.Terms = append(sf.Terms, p.term)
	}
	sf.Terms = append(sf.Terms, procs...)
	sf.Terms = append(sf.Terms, mats...)
	if r.Float64() < 0.1 {
		ft := freeProducts[r.IntN(len(freeProducts))]
		sf.FreeTerms = append(sf.FreeTerms, FreeTerm{Kind: KindProduct, Text: ft})
	}
	for _, p := range sf.processes {
		if m, ok := processMachines[p.Code]; ok && len(sf.machines) < 3 {
			sf.machines = append(sf.machines, m.count(machineCount(r, sf.Employees, m.most)))
		}
	}
	if len(sf.machines) == 0 {
		m := sf.sector.profile.machines[r.IntN(len(sf.sector.profile.machines))]
		sf.machines = append(sf.machines, m)
	}
	sf.qc = qcInstruments[r.IntN(len(qcInstruments))]
}

// machineCount is how many machines of a kind a firm of this size has, at most most.
func machineCount(r *rand.Rand, employees, most int) int {
	return min(1+r.IntN(2+min(employees, 400)/12), most)
}

func pickProducts(r *rand.Rand, from []sampleProduct, n int) []sampleProduct {
	if len(from) == 0 {
		return nil
	}
	weights := make([]float64, len(from))
	for i, p := range from {
		weights[i] = p.weight
	}
	var out []sampleProduct
	for len(out) < n && len(out) < len(from) {
		k := pickWeighted(r, weights)
		out = append(out, from[k])
		weights[k] = 0
	}
	return out
}

func shuffled(r *rand.Rand, ts []Term) []Term {
	out := append([]Term(nil), ts...)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// pickWeighted returns an index drawn with the given weights; all-zero weights draw uniformly.
func pickWeighted(r *rand.Rand, weights []float64) int {
	total := 0.0
	for _, x := range weights {
		total += x
	}
	if total <= 0 {
		return r.IntN(len(weights))
	}
	u := r.Float64() * total
	for i, x := range weights {
		if u < x {
			return i
		}
		u -= x
	}
	return len(weights) - 1
}

func choose[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// chooseName builds a legal name from a legal form, trade words and a distinctive name, the way
// Vietnamese firms are named, and decides whether the firm writes in English at all.
func (w *sampleWorld) chooseName(sf *sampleFirm) {
	r := sf.r
	// English is likelier for bigger and foreign-owned firms.
	pEN := 0.58
	switch {
	case sf.Ownership == OwnershipFDI || sf.Ownership == OwnershipJointVenture:
		pEN = 0.92
	case sf.Employees > 100:
		pEN = 0.7
	case sf.Employees <= 10:
		pEN = 0.42
	}
	hasNameEN := r.Float64() < pEN
	sf.english = hasNameEN && r.Float64() < 0.68

	sf.trade = choose(r, sf.sector.profile.trades)
	if p := sf.products[0]; len(p.trades) > 0 && r.Float64() < 0.55 {
		sf.trade = choose(r, p.trades)
	}
	distinct := w.distinctName(sf)
	for tries := 0; tries < 50 && w.deniedName(sf.trade.vi+" "+distinct.vi); tries++ {
		distinct = w.distinctName(sf)
	}
	sf.core = phrase{sf.trade.vi + " " + distinct.vi, distinct.en + " " + sf.trade.en}

	form := legalForms[pickWeighted(r, formWeights(sf.Ownership))]
	var middle phrase
	if r.Float64() < 0.25 {
		middle = choose(r, nameMiddles)
	}
	nameVI, nameEN := sf.core.vi, sf.core.en
	if middle.vi != "" {
		if r.Float64() < 0.5 {
			nameVI, nameEN = middle.vi+" "+distinct.vi, distinct.en+" "+middle.en
		} else {
			nameVI, nameEN = middle.vi+" "+sf.core.vi, distinct.en+" "+sf.trade.en+" "+middle.en
		}
	}
	if sf.Ownership == OwnershipFDI && !isPartnerName(distinct) && r.Float64() < 0.5 {
		nameVI, nameEN = nameVI+" Việt Nam", nameEN+" Vietnam"
	}
	sf.NameVI = form.vi + " " + nameVI
	if hasNameEN {
		sf.NameEN = nameEN + " " + form.en
	}
	// A few records are a branch (a plant) registered under its parent's code with a suffix;
	// the plant is named once its place is known.
	sf.branch = r.Float64() < 0.02

	switch u := r.Float64(); {
	case u < 0.55:
		sf.ShortName = sf.core.vi
	case u < 0.8:
		sf.ShortName = strings.ToUpper(strings.ReplaceAll(distinct.en, " ", "")) + " " + strings.ToUpper(sf.trade.short())
	default:
		sf.ShortName = initials(sf.core.vi)
		if form.en == "JSC" {
			sf.ShortName += " JSC"
		} else {
			sf.ShortName += " CO"
		}
	}
}

// short is the first word of the English trade words, for brand-like short names ("MOULD").
func (p phrase) short() string {
	words := strings.Fields(p.en)
	if len(words) > 1 && (words[0] == "Precision" || words[0] == "Technical" || words[0] == "Engineering") {
		return words[1]
	}
	return words[0]
}

func (w *sampleWorld) distinctName(sf *sampleFirm) phrase {
	r := sf.r
	if (sf.Ownership == OwnershipFDI || sf.Ownership == OwnershipJointVenture) && r.Float64() < 0.6 {
		return choose(r, partnerNames)
	}
	if r.Float64() < 0.35 {
		return choose(r, placeNames)
	}
	a := choose(r, nameSyllablesA)
	b := choose(r, nameSyllablesB)
	for b == a {
		b = choose(r, nameSyllablesB)
	}
	return phrase{a + " " + b, asciiName(a + " " + b)}
}

func isPartnerName(p phrase) bool {
	for _, x := range partnerNames {
		if x == p {
			return true
		}
	}
	return false
}

// deniedName reports whether a name ends in a real company's name.
func (w *sampleWorld) deniedName(name string) bool {
	k := " " + FoldKey(name)
	for _, d := range w.denied {
		if strings.HasSuffix(k, d) {
			return true
		}
	}
	return false
}

func formWeights(o Ownership) []float64 {
	// legalForms: TNHH, Cổ phần, TNHH MTV
	switch o {
	case OwnershipState:
		return []float64{0, 55, 45}
	case OwnershipFDI, OwnershipJointVenture:
		return []float64{80, 10, 10}
	}
	return []float64{50, 30, 20}
}

// initials makes an upper-case abbreviation from a name's syllables ("Cơ khí Thăng Long" → "CKTL").
func initials(s string) string {
	var b strings.Builder
	for _, w := range strings.Fields(asciiName(s)) {
		if r, _ := utf8.DecodeRuneInString(w); unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

// domainLabel makes a web-address label from a name: "Điện – Điện tử" → "diendientu".
func domainLabel(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(asciiName(s)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// asciiName drops Vietnamese diacritics but keeps case ("Thăng Long" → "Thang Long").
func asciiName(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			b.WriteByte('d')
		case r == 'Đ':
			b.WriteByte('D')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (w *sampleWorld) chooseSites(sf *sampleFirm) {
	r := sf.r
	inZone := 0.45
	switch {
	case sf.Ownership == OwnershipFDI || sf.Ownership == OwnershipJointVenture:
		inZone = 0.8
	case sf.Employees <= 10:
		inZone = 0.25
	}
	main := w.site(sf, r.Float64() < inZone, "")
	sf.Sites = append(sf.Sites, main)
	if d, ok := w.ref.District(main.District); ok && sf.branch {
		sf.TaxCode += "-001"
		sf.NameVI = "Chi nhánh " + sf.NameVI + " – Nhà máy " + d.NameVI
		if sf.NameEN != "" {
			sf.NameEN += " – " + d.NameEN + " Factory"
		}
	}
	if r.Float64() < 0.07 {
		second := w.site(sf, r.Float64() < 0.4, main.District)
		if r.Float64() < 0.5 {
			lat, lon := w.centre(second)
			second.Latitude, second.Longitude = jitter(r, lat, lon)
		}
		sf.Sites = append(sf.Sites, second)
	}
	if r.Float64() < 0.5 {
		lat, lon := w.centre(sf.Sites[0])
		sf.Sites[0].Latitude, sf.Sites[0].Longitude = jitter(r, lat, lon)
	}
}

// site places one site in a park or cluster, or at an address in an industrial district other
// than avoid.
func (w *sampleWorld) site(sf *sampleFirm, inZone bool, avoid string) Site {
	r := sf.r
	if inZone && len(w.zones) > 0 {
		weights := make([]float64, len(w.zones))
		for i, z := range w.zones {
			weights[i] = z.weight
			if b, ok := z.boost[sf.sector.key()]; ok {
				weights[i] *= b
			}
			if z.zone.Districts[0] == avoid {
				weights[i] = 0
			}
		}
		z := w.zones[pickWeighted(r, weights)]
		d := choose(r, z.zone.Districts)
		s := Site{District: d, Zone: z.zone.Code, Address: zoneAddress(r, z.zone)}
		s.Ward = w.zoneWard(r, z, d)
		if sf.place == "" {
			sf.place, sf.placeEN = z.zone.NameVI, z.zone.Label("en")
		}
		return s
	}
	if len(w.districts) == 0 {
		return Site{Address: "Hà Nội"}
	}
	weights := make([]float64, len(w.districts))
	for i, d := range w.districts {
		weights[i] = d.weight
		if d.district.Code == avoid {
			weights[i] = 0
		}
	}
	d := w.districts[pickWeighted(r, weights)]
	s := Site{District: d.district.Code, Ward: w.ward(r, d.district.Code)}
	if d.place != nil && len(d.place.streets) > 0 && r.Float64() < 0.7 {
		street := choose(r, d.place.streets)
		switch u := r.Float64(); {
		case u < 0.3 && strings.HasPrefix(street, "Quốc lộ"):
			s.Address = fmt.Sprintf("Km %d+%03d, %s", 5+r.IntN(30), 100*r.IntN(10), street)
		case u < 0.7:
			s.Address = fmt.Sprintf("Số %d, %s", 1+r.IntN(250), street)
		default:
			s.Address = fmt.Sprintf("Số %d, ngõ %d, %s", 1+r.IntN(60), 2+2*r.IntN(200), street)
		}
	} else {
		s.Address = fmt.Sprintf("%s %s", choose(r, []string{"Thôn", "Xóm", "Tổ dân phố", "Cụm sản xuất làng nghề thôn"}), choose(r, hamletNames))
	}
	if sf.place == "" {
		sf.place, sf.placeEN = d.district.PrefixVI+" "+d.district.NameVI, d.district.NameEN
		if d.district.Kind != "urban" && d.district.Kind != "town" {
			sf.placeEN += " district"
		}
	}
	return s
}

func zoneAddress(r *rand.Rand, z Zone) string {
	switch z.Kind {
	case "kcnc":
		return fmt.Sprintf("Lô CN%d-%02d, %s", 1+r.IntN(4), 1+r.IntN(30), z.NameVI)
	case "ccn":
		if r.Float64() < 0.5 {
			return fmt.Sprintf("Nhà xưởng số %d, %s", 1+r.IntN(40), z.NameVI)
		}
		return fmt.Sprintf("Lô %d, %s", 1+r.IntN(120), z.NameVI)
	}
	if r.Float64() < 0.5 {
		return fmt.Sprintf("Lô %c-%d, %s", 'A'+rune(r.IntN(8)), 1+r.IntN(60), z.NameVI)
	}
	return fmt.Sprintf("Lô %d, %s", 1+r.IntN(120), z.NameVI)
}

// ward names a plausible ward or commune (in force since July 2025) of the former district.
func (w *sampleWorld) ward(r *rand.Rand, district string) string {
	if wards := w.districtWards(district); len(wards) > 0 {
		return choose(r, wards)
	}
	return ""
}

// zoneWard names the ward or commune a park lies in, among those of the chosen district when
// the park spans two.
func (w *sampleWorld) zoneWard(r *rand.Rand, z sampleZone, district string) string {
	var wards []string
	for _, name := range z.wards {
		if len(z.zone.Districts) == 1 || slices.Contains(w.districtWards(district), name) {
			wards = append(wards, name)
		}
	}
	if len(wards) == 0 {
		return w.ward(r, district)
	}
	return choose(r, wards)
}

func (w *sampleWorld) districtWards(district string) []string {
	for _, d := range w.districts {
		if d.district.Code == district && d.place != nil {
			return d.place.wards
		}
	}
	return nil
}

func (w *sampleWorld) centre(s Site) (float64, float64) {
	for _, z := range w.zones {
		if z.zone.Code == s.Zone && z.lat != 0 {
			return z.lat, z.lon
		}
	}
	for _, d := range w.districts {
		if d.district.Code == s.District && d.place != nil {
			return d.place.lat, d.place.lon
		}
	}
	return 21.028, 105.834 // the city centre
}

func jitter(r *rand.Rand, lat, lon float64) (*float64, *float64) {
	la := math.Round((lat+(r.Float64()-0.5)*0.03)*1e5) / 1e5
	lo := math.Round((lon+(r.Float64()-0.5)*0.03)*1e5) / 1e5
	return &la, &lo
}

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
	case OwnershipFDI, OwnershipJointVenture:
		p += 0.15
	case OwnershipState:
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
	c := Certificate{Standard: st.Code}
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
		c.IssuedOn, c.Expires = &Date{issued}, &Date{expires}
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

// chooseCustomers picks export markets, key customers and key-product titles.
func (w *sampleWorld) chooseCustomers(sf *sampleFirm) {
	r := sf.r
	p := 0.27
	switch {
	case sf.Ownership == OwnershipFDI || sf.Ownership == OwnershipJointVenture:
		p = 0.75
	case sf.Employees > 100:
		p = 0.5
	case sf.Employees <= 10:
		p = 0.08
	}
	if r.Float64() < p {
		markets := sf.sector.profile.markets
		n := 1 + pickWeighted(r, []float64{45, 30, 15, 10})
		for _, m := range shuffledStrings(r, markets) {
			if len(sf.ExportMarkets) >= n {
				break
			}
			if c, ok := ResolveCountry(m); ok {
				sf.ExportMarkets = append(sf.ExportMarkets, c.Code)
			}
		}
	}
	if r.Float64() < 0.72 {
		n := 1 + r.IntN(3)
		for _, c := range shuffledPhrases(r, sf.sector.profile.customers) {
			if len(sf.customers) >= n {
				break
			}
			sf.customers = append(sf.customers, c)
		}
		for _, c := range sf.customers {
			if sf.english {
				sf.KeyCustomers = append(sf.KeyCustomers, upperFirst(c.en))
			} else {
				sf.KeyCustomers = append(sf.KeyCustomers, upperFirst(c.vi))
			}
		}
	}
	// Key industrial products are recognised mostly among established, larger firms.
	pr := 0.025
	if sf.Employees > 100 {
		pr = 0.13
	}
	if r.Float64() < pr {
		lastYear := min(2025, w.asOf.Year())
		year := 2018 + r.IntN(max(lastYear-2018+1, 1))
		product := productTitle(r, sf)
		sf.Recognitions = append(sf.Recognitions, Recognition{Year: year, Product: product})
		if year+3 <= lastYear && r.Float64() < 0.4 {
			sf.Recognitions = append(sf.Recognitions, Recognition{Year: year + 3, Product: product})
		}
	}
}

// productTitle names a recognised product the way the city's lists do: a specific product with
// the firm's brand ("Khuôn ép nhựa chính xác Minh Phát").
func productTitle(r *rand.Rand, sf *sampleFirm) string {
	label := sf.products[0].term.LabelVI
	if t, ok := recognitionTitles[sf.products[0].term.Code]; ok {
		label = choose(r, t)
	}
	brand := sf.ShortName
	if strings.HasSuffix(brand, " JSC") || strings.HasSuffix(brand, " CO") {
		brand = strings.TrimSuffix(strings.TrimSuffix(brand, " JSC"), " CO")
	}
	return label + " " + brand
}

func shuffledStrings(r *rand.Rand, xs []string) []string {
	out := append([]string(nil), xs...)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func shuffledPhrases(r *rand.Rand, xs []phrase) []phrase {
	out := append([]phrase(nil), xs...)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func (w *sampleWorld) chooseContact(sf *sampleFirm) {
	r := sf.r
	domain := ""
	if r.Float64() < 0.45+min(float64(sf.Employees)/200, 0.5) {
		stem := domainLabel(sf.trade.vi)
		if len(strings.Fields(sf.trade.vi)) > 2 {
			stem = strings.ToLower(initials(sf.trade.vi))
		}
		domain = stem + domainLabel(sf.core.vi[len(sf.trade.vi):]) + choose(r, []string{".com.vn", ".com.vn", ".vn", ".com"})
		if r.Float64() < 0.15 {
			domain = strings.ToLower(initials(sf.core.vi)) + choose(r, []string{".vn", ".com.vn"})
		}
		sf.Website = "https://" + choose(r, []string{"", "www."}) + domain
		if r.Float64() < 0.85 {
			sf.Email = choose(r, []string{"info", "sales", "kinhdoanh", "contact", "info", "lienhe"}) + "@" + domain
		}
	}
	if r.Float64() < 0.7 {
		sf.Phone = fmt.Sprintf("024 %d%03d %04d", choose(r, []int{3, 3, 3, 6, 2}), r.IntN(1000), r.IntN(10000))
	} else {
		sf.Phone = fmt.Sprintf("%s%d %03d %03d", choose(r, mobilePrefixes), r.IntN(10), r.IntN(1000), r.IntN(1000))
	}
	if r.Float64() < 0.8 {
		sf.ContactName = personName(r)
	}
}

func personName(r *rand.Rand) string {
	family := familyNames[pickWeighted(r, familyWeights)]
	if r.Float64() < 0.55 {
		return family + " " + choose(r, maleMiddle) + " " + choose(r, maleGiven)
	}
	return family + " " + choose(r, femaleMiddle) + " " + choose(r, femaleGiven)
}

// writeDescriptions writes two to four sentences about the firm, in Vietnamese and, for some
// firms, in English, picking among several openings and sentence shapes so profiles differ.
func (w *sampleWorld) writeDescriptions(sf *sampleFirm) {
	r := sf.r
	ctx := descContext{
		name:       sf.NameVI,
		short:      sf.ShortName,
		year:       sf.FoundedYear,
		employees:  sf.Employees,
		area:       100 * (3 + r.IntN(8) + sf.Employees/4),
		products:   termLabels(firstN(sf.productTerms(), 3), "vi"),
		processes:  termLabels(sf.processes, "vi"),
		materials:  termLabels(sf.materials, "vi"),
		machines:   phraseSide(sf.machines, "vi"),
		customers:  phraseSide(firstN(sf.customers, 2), "vi"),
		industries: phraseSide(pickN(r, sf.sector.profile.industries, 2+r.IntN(2)), "vi"),
		sector:     lowerFirst(sf.sector.term.LabelVI),
		place:      sf.place,
		qc:         sf.qc.vi,
		markets:    countryNames(sf.ExportMarkets, "vi"),
		certs:      sf.currentCertLabels(w.asOf),
	}
	// Which sentences to write: an opening, then two or three of the others, in a fixed order.
	picks := sentencePlan(r, ctx)
	sf.DescriptionVI = composeDescription(viSentences, ctx, picks, "vi")
	if sf.english {
		ctx.name = sf.NameEN
		if sf.ShortName == sf.core.vi {
			ctx.short = sf.core.en
		}
		ctx.products = termLabels(firstN(sf.productTerms(), 3), "en")
		ctx.processes = termLabels(sf.processes, "en")
		ctx.materials = termLabels(sf.materials, "en")
		ctx.machines = phraseSide(sf.machines, "en")
		ctx.customers = phraseSide(firstN(sf.customers, 2), "en")
		ctx.industries = phraseSide(pickN(r, sf.sector.profile.industries, 2+r.IntN(2)), "en")
		ctx.sector = lowerFirst(sf.sector.term.LabelEN)
		ctx.place = sf.placeEN
		ctx.qc = sf.qc.en
		ctx.markets = countryNames(sf.ExportMarkets, "en")
		sf.DescriptionEN = composeDescription(enSentences, ctx, picks, "en")
	}
}

func (sf *sampleFirm) productTerms() []Term {
	out := make([]Term, len(sf.products))
	for i, p := range sf.products {
		out[i] = p.term
	}
	return out
}

func (sf *sampleFirm) currentCertLabels(asOf time.Time) []string {
	var out []string
	for _, c := range sf.Certificates {
		if c.Current(asOf) {
			out = append(out, c.Label())
		}
	}
	return out
}

func firstN[T any](xs []T, n int) []T { return xs[:min(n, len(xs))] }

func pickN[T any](r *rand.Rand, xs []T, n int) []T {
	idx := r.Perm(len(xs))
	out := make([]T, 0, n)
	for _, i := range idx[:min(n, len(xs))] {
		out = append(out, xs[i])
	}
	return out
}

func termLabels(ts []Term, lang string) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = lowerFirst(t.Label(lang))
	}
	return out
}

func phraseSide(ps []phrase, lang string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.vi
		if lang == "en" {
			out[i] = p.en
		}
	}
	return out
}

func countryNames(codes []string, lang string) []string {
	var out []string
	for _, c := range codes {
		if country, ok := ResolveCountry(c); ok {
			out = append(out, country.Label(lang))
		}
	}
	return out
}

// descContext is what a sentence template can say about a firm, in one language.
type descContext struct {
	name, short, sector, place, qc                                  string
	year, employees, area                                           int
	products, processes, materials, machines, customers, industries []string
	markets, certs                                                  []string
}

// sentence is one template: kind orders sentences in a description; ok says whether the firm has
// what the sentence needs; text writes it.
type sentence struct {
	kind int
	ok   func(c descContext) bool
	text func(c descContext, lang string) string
}

// placeSaid reports whether a sentence names the firm's place, so a later one need not repeat it.
func placeSaid(s string, c descContext) bool { return c.place != "" && strings.Contains(s, c.place) }

const (
	sentOpening = iota
	sentCapability
	sentCustomers
	sentQuality
)

// sentencePlan picks, for each kind, which template is used, or -1 to leave that kind out. The
// same plan drives both languages, so the English text says what the Vietnamese says.
func sentencePlan(r *rand.Rand, c descContext) [4]int {
	plan := [4]int{}
	for k := range plan {
		plan[k] = -1
		var options []int
		for i, s := range viSentences {
			if s.kind == k && s.ok(c) {
				options = append(options, i)
			}
		}
		if len(options) > 0 {
			plan[k] = choose(r, options)
		}
	}
	// Keep the opening and one to three of the rest.
	keep := 1 + r.IntN(3)
	for _, k := range r.Perm(3) {
		if plan[k+1] < 0 {
			continue
		}
		if keep == 0 {
			plan[k+1] = -1
			continue
		}
		keep--
	}
	return plan
}

func composeDescription(templates []sentence, c descContext, plan [4]int, lang string) string {
	var parts []string
	for _, i := range plan {
		if i < 0 {
			continue
		}
		text := templates[i].text(c, lang)
		if placeSaid(text, c) {
			c.place = ""
		}
		parts = append(parts, text)
	}
	return strings.Join(parts, " ")
}

func has(xs []string) bool { return len(xs) > 0 }

func always(descContext) bool { return true }

// viSentences and enSentences are parallel: template i says the same thing in both languages.
var viSentences = []sentence{
	{sentOpening, always, func(c descContext, _ string) string {
		return fmt.Sprintf("%s chuyên sản xuất %s cho %s.", c.short, joinVI(c.products), joinVI(c.industries))
	}},
	{sentOpening, always, func(c descContext, _ string) string {
		return fmt.Sprintf("Thành lập năm %d, %s là nhà sản xuất %s tại %s.", c.year, c.short, joinVI(c.products), c.place)
	}},
	{sentOpening, always, func(c descContext, _ string) string {
		return fmt.Sprintf("Chúng tôi sản xuất %s theo bản vẽ và yêu cầu kỹ thuật của khách hàng trong các ngành %s.", joinVI(c.products), joinVI(c.industries))
	}},
	{sentOpening, always, func(c descContext, _ string) string {
		return fmt.Sprintf("%s được thành lập năm %d, hoạt động trong lĩnh vực %s với sản phẩm chính là %s.", c.name, c.year, c.sector, joinVI(c.products))
	}},
	{sentOpening, func(c descContext) bool { return has(c.materials) }, func(c descContext, _ string) string {
		return fmt.Sprintf("%s cung cấp %s từ %s cho %s.", c.short, joinVI(c.products), joinVI(c.materials), joinVI(c.industries))
	}},
	{sentCapability, always, func(c descContext, _ string) string {
		if c.place == "" {
			return fmt.Sprintf("Nhà xưởng rộng %s m² được trang bị %s.", thousands(c.area, "."), joinVI(c.machines))
		}
		return fmt.Sprintf("Nhà xưởng rộng %s m² tại %s được trang bị %s.", thousands(c.area, "."), c.place, joinVI(c.machines))
	}},
	{sentCapability, func(c descContext) bool { return has(c.processes) }, func(c descContext, _ string) string {
		return fmt.Sprintf("Công ty đầu tư %s, thực hiện khép kín các công đoạn %s.", joinVI(c.machines), joinVI(c.processes))
	}},
	{sentCapability, func(c descContext) bool { return has(c.processes) }, func(c descContext, _ string) string {
		return fmt.Sprintf("Năng lực chính: %s.", joinVI(c.processes))
	}},
	{sentCapability, always, func(c descContext, _ string) string {
		return fmt.Sprintf("Đội ngũ %d cán bộ, kỹ sư và công nhân vận hành %s.", c.employees, joinVI(c.machines))
	}},
	{sentCustomers, func(c descContext) bool { return has(c.customers) }, func(c descContext, _ string) string {
		return fmt.Sprintf("Khách hàng chính là %s.", joinVI(c.customers))
	}},
	{sentCustomers, func(c descContext) bool { return has(c.customers) }, func(c descContext, _ string) string {
		return fmt.Sprintf("Sản phẩm của công ty được cung cấp ổn định cho %s.", joinVI(c.customers))
	}},
	{sentCustomers, func(c descContext) bool { return has(c.markets) }, func(c descContext, _ string) string {
		return fmt.Sprintf("Ngoài thị trường trong nước, công ty xuất khẩu sang %s.", joinVI(c.markets))
	}},
	{sentCustomers, func(c descContext) bool { return has(c.customers) && has(c.markets) }, func(c descContext, _ string) string {
		return fmt.Sprintf("Công ty là nhà cung cấp cho %s và xuất khẩu trực tiếp sang %s.", c.customers[0], joinVI(c.markets))
	}},
	{sentQuality, func(c descContext) bool { return has(c.certs) }, func(c descContext, _ string) string {
		return fmt.Sprintf("Hệ thống quản lý được chứng nhận %s.", joinVI(c.certs))
	}},
	{sentQuality, func(c descContext) bool { return has(c.certs) }, func(c descContext, _ string) string {
		return fmt.Sprintf("Công ty duy trì hệ thống quản lý theo %s và kiểm soát chất lượng bằng %s.", joinVI(c.certs), c.qc)
	}},
	{sentQuality, func(c descContext) bool { return !has(c.certs) }, func(c descContext, _ string) string {
		return "Công ty đang xây dựng hệ thống quản lý chất lượng theo ISO 9001."
	}},
	{sentQuality, always, func(c descContext, _ string) string {
		return fmt.Sprintf("Mọi sản phẩm đều được kiểm tra bằng %s trước khi xuất xưởng.", c.qc)
	}},
}

var enSentences = []sentence{
	{sentOpening, always, func(c descContext, _ string) string {
		return fmt.Sprintf("%s makes %s for the %s industries.", c.short, joinEN(c.products), joinEN(c.industries))
	}},
	{sentOpening, always, func(c descContext, _ string) string {
		return fmt.Sprintf("Founded in %d, %s manufactures %s in %s.", c.year, c.short, joinEN(c.products), c.place)
	}},
	{sentOpening, always, func(c descContext, _ string) string {
		return fmt.Sprintf("We make %s to customers' drawings and specifications for the %s industries.", joinEN(c.products), joinEN(c.industries))
	}},
	{sentOpening, always, func(c descContext, _ string) string {
		return fmt.Sprintf("%s was founded in %d and works in %s; its main products are %s.", c.name, c.year, c.sector, joinEN(c.products))
	}},
	{sentOpening, func(c descContext) bool { return has(c.materials) }, func(c descContext, _ string) string {
		return fmt.Sprintf("%s supplies %s in %s to the %s industries.", c.short, joinEN(c.products), joinEN(c.materials), joinEN(c.industries))
	}},
	{sentCapability, always, func(c descContext, _ string) string {
		if c.place == "" {
			return fmt.Sprintf("Our %s m² plant is equipped with %s.", thousands(c.area, ","), joinEN(c.machines))
		}
		return fmt.Sprintf("Our %s m² plant in %s is equipped with %s.", thousands(c.area, ","), c.place, joinEN(c.machines))
	}},
	{sentCapability, func(c descContext) bool { return has(c.processes) }, func(c descContext, _ string) string {
		return fmt.Sprintf("With %s, the company handles %s in house.", joinEN(c.machines), joinEN(c.processes))
	}},
	{sentCapability, func(c descContext) bool { return has(c.processes) }, func(c descContext, _ string) string {
		return fmt.Sprintf("Core capabilities: %s.", joinEN(c.processes))
	}},
	{sentCapability, always, func(c descContext, _ string) string {
		return fmt.Sprintf("A team of %d staff, engineers and operators runs %s.", c.employees, joinEN(c.machines))
	}},
	{sentCustomers, func(c descContext) bool { return has(c.customers) }, func(c descContext, _ string) string {
		return fmt.Sprintf("Key customers include %s.", joinEN(c.customers))
	}},
	{sentCustomers, func(c descContext) bool { return has(c.customers) }, func(c descContext, _ string) string {
		return fmt.Sprintf("We are a regular supplier to %s.", joinEN(c.customers))
	}},
	{sentCustomers, func(c descContext) bool { return has(c.markets) }, func(c descContext, _ string) string {
		return fmt.Sprintf("Besides the domestic market, we export to %s.", joinEN(c.markets))
	}},
	{sentCustomers, func(c descContext) bool { return has(c.customers) && has(c.markets) }, func(c descContext, _ string) string {
		return fmt.Sprintf("The company supplies %s and exports directly to %s.", c.customers[0], joinEN(c.markets))
	}},
	{sentQuality, func(c descContext) bool { return has(c.certs) }, func(c descContext, _ string) string {
		return fmt.Sprintf("Our management system is certified to %s.", joinEN(c.certs))
	}},
	{sentQuality, func(c descContext) bool { return has(c.certs) }, func(c descContext, _ string) string {
		return fmt.Sprintf("We run a management system to %s and check quality with %s.", joinEN(c.certs), c.qc)
	}},
	{sentQuality, func(c descContext) bool { return !has(c.certs) }, func(c descContext, _ string) string {
		return "We are building a quality management system to ISO 9001."
	}},
	{sentQuality, always, func(c descContext, _ string) string {
		return fmt.Sprintf("Every part is checked with %s before shipping.", c.qc)
	}},
}

func joinVI(xs []string) string { return joinList(xs, " và ") }

func joinEN(xs []string) string { return joinList(xs, " and ") }

// joinList writes "a, b and c", or "a; b; c" when an item has commas of its own (taxonomy labels
// such as "Bơm, van" would otherwise run together).
func joinList(xs []string, and string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	for _, x := range xs {
		if strings.Contains(x, ",") {
			return strings.Join(xs, "; ")
		}
	}
	return strings.Join(xs[:len(xs)-1], ", ") + and + xs[len(xs)-1]
}

// thousands writes n with a thousands separator: "1.200" in Vietnamese, "1,200" in English.
func thousands(n int, sep string) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	return s
}

// lowerFirst lowers a label's first letter for use mid-sentence, unless it starts an acronym
// ("SMT assembly", "PCB").
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	next, _ := utf8.DecodeRuneInString(s[n:])
	if unicode.IsUpper(next) || unicode.IsDigit(next) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// phrase is a piece of text in Vietnamese and English.
type phrase struct{ vi, en string }

// sectorProfile says how one sector's firms look: its share of firms, the trade words in their
// names, whom they sell to and where they export.
type sectorProfile struct {
	keys       []string // the sector's code, then labels, tried in order
	share      float64
	partners   []string // sectors a firm of this sector may also work in
	trades     []phrase
	industries []phrase
	customers  []phrase
	markets    []string
	processes  []string // for products with no profile of their own
	machines   []phrase // when no process names a machine
}

var sectorProfiles = []sectorProfile{
	{
		keys: []string{"co-khi", "Cơ khí chế tạo", "Mechanical engineering"}, share: 45,
		partners: []string{"o-to", "o-to", "dien-tu", "cong-nghe-cao"},
		trades: []phrase{{"Cơ khí", "Mechanical"}, {"Cơ khí Chính xác", "Precision Mechanical"},
			{"Cơ khí Chế tạo", "Engineering"}, {"Gia công Kim loại", "Metalworking"}, {"Cơ kim khí", "Metal Products"},
			{"Kỹ thuật Cơ khí", "Mechanical Engineering"}, {"Công nghiệp Chính xác", "Precision Industries"},
			{"Cơ điện", "Electromechanical"}, {"Thiết bị Công nghiệp", "Industrial Equipment"}},
		industries: []phrase{{"ô tô", "automotive"}, {"xe máy", "motorcycle"}, {"điện tử", "electronics"},
			{"máy móc công nghiệp", "industrial machinery"}, {"thiết bị điện", "electrical equipment"},
			{"máy nông nghiệp", "agricultural machinery"}, {"xây dựng", "construction"}, {"điện gia dụng", "home appliance"}},
		customers: []phrase{
			{"các doanh nghiệp FDI Nhật Bản trong KCN Thăng Long", "Japanese manufacturers in Thang Long Industrial Park"},
			{"nhà lắp ráp xe máy Nhật Bản", "Japanese motorcycle assemblers"},
			{"nhà sản xuất máy in và thiết bị văn phòng Nhật Bản", "Japanese printer and office-equipment makers"},
			{"nhà cung cấp cấp 1 ngành ô tô tại Vĩnh Phúc", "Tier-1 auto suppliers in Vinh Phuc"},
			{"các nhà máy chế tạo máy nông nghiệp", "agricultural-machinery makers"},
			{"các nhà sản xuất thiết bị điện gia dụng", "household-appliance makers"},
			{"nhà thầu cơ điện (M&E)", "M&E contractors"},
			{"các nhà máy xi măng và thép trong nước", "domestic cement and steel plants"},
			{"doanh nghiệp FDI Hàn Quốc tại Bắc Ninh", "Korean manufacturers in Bac Ninh"}},
		markets:   []string{"JP", "JP", "JP", "KR", "US", "DE", "TH", "TW", "CN", "SG", "MY"},
		processes: []string{"cnc-machining", "welding", "stamping", "metrology"},
		machines:  []phrase{{"máy tiện và phay CNC", "CNC lathes and mills"}},
	},
	{
		keys: []string{"dien-tu", "Điện tử", "Electronics"}, share: 22,
		partners: []string{"co-khi", "cong-nghe-cao", "o-to"},
		trades: []phrase{{"Điện tử", "Electronics"}, {"Linh kiện Điện tử", "Electronic Components"},
			{"Công nghệ Điện tử", "Electronic Technology"}, {"Thiết bị Điện", "Electrical Equipment"},
			{"Điện – Điện tử", "Electrical and Electronics"}, {"Kỹ thuật Điện tử", "Electronic Engineering"}},
		industries: []phrase{{"điện tử tiêu dùng", "consumer electronics"}, {"điện thoại di động", "mobile-phone"},
			{"thiết bị văn phòng", "office-equipment"}, {"chiếu sáng", "lighting"}, {"viễn thông", "telecoms"},
			{"điện gia dụng", "home appliance"}, {"ô tô", "automotive"}},
		customers: []phrase{
			{"các doanh nghiệp FDI lắp ráp điện tử tại Bắc Ninh", "FDI electronics assemblers in Bac Ninh"},
			{"nhà sản xuất điện thoại di động Hàn Quốc", "Korean mobile-phone makers"},
			{"nhà sản xuất máy in Nhật Bản", "Japanese printer makers"},
			{"các doanh nghiệp viễn thông trong nước", "domestic telecom-equipment makers"},
			{"các nhà sản xuất thiết bị chiếu sáng", "lighting manufacturers"},
			{"các nhà sản xuất thiết bị điện gia dụng", "household-appliance makers"},
			{"nhà lắp ráp ô tô trong nước", "domestic car assemblers"}},
		markets:   []string{"JP", "KR", "KR", "CN", "US", "TW", "SG", "MY", "DE"},
		processes: []string{"smt-assembly", "assembly", "metrology"},
		machines:  []phrase{{"dây chuyền lắp ráp và kiểm tra", "assembly and test lines"}},
	},
	{
		keys: []string{"det-may", "Dệt may", "Textile & garment"}, share: 12,
		partners: []string{"da-giay"},
		trades: []phrase{{"Phụ liệu May", "Garment Accessories"}, {"Dệt may", "Textile"},
			{"Phụ liệu Dệt may", "Textile Accessories"}, {"Dệt Nhuộm", "Textile Dyeing"}, {"Sợi", "Yarn"},
			{"Nguyên phụ liệu May", "Garment Materials"}},
		industries: []phrase{{"may mặc xuất khẩu", "export garment"}, {"đồ thể thao", "sportswear"},
			{"thời trang", "fashion"}, {"đồng phục", "uniform"}, {"nội thất", "home textiles"}},
		customers: []phrase{
			{"các nhà máy may xuất khẩu tại Hà Nội và Hưng Yên", "export garment factories in Hanoi and Hung Yen"},
			{"các thương hiệu thời trang trong nước", "domestic fashion brands"},
			{"doanh nghiệp may FDI Hàn Quốc", "Korean-owned garment factories"},
			{"các xưởng may đồng phục", "uniform makers"},
			{"nhà sản xuất đồ thể thao xuất khẩu sang châu Âu", "sportswear makers exporting to Europe"}},
		markets:   []string{"US", "JP", "KR", "DE", "FR", "GB", "BD", "KH"},
		processes: []string{"sewing", "printing", "embroidery"},
		machines:  []phrase{{"máy may công nghiệp", "industrial sewing machines"}},
	},
	{
		keys: []string{"da-giay", "Da giày", "Leather & footwear"}, share: 8,
		partners: []string{"det-may"},
		trades: []phrase{{"Da giày", "Leather and Footwear"}, {"Phụ liệu Giày", "Footwear Materials"},
			{"Nguyên liệu Giày dép", "Footwear Supplies"}, {"Đế giày", "Shoe Sole"}},
		industries: []phrase{{"giày dép xuất khẩu", "export footwear"}, {"túi xách", "handbag"},
			{"giày thể thao", "sports-shoe"}, {"đồ da", "leather-goods"}},
		customers: []phrase{
			{"các xưởng giày xuất khẩu", "export footwear factories"},
			{"nhà sản xuất giày thể thao FDI", "foreign-owned sports-shoe makers"},
			{"các cơ sở sản xuất túi xách, đồ da", "bag and leather-goods makers"},
			{"các nhà máy giày tại Thái Bình và Hải Phòng", "shoe factories in Thai Binh and Hai Phong"}},
		markets:   []string{"US", "JP", "KR", "CN", "DE", "IT"},
		processes: []string{"footwear-assembly", "sewing"},
		machines:  []phrase{{"máy ép đế và máy may công nghiệp", "sole presses and industrial sewing machines"}},
	},
	{
		keys: []string{"o-to", "Sản xuất lắp ráp ô tô", "Automobile"}, share: 9,
		partners: []string{"co-khi", "dien-tu"},
		trades: []phrase{{"Phụ tùng Ô tô", "Auto Parts"}, {"Phụ tùng Ô tô Xe máy", "Auto and Motorcycle Parts"},
			{"Linh kiện Ô tô", "Automotive Components"}, {"Cơ khí Ô tô", "Automotive Engineering"},
			{"Phụ tùng Xe máy", "Motorcycle Parts"}},
		industries: []phrase{{"ô tô", "automotive"}, {"xe máy", "motorcycle"}, {"xe tải và xe buýt", "truck and bus"},
			{"xe điện", "electric-vehicle"}},
		customers: []phrase{
			{"nhà lắp ráp xe máy Nhật Bản", "Japanese motorcycle assemblers"},
			{"nhà cung cấp cấp 1 ngành ô tô tại Vĩnh Phúc", "Tier-1 auto suppliers in Vinh Phuc"},
			{"các nhà lắp ráp ô tô trong nước", "domestic car assemblers"},
			{"nhà sản xuất xe điện trong nước", "a domestic electric-vehicle maker"},
			{"các nhà máy xe tải, xe buýt", "truck and bus builders"}},
		markets:   []string{"JP", "TH", "ID", "KR", "US", "IN"},
		processes: []string{"stamping", "welding", "cnc-machining"},
		machines:  []phrase{{"máy dập và robot hàn", "presses and welding robots"}},
	},
	{
		keys: []string{"cong-nghe-cao", "Công nghệ cao", "High-tech industries"}, share: 4,
		partners: []string{"dien-tu", "co-khi"},
		trades: []phrase{{"Công nghệ cao", "High Technology"}, {"Vật liệu Mới", "Advanced Materials"},
			{"Tự động hóa", "Automation"}, {"Cơ điện tử", "Mechatronics"}, {"Công nghệ Chính xác", "Precision Technology"}},
		industries: []phrase{{"tự động hóa", "automation"}, {"thiết bị y tế", "medical-device"},
			{"hàng không", "aerospace"}, {"viễn thông", "telecoms"}, {"bán dẫn", "semiconductor"}},
		customers: []phrase{
			{"các nhà sản xuất thiết bị y tế", "medical-device makers"},
			{"nhà sản xuất linh kiện hàng không", "aerospace component makers"},
			{"các nhà máy điện tử trong Khu công nghệ cao Hòa Lạc", "electronics plants in Hoa Lac Hi-Tech Park"},
			{"các tập đoàn viễn thông trong nước", "domestic telecom groups"},
			{"các nhà máy cần giải pháp tự động hóa", "factories automating their lines"}},
		markets:   []string{"JP", "US", "DE", "KR", "SG", "FR"},
		processes: []string{"precision-machining", "assembly", "metrology"},
		machines:  []phrase{{"trung tâm gia công 5 trục", "5-axis machining centres"}},
	},
}

// productProfile ties a product group to the processes and materials its makers use and the
// trade words in their names; weight is how common its makers are within the sector.
type productProfile struct {
	weight    float64
	trades    []phrase
	processes []string
	materials []string
}

var productProfiles = map[string]productProfile{
	// mechanical engineering
	"mould-die": {6, []phrase{{"Khuôn mẫu", "Mould"}, {"Khuôn mẫu Chính xác", "Precision Mould"}},
		[]string{"mould-making", "edm", "cnc-machining", "grinding", "heat-treatment"}, []string{"steel"}},
	"jig-fixture":          {3, nil, []string{"cnc-machining", "welding", "metrology"}, []string{"steel", "aluminium"}},
	"cutting-tool":         {1, nil, []string{"grinding", "heat-treatment"}, []string{"steel"}},
	"machine-spare-part":   {3, nil, []string{"cnc-machining", "welding", "heat-treatment"}, []string{"steel", "cast-iron"}},
	"welding-part":         {1, nil, []string{"cnc-machining", "assembly"}, []string{"copper", "brass"}},
	"measuring-instrument": {1, nil, []string{"precision-machining", "metrology", "assembly"}, []string{"stainless-steel", "aluminium"}},
	"machine-part": {6, nil, []string{"cnc-machining", "precision-machining", "grinding", "heat-treatment"},
		[]string{"steel", "aluminium", "stainless-steel"}},
	"fastener-spring": {3, []phrase{{"Bu lông Ốc vít", "Fasteners"}, {"Lò xo", "Springs"}},
		[]string{"forging", "heat-treatment", "plating"}, []string{"steel", "stainless-steel"}},
	"bearing-gear":        {2, nil, []string{"cnc-machining", "heat-treatment", "grinding"}, []string{"steel"}},
	"pump-valve":          {1, nil, []string{"sand-casting", "cnc-machining", "assembly"}, []string{"cast-iron", "brass", "stainless-steel"}},
	"renewable-component": {1, nil, []string{"sheet-metal", "welding", "galvanizing"}, []string{"steel", "aluminium"}},
	"motor":               {1, nil, []string{"stamping", "assembly", "cnc-machining"}, []string{"copper", "steel"}},
	"metal-stamping": {6, []phrase{{"Dập Kim loại", "Metal Stamping"}},
		[]string{"stamping", "deep-drawing", "welding", "plating"}, []string{"steel", "stainless-steel", "aluminium"}},
	"casting-part": {3, []phrase{{"Đúc", "Casting"}, {"Đúc Kim loại", "Metal Casting"}},
		[]string{"die-casting", "sand-casting", "investment-casting", "cnc-machining"}, []string{"aluminium", "cast-iron", "zinc-alloy", "brass"}},
	"forging-part": {2, nil, []string{"forging", "heat-treatment", "cnc-machining"}, []string{"steel"}},
	"sheet-metal-enclosure": {4, []phrase{{"Cơ khí và Tủ điện", "Enclosures"}},
		[]string{"sheet-metal", "bending", "welding", "powder-coating"}, []string{"steel", "stainless-steel", "aluminium"}},
	"industrial-packaging": {2, []phrase{{"Bao bì", "Packaging"}, {"Bao bì Công nghiệp", "Industrial Packaging"}},
		[]string{"printing", "thermoforming", "blow-moulding"}, []string{"paper-cardboard", "commodity-plastic"}},
	"plastic-part": {5, []phrase{{"Nhựa Kỹ thuật", "Engineering Plastics"}, {"Nhựa", "Plastics"}},
		[]string{"injection-moulding", "mould-making"}, []string{"engineering-plastic", "commodity-plastic"}},
	"rubber-part": {3, []phrase{{"Cao su Kỹ thuật", "Technical Rubber"}},
		[]string{"rubber-moulding", "extrusion"}, []string{"rubber"}},

	// electronics
	"electronic-component": {3, nil, []string{"smt-assembly", "assembly"}, []string{"copper", "ceramic"}},
	"optoelectronic":       {1, nil, []string{"assembly", "smt-assembly"}, nil},
	"quartz":               {1, nil, []string{"assembly", "metrology"}, []string{"glass"}},
	"ic":                   {0.5, nil, []string{"assembly"}, nil},
	"electronic-material":  {1, nil, []string{"extrusion"}, []string{"copper", "ceramic"}},
	"electronic-plastic-part": {4, []phrase{{"Nhựa Kỹ thuật", "Engineering Plastics"}},
		[]string{"injection-moulding", "mould-making", "printing"}, []string{"engineering-plastic"}},
	"electronic-rubber-part": {2, nil, []string{"rubber-moulding"}, []string{"rubber"}},
	"electronic-glass-part":  {1, nil, []string{"grinding"}, []string{"glass"}},
	"mechatronic-part":       {2, nil, []string{"stamping", "assembly", "cnc-machining"}, []string{"copper", "steel"}},
	"device-battery":         {1, nil, []string{"assembly"}, nil},
	"wire-cable": {4, []phrase{{"Dây và Cáp điện", "Wire and Cable"}, {"Dây Cáp điện", "Cable"}},
		[]string{"extrusion", "cable-assembly"}, []string{"copper", "commodity-plastic"}},
	"led-lighting": {3, []phrase{{"Chiếu sáng", "Lighting"}, {"Thiết bị Chiếu sáng", "Lighting Equipment"}},
		[]string{"smt-assembly", "assembly"}, []string{"aluminium"}},
	"headphone-speaker": {1, nil, []string{"assembly", "injection-moulding"}, nil},
	"charger":           {2, nil, []string{"smt-assembly", "tht-assembly", "assembly"}, nil},
	"display":           {1, nil, []string{"assembly"}, []string{"glass"}},
	"pcb":               {2, []phrase{{"Mạch in", "Circuit Board"}}, []string{"metrology"}, []string{"fr4-laminate", "copper"}},
	"pcba": {5, []phrase{{"Điện tử", "Electronics"}, {"Công nghệ SMT", "SMT Technology"}},
		[]string{"smt-assembly", "tht-assembly", "metrology"}, []string{"fr4-laminate"}},

	// textile and garment
	"fibre-yarn":       {2, []phrase{{"Sợi", "Yarn"}}, []string{"dyeing"}, []string{"cotton", "polyester", "nylon-yarn"}},
	"fabric":           {2, []phrase{{"Dệt", "Weaving"}}, []string{"weaving", "knitting", "dyeing"}, []string{"cotton", "polyester"}},
	"sewing-thread":    {2, []phrase{{"Chỉ may", "Thread"}}, []string{"dyeing"}, []string{"polyester", "cotton"}},
	"textile-chemical": {1, nil, nil, nil},
	"button-trim": {3, []phrase{{"Cúc Khóa", "Buttons"}},
		[]string{"injection-moulding", "plating", "stamping"}, []string{"brass", "zinc-alloy", "commodity-plastic"}},
	"zipper":    {2, []phrase{{"Khóa kéo", "Zippers"}}, []string{"injection-moulding", "weaving"}, []string{"nylon-yarn", "brass"}},
	"label-tag": {4, []phrase{{"Nhãn mác", "Labels"}, {"In Nhãn mác", "Label Printing"}}, []string{"weaving", "printing"}, []string{"polyester", "paper-cardboard"}},
	"tape-elastic": {3, []phrase{{"Băng chun", "Elastic Tape"}},
		[]string{"weaving", "knitting"}, []string{"polyester", "nylon-yarn", "rubber"}},
	"interlining":     {2, nil, nil, []string{"polyester"}},
	"down-feather":    {1, nil, nil, nil},
	"decorative-trim": {2, []phrase{{"Thêu In", "Embroidery and Printing"}}, []string{"embroidery", "printing"}, []string{"polyester"}},
	"plastic-resin":   {1, nil, []string{"extrusion"}, []string{"commodity-plastic"}},

	// leather and footwear
	"tanned-leather":    {2, []phrase{{"Thuộc da", "Tannery"}}, []string{"leather-tanning", "dyeing"}, []string{"leather"}},
	"synthetic-leather": {2, []phrase{{"Giả da", "Synthetic Leather"}}, []string{"extrusion"}, []string{"polyester"}},
	"shoe-sole": {5, []phrase{{"Đế giày", "Shoe Sole"}},
		[]string{"rubber-moulding", "injection-moulding"}, []string{"rubber", "eva-pu-foam"}},
	"shoe-component":    {4, nil, []string{"sewing", "footwear-assembly", "printing"}, []string{"leather", "polyester"}},
	"tanning-chemical":  {1, nil, []string{"leather-tanning"}, nil},
	"footwear-adhesive": {1, []phrase{{"Keo dán", "Adhesives"}}, nil, nil},
	"shoe-last":         {2, nil, []string{"cnc-machining", "injection-moulding"}, []string{"commodity-plastic", "aluminium"}},
	"footwear-material": {3, nil, []string{"stamping", "injection-moulding"}, []string{"eva-pu-foam", "brass"}},

	// automobile
	"engine-part":     {2, nil, []string{"cnc-machining", "die-casting", "heat-treatment"}, []string{"aluminium", "cast-iron", "steel"}},
	"lube-cool-fuel":  {1, nil, []string{"stamping", "welding", "assembly"}, []string{"aluminium", "copper"}},
	"body-frame":      {3, nil, []string{"stamping", "welding", "painting"}, []string{"steel"}},
	"suspension":      {1, nil, []string{"forging", "heat-treatment"}, []string{"steel"}},
	"wheel-tyre":      {1, nil, []string{"rubber-moulding"}, []string{"rubber", "aluminium"}},
	"drivetrain":      {1, nil, []string{"cnc-machining", "forging", "heat-treatment"}, []string{"steel"}},
	"steering":        {1, nil, []string{"cnc-machining", "assembly"}, []string{"steel"}},
	"brake":           {2, nil, []string{"stamping", "sand-casting", "cnc-machining"}, []string{"cast-iron", "steel"}},
	"auto-electrical": {2, nil, []string{"smt-assembly", "assembly"}, []string{"copper"}},
	"auto-lighting":   {1, nil, []string{"injection-moulding", "assembly"}, []string{"engineering-plastic"}},
	"exhaust":         {1, nil, []string{"welding", "bending"}, []string{"stainless-steel"}},
	"auto-plastic-part": {5, []phrase{{"Nhựa Ô tô", "Automotive Plastics"}},
		[]string{"injection-moulding", "mould-making", "painting"}, []string{"engineering-plastic", "commodity-plastic"}},
	"auto-rubber-part": {3, []phrase{{"Cao su Kỹ thuật", "Technical Rubber"}}, []string{"rubber-moulding", "extrusion"}, []string{"rubber"}},
	"shock-absorber":   {1, nil, []string{"cnc-machining", "welding", "plating"}, []string{"steel"}},
	"seat":             {1, nil, []string{"welding", "sewing"}, []string{"steel", "leather", "eva-pu-foam"}},
	"windscreen":       {0.3, nil, nil, []string{"glass"}},
	"wiper":            {0.5, nil, []string{"stamping", "rubber-moulding"}, []string{"steel", "rubber"}},
	"auto-battery":     {0.5, nil, []string{"assembly"}, nil},
	"motorcycle-part": {6, []phrase{{"Phụ tùng Xe máy", "Motorcycle Parts"}},
		[]string{"stamping", "cnc-machining", "plating", "welding"}, []string{"steel", "aluminium"}},
	"wire-harness": {4, []phrase{{"Dây điện Ô tô", "Automotive Wiring"}}, []string{"harness-assembly"}, []string{"copper"}},

	// high-tech
	"automation-robotics": {4, []phrase{{"Tự động hóa", "Automation"}, {"Robot và Tự động hóa", "Robotics"}},
		[]string{"cnc-machining", "assembly", "precision-machining"}, []string{"aluminium"}},
	"software-embedded": {2, nil, []string{"assembly"}, nil},
	"biotech-input":     {1, nil, nil, nil},
	"new-material":      {2, []phrase{{"Vật liệu Mới", "Advanced Materials"}}, []string{"extrusion"}, []string{"composite", "ceramic", "titanium"}},
	"medical-device-part": {2, nil, []string{"precision-machining", "injection-moulding", "metrology"},
		[]string{"stainless-steel", "titanium", "engineering-plastic"}},
	"aerospace-part": {2, nil, []string{"precision-machining", "cnc-machining", "heat-treatment", "anodising"},
		[]string{"aluminium", "titanium"}},
	"semiconductor":     {1, nil, []string{"metrology"}, nil},
	"precision-optics":  {1, nil, []string{"grinding", "metrology"}, []string{"glass"}},
	"sensor-iot":        {3, nil, []string{"smt-assembly", "assembly"}, nil},
	"telecom-component": {2, nil, []string{"injection-moulding", "smt-assembly", "sheet-metal"}, []string{"aluminium", "engineering-plastic"}},
}

// machinePhrase names machines in both languages; %d is how many the firm has, at most most.
type machinePhrase struct {
	vi, en string
	most   int
}

// count writes the phrase for n machines, leaving out a count of one, which reads badly in both
// languages ("1 máy dập", "1 presses").
func (m machinePhrase) count(n int) phrase {
	if n == 1 {
		return phrase{strings.Replace(m.vi, "%d ", "", 1), strings.Replace(m.en, "%d ", "", 1)}
	}
	return phrase{fmt.Sprintf(m.vi, n), fmt.Sprintf(m.en, n)}
}

// processMachines names the machines behind a process.
var processMachines = map[string]machinePhrase{
	"cnc-machining":       {"%d máy tiện và phay CNC", "%d CNC lathes and milling machines", 40},
	"precision-machining": {"%d trung tâm gia công CNC 3–5 trục", "%d three- to five-axis CNC machining centres", 20},
	"stamping":            {"%d máy dập từ 60 đến 300 tấn", "%d presses from 60 to 300 tonnes", 30},
	"deep-drawing":        {"%d máy dập thủy lực dập vuốt sâu", "%d hydraulic deep-drawing presses", 8},
	"sheet-metal":         {"%d máy cắt laser fiber", "%d fibre-laser cutters", 4},
	"bending":             {"%d máy chấn thủy lực CNC", "%d CNC press brakes", 8},
	"welding":             {"%d máy hàn robot", "%d robotic welders", 20},
	"die-casting":         {"%d máy đúc áp lực nhôm, kẽm", "%d aluminium and zinc die-casting machines", 12},
	"sand-casting":        {"lò trung tần và %d dây chuyền làm khuôn cát", "an induction furnace and %d sand-moulding lines", 3},
	"investment-casting":  {"%d dây chuyền đúc mẫu chảy", "%d investment-casting lines", 2},
	"forging":             {"%d máy ép rèn nóng", "%d hot-forging presses", 8},
	"heat-treatment":      {"%d lò nhiệt luyện", "%d heat-treatment furnaces", 4},
	"plating":             {"%d dây chuyền xi mạ", "%d plating lines", 3},
	"galvanizing":         {"%d bể mạ kẽm nhúng nóng", "%d hot-dip galvanizing baths", 2},
	"anodising":           {"%d bể anode hóa", "%d anodising tanks", 3},
	"powder-coating":      {"%d dây chuyền sơn tĩnh điện", "%d powder-coating lines", 2},
	"painting":            {"%d buồng sơn công nghiệp", "%d industrial paint booths", 4},
	"injection-moulding":  {"%d máy ép nhựa từ 50 đến 450 tấn", "%d injection-moulding machines from 50 to 450 tonnes", 60},
	"blow-moulding":       {"%d máy thổi nhựa", "%d blow-moulding machines", 10},
	"extrusion":           {"%d dây chuyền đùn", "%d extrusion lines", 6},
	"thermoforming":       {"%d máy hút chân không định hình", "%d thermoforming machines", 6},
	"rubber-moulding":     {"%d máy ép cao su lưu hóa", "%d rubber vulcanising presses", 30},
	"mould-making":        {"%d máy phay CNC tốc độ cao chuyên làm khuôn", "%d high-speed CNC mills for mould making", 15},
	"edm":                 {"%d máy cắt dây và máy xung EDM", "%d wire-cut and sinker EDM machines", 12},
	"grinding":            {"%d máy mài phẳng, mài tròn", "%d surface and cylindrical grinders", 10},
	"smt-assembly":        {"%d dây chuyền SMT với máy gắp đặt linh kiện tốc độ cao", "%d SMT lines with high-speed pick-and-place machines", 8},
	"tht-assembly":        {"%d dây chuyền hàn sóng", "%d wave-soldering lines", 3},
	"harness-assembly":    {"%d máy cắt tuốt dây và ép đầu cốt tự động", "%d automatic wire cutting, stripping and crimping machines", 40},
	"cable-assembly":      {"%d máy bện và bọc cáp", "%d cable stranding and jacketing machines", 10},
	"sewing":              {"%d máy may công nghiệp", "%d industrial sewing machines", 200},
	"knitting":            {"%d máy dệt kim", "%d knitting machines", 40},
	"weaving":             {"%d máy dệt", "%d looms", 60},
	"dyeing":              {"%d máy nhuộm cao áp", "%d high-pressure dyeing machines", 12},
	"printing":            {"%d máy in lụa và in chuyển nhiệt", "%d screen and heat-transfer printers", 10},
	"embroidery":          {"%d máy thêu vi tính nhiều đầu", "%d multi-head computerised embroidery machines", 20},
	"footwear-assembly":   {"%d chuyền gò, ráp giày", "%d shoe lasting and assembly lines", 6},
	"3d-printing":         {"%d máy in 3D", "%d 3D printers", 4},
	"metrology":           {"%d máy đo tọa độ CMM", "%d coordinate measuring machines", 2},
}

var mobilePrefixes = []string{"090", "091", "093", "094", "096", "097", "098", "088", "086", "035", "036", "038", "039", "083", "085"}

var qcInstruments = []phrase{
	{"máy đo tọa độ 3 chiều CMM", "a coordinate measuring machine"},
	{"máy đo 2D và máy đo độ cứng", "2D vision measurement and hardness testers"},
	{"máy quang phổ phân tích thành phần", "a spectrometer"},
	{"thiết bị kiểm tra quang học AOI", "automatic optical inspection"},
	{"phòng thí nghiệm nội bộ", "an in-house laboratory"},
	{"máy đo biên dạng và máy đo độ nhám", "profile projectors and roughness testers"},
}

// freeProducts are products firms write that the taxonomy has no term for, so they are kept as text.
var freeProducts = []string{"bánh răng nhựa POM", "trục in", "lò xo lá", "chi tiết máy dệt", "vỏ hộp số xe máy",
	"gioăng phớt", "khay nhựa định hình", "thùng carton 5 lớp", "đầu cốt điện", "tấm tản nhiệt nhôm",
	"con lăn cao su", "bạc đồng", "nhãn dệt", "móc treo quần áo", "đinh tán", "ke góc"}

// legalForms are indexed by formWeights: TNHH, Cổ phần, TNHH MTV.
var legalForms = []phrase{{"Công ty TNHH", "Co., Ltd."}, {"Công ty Cổ phần", "JSC"}, {"Công ty TNHH MTV", "One Member Co., Ltd."}}

var nameMiddles = []phrase{{"Sản xuất và Thương mại", "Manufacturing and Trading"},
	{"Đầu tư và Phát triển", "Investment and Development"}, {"Kỹ thuật và Thương mại", "Engineering and Trading"},
	{"Sản xuất", "Manufacturing"}, {"Công nghiệp", "Industrial"}}

var partnerNames = []phrase{{"Việt Nhật", "Viet-Japan"}, {"Việt Hàn", "Viet-Korea"}, {"Việt Đài", "Viet-Taiwan"},
	{"Việt Đức", "Viet-German"}, {"Việt Sing", "Viet-Singapore"}, {"Việt Thái", "Viet-Thai"}, {"Á Châu", "Asia"},
	{"Thái Bình Dương", "Pacific"}, {"Hoàn Cầu", "Global"}, {"Đông Dương", "Indochina"}}

var placeNames = []phrase{{"Thăng Long", "Thang Long"}, {"Đông Anh", "Dong Anh"}, {"Hòa Lạc", "Hoa Lac"},
	{"Sóc Sơn", "Soc Son"}, {"Hà Thành", "Ha Thanh"}, {"Tràng An", "Trang An"}, {"Long Biên", "Long Bien"},
	{"Gia Lâm", "Gia Lam"}, {"Mê Linh", "Me Linh"}, {"Kinh Bắc", "Kinh Bac"}, {"Kim Chung", "Kim Chung"},
	{"Quang Minh", "Quang Minh"}, {"Phú Nghĩa", "Phu Nghia"}, {"Nội Bài", "Noi Bai"}, {"Đông Đô", "Dong Do"},
	{"Thường Tín", "Thuong Tin"}, {"Phùng Xá", "Phung Xa"}, {"Xuân Mai", "Xuan Mai"}, {"Ba Vì", "Ba Vi"},
	{"Tây Đô", "Tay Do"}, {"Bắc Hà", "Bac Ha"}, {"Nam Thăng Long", "Nam Thang Long"}, {"Sài Đồng", "Sai Dong"}}

var nameSyllablesA = []string{"Minh", "Tân", "Hưng", "Phú", "An", "Đại", "Thành", "Hoàng", "Quang", "Trường", "Bảo",
	"Gia", "Hồng", "Kim", "Nam", "Việt", "Đức", "Thái", "Hải", "Phúc", "Thiên", "Toàn", "Tiến", "Vĩnh", "Thịnh",
	"Hòa", "Khánh", "Thuận", "Tuấn", "Ngọc"}

var nameSyllablesB = []string{"Phát", "Thịnh", "Khang", "Tiến", "Đạt", "Vượng", "Phúc", "Lộc", "Thành", "Hưng",
	"Long", "Minh", "Anh", "Phong", "Việt", "Sơn", "Lợi", "Tín", "Cường", "Nguyên", "Huy", "Dũng", "Khánh",
	"Thắng", "An", "Bình", "Tâm", "Hà", "Quang", "Hoàng"}

// deniedNames are well-known Vietnamese company names, or the end of them, that a sample firm must
// not take: the firms are fictional and no real company may be shown with invented claims.
var deniedNames = []string{"Minh Đạt", "An Phát", "Hòa Phát", "Việt Tiến", "Thiên Long", "Minh Long", "Bảo Minh",
	"Kim Long", "Trường Thành", "Hòa Bình", "Thành Công", "Hồng Hà", "Nam Long", "Tân Á", "Đại Thành",
	"Cơ khí Đông Anh", "Cơ khí Hà Nội", "Cơ khí Gia Lâm", "Rạng Đông", "Sơn Hà", "An Phú Việt", "Phúc Long",
	"Hoàng Anh", "Thái Hưng", "Việt Minh", "Kim Tín", "Nam Việt", "Đại Dũng", "Đức Long", "An Khang", "Hoàng Long"}

// districtPlace is where firms sit outside parks: how likely a district is as a main site, its
// centre, some of its wards and communes (in force since July 2025) and streets.
type districtPlace struct {
	name     string
	weight   float64
	lat, lon float64
	wards    []string
	streets  []string
}

var districtPlaces = []districtPlace{
	{"Đông Anh", 12, 21.137, 105.849, []string{"Xã Đông Anh", "Xã Phúc Thịnh", "Xã Thiên Lộc", "Xã Thư Lâm", "Xã Vĩnh Thanh"},
		[]string{"đường Cao Lỗ", "đường Uy Nỗ", "Quốc lộ 3", "đường Võ Nguyên Giáp", "đường Đản Dị"}},
	{"Sóc Sơn", 7, 21.256, 105.849, []string{"Xã Sóc Sơn", "Xã Đa Phúc", "Xã Nội Bài", "Xã Trung Giã", "Xã Kim Anh"},
		[]string{"Quốc lộ 3", "Quốc lộ 2", "đường Núi Đôi", "đường 131"}},
	{"Mê Linh", 7, 21.181, 105.723, []string{"Xã Mê Linh", "Xã Yên Lãng", "Xã Tiến Thắng", "Xã Quang Minh"},
		[]string{"Quốc lộ 23", "đường Mê Linh", "đường Bắc Thăng Long – Nội Bài"}},
	{"Gia Lâm", 8, 21.016, 105.945, []string{"Xã Gia Lâm", "Xã Thuận An", "Xã Bát Tràng", "Xã Phù Đổng"},
		[]string{"Quốc lộ 5", "đường Nguyễn Đức Thuận", "đường Ỷ Lan", "đường Kiêu Kỵ"}},
	{"Long Biên", 6, 21.047, 105.886, []string{"Phường Long Biên", "Phường Bồ Đề", "Phường Việt Hưng", "Phường Phúc Lợi"},
		[]string{"đường Nguyễn Văn Linh", "đường Ngô Gia Tự", "đường Cổ Linh", "đường Thạch Bàn"}},
	{"Thường Tín", 6, 20.872, 105.862, []string{"Xã Thường Tín", "Xã Thượng Phúc", "Xã Chương Dương", "Xã Hồng Vân"},
		[]string{"Quốc lộ 1A", "đường 427", "đường Nguyễn Trãi"}},
	{"Thanh Trì", 7, 20.942, 105.846, []string{"Xã Thanh Trì", "Xã Đại Thanh", "Xã Nam Phù", "Xã Ngọc Hồi", "Phường Thanh Liệt"},
		[]string{"đường Ngọc Hồi", "đường Phan Trọng Tuệ", "đường Nguyễn Xiển", "đường Tứ Hiệp"}},
	{"Hoài Đức", 6, 21.028, 105.702, []string{"Xã Hoài Đức", "Xã Dương Hòa", "Xã Sơn Đồng", "Xã An Khánh"},
		[]string{"đường Lai Xá", "Quốc lộ 32", "đường Đại lộ Thăng Long"}},
	{"Thạch Thất", 5, 21.027, 105.564, []string{"Xã Thạch Thất", "Xã Hạ Bằng", "Xã Tây Phương", "Xã Hòa Lạc", "Xã Yên Xuân"},
		[]string{"đường 420", "đường 419", "Quốc lộ 21"}},
	{"Quốc Oai", 4, 20.992, 105.641, []string{"Xã Quốc Oai", "Xã Kiều Phú", "Xã Hưng Đạo", "Xã Phú Cát"},
		[]string{"Đại lộ Thăng Long", "đường 421B"}},
	{"Chương Mỹ", 4, 20.881, 105.651, []string{"Phường Chương Mỹ", "Xã Phú Nghĩa", "Xã Xuân Mai", "Xã Trần Phú", "Xã Quảng Bị"},
		[]string{"Quốc lộ 6", "đường Hồ Chí Minh"}},
	{"Bắc Từ Liêm", 6, 21.071, 105.764, []string{"Phường Thượng Cát", "Phường Đông Ngạc", "Phường Xuân Đỉnh", "Phường Tây Tựu", "Phường Phú Diễn"},
		[]string{"đường Phạm Văn Đồng", "đường Phúc Diễn", "đường Hoàng Quốc Việt", "đường Cổ Nhuế"}},
	{"Nam Từ Liêm", 3, 21.012, 105.765, []string{"Phường Từ Liêm", "Phường Xuân Phương", "Phường Tây Mỗ", "Phường Đại Mỗ"},
		[]string{"đường Trần Hữu Dực", "đường Lê Quang Đạo", "đường Phương Canh"}},
	{"Hà Đông", 6, 20.960, 105.765, []string{"Phường Hà Đông", "Phường Dương Nội", "Phường Yên Nghĩa", "Phường Phú Lương", "Phường Kiến Hưng"},
		[]string{"đường Quang Trung", "đường Tố Hữu", "đường Ba La", "đường Phùng Hưng"}},
	{"Phú Xuyên", 3, 20.735, 105.907, []string{"Xã Phú Xuyên", "Xã Phượng Dực", "Xã Chuyên Mỹ", "Xã Đại Xuyên"},
		[]string{"Quốc lộ 1A", "đường 428"}},
	{"Hoàng Mai", 4, 20.974, 105.862, []string{"Phường Hoàng Mai", "Phường Lĩnh Nam", "Phường Vĩnh Hưng", "Phường Định Công", "Phường Yên Sở"},
		[]string{"đường Tam Trinh", "đường Lĩnh Nam", "đường Giải Phóng", "đường Kim Giang"}},
	{"Thanh Oai", 3, 20.858, 105.772, []string{"Xã Thanh Oai", "Xã Bình Minh", "Xã Tam Hưng", "Xã Dân Hòa"},
		[]string{"Quốc lộ 21B", "đường Bình Minh"}},
	{"Đan Phượng", 2, 21.105, 105.670, []string{"Xã Đan Phượng", "Xã Ô Diên", "Xã Liên Minh"}, []string{"Quốc lộ 32", "đường Tân Lập"}},
	{"Sơn Tây", 2, 21.138, 105.505, []string{"Phường Sơn Tây", "Phường Tùng Thiện"}, []string{"đường Chùa Thông", "Quốc lộ 32"}},
	{"Cầu Giấy", 1.5, 21.036, 105.790, []string{"Phường Cầu Giấy", "Phường Nghĩa Đô", "Phường Yên Hòa"}, []string{"đường Trần Duy Hưng", "đường Xuân Thủy"}},
	{"Thanh Xuân", 1.5, 20.994, 105.812, []string{"Phường Thanh Xuân", "Phường Khương Đình", "Phường Phương Liệt"},
		[]string{"đường Nguyễn Trãi", "đường Khuất Duy Tiến"}},
	{"Ứng Hòa", 1, 20.718, 105.778, []string{"Xã Ứng Hòa", "Xã Vân Đình", "Xã Ứng Thiên"}, []string{"Quốc lộ 21B"}},
	{"Phúc Thọ", 1, 21.107, 105.569, []string{"Xã Phúc Thọ", "Xã Phúc Lộc", "Xã Hát Môn"}, []string{"Quốc lộ 32"}},
	{"Ba Vì", 0.5, 21.199, 105.423, []string{"Xã Ba Vì", "Xã Quảng Oai", "Xã Vật Lại"}, []string{"Quốc lộ 32"}},
	{"Mỹ Đức", 0.5, 20.688, 105.727, []string{"Xã Mỹ Đức", "Xã Phúc Sơn", "Xã Hồng Sơn"}, []string{"Quốc lộ 21B"}},
	{"Hai Bà Trưng", 0.5, 21.006, 105.858, []string{"Phường Hai Bà Trưng", "Phường Vĩnh Tuy", "Phường Bạch Mai"}, []string{"đường Minh Khai"}},
	{"Đống Đa", 0.3, 21.018, 105.829, []string{"Phường Đống Đa", "Phường Kim Liên", "Phường Láng"}, []string{"đường Láng"}},
	{"Ba Đình", 0.2, 21.034, 105.819, []string{"Phường Ba Đình", "Phường Ngọc Hà", "Phường Giảng Võ"}, []string{"đường Đội Cấn"}},
	{"Tây Hồ", 0.2, 21.070, 105.818, []string{"Phường Tây Hồ", "Phường Phú Thượng"}, []string{"đường Lạc Long Quân"}},
	{"Hoàn Kiếm", 0.1, 21.028, 105.852, []string{"Phường Hoàn Kiếm", "Phường Cửa Nam"}, []string{"phố Hàng Bài"}},
}

var hamletNames = []string{"Đoài", "Đông", "Thượng", "Hạ", "Trung", "Bắc", "Nam", "Cổ Điển", "Phú Mỹ", "Đình", "Chùa",
	"Tiền", "Hậu", "Ngọc Hà", "Yên Bình", "Tân Lập", "Đồng Tâm"}

// zonePlace says how many sample firms a park or cluster holds and where it is.
type zonePlace struct {
	name     string
	weight   float64
	lat, lon float64
	wards    []string
	boost    map[string]float64
}

var zonePlaces = []zonePlace{
	{"KCN Thăng Long", 14, 21.113, 105.790, []string{"Xã Thiên Lộc"}, map[string]float64{"dien-tu": 1.5}},
	{"KCN Nội Bài", 6, 21.232, 105.806, []string{"Xã Nội Bài"}, nil},
	{"KCN Quang Minh", 10, 21.192, 105.769, []string{"Xã Quang Minh"}, nil},
	{"KCN Nam Thăng Long", 6, 21.082, 105.755, []string{"Phường Thượng Cát", "Phường Đông Ngạc"}, nil},
	{"KCN Sài Đồng B", 4, 21.033, 105.911, []string{"Phường Phúc Lợi", "Phường Long Biên"}, map[string]float64{"dien-tu": 1.5, "o-to": 1.5}},
	{"KCN Hà Nội – Đài Tư", 3, 21.046, 105.912, []string{"Phường Phúc Lợi"}, nil},
	{"KCN Phú Nghĩa", 7, 20.931, 105.661, []string{"Xã Phú Nghĩa"}, nil},
	{"KCN Thạch Thất – Quốc Oai", 7, 21.006, 105.598, []string{"Xã Tây Phương", "Xã Kiều Phú"}, nil},
	{"KCN hỗ trợ Nam Hà Nội (HANSSIP)", 4, 20.706, 105.928, []string{"Xã Phượng Dực", "Xã Phú Xuyên"},
		map[string]float64{"co-khi": 1.5, "cong-nghe-cao": 2}},
	{"Khu công nghệ cao Hòa Lạc", 3, 21.012, 105.527, []string{"Xã Hòa Lạc"},
		map[string]float64{"cong-nghe-cao": 8, "dien-tu": 2, "det-may": 0.1, "da-giay": 0.1}},
	{"CCN Cơ kim khí Phùng Xá", 5, 21.020, 105.603, []string{"Xã Tây Phương"}, map[string]float64{"co-khi": 2, "det-may": 0.2, "da-giay": 0.2}},
	{"CCN Quất Động", 3, 20.845, 105.873, []string{"Xã Thượng Phúc", "Xã Thường Tín"}, nil},
	{"CCN Bắc Từ Liêm", 3, 21.078, 105.748, []string{"Phường Tây Tựu", "Phường Thượng Cát"}, nil},
	{"CCN Ngọc Liệp", 2, 20.985, 105.620, []string{"Xã Kiều Phú"}, nil},
	{"CCN Lai Xá", 2, 21.046, 105.737, []string{"Xã Hoài Đức"}, nil},
	{"CCN Sơn Đông", 1.5, 21.093, 105.493, []string{"Phường Tùng Thiện"}, nil},
	{"CCN Đắc Sở", 1, 21.056, 105.696, []string{"Xã Sơn Đồng"}, nil},
	{"CCN Canh Nậu", 1, 21.085, 105.555, []string{"Xã Yên Xuân"}, nil},
	{"CCN Bình Phú 1", 1, 21.011, 105.590, []string{"Xã Tây Phương"}, nil},
	{"CCN Đông Sơn", 0.7, 20.905, 105.651, []string{"Xã Trần Phú"}, nil},
	{"CCN Phụng Châu", 0.7, 20.905, 105.690, []string{"Phường Chương Mỹ"}, nil},
	{"CCN Đại Yên", 0.5, 20.922, 105.630, []string{"Phường Chương Mỹ"}, nil},
	{"CCN Liên Hà", 0.5, 21.135, 105.880, []string{"Xã Phúc Thịnh"}, nil},
	// Furniture and handicraft clusters: almost no component makers.
	{"CCN đồ mộc dân dụng Phùng Xá", 0.1, 21.025, 105.600, nil, nil},
	{"CCN Chàng Sơn", 0.1, 21.050, 105.585, nil, nil},
	{"CCN Kim Quan", 0.1, 21.060, 105.570, nil, nil},
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

// recognitionTitles name recognised key products more specifically than the taxonomy does.
var recognitionTitles = map[string][]string{
	"mould-die":             {"Khuôn ép nhựa chính xác", "Khuôn dập liên hoàn"},
	"plastic-part":          {"Linh kiện nhựa kỹ thuật cho thiết bị văn phòng"},
	"metal-stamping":        {"Chi tiết dập chính xác cho xe máy"},
	"wire-cable":            {"Dây cáp điện hạ thế", "Cáp điện lực ruột đồng"},
	"led-lighting":          {"Đèn LED chiếu sáng công nghiệp"},
	"pcba":                  {"Bảng mạch điện tử lắp ráp SMT"},
	"motorcycle-part":       {"Phụ tùng xe máy"},
	"wire-harness":          {"Bó dây điện ô tô"},
	"label-tag":             {"Nhãn dệt và nhãn in"},
	"shoe-sole":             {"Đế giày EVA"},
	"sheet-metal-enclosure": {"Tủ điện công nghiệp"},
}

var familyNames = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Phan", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh"}

var familyWeights = []float64{38, 11, 9, 7, 5, 5, 3, 3, 3, 3, 2, 2, 1, 2, 2}

var (
	maleMiddle   = []string{"Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Mạnh", "Thanh", "Công", "Tiến"}
	maleGiven    = []string{"Hùng", "Dũng", "Tuấn", "Nam", "Hải", "Long", "Thắng", "Cường", "Sơn", "Trung", "Hiếu", "Quân", "Tùng", "Việt", "Khánh", "Phong", "Đạt"}
	femaleMiddle = []string{"Thị", "Thu", "Thanh", "Ngọc", "Minh", "Thùy", "Hồng"}
	femaleGiven  = []string{"Lan", "Hương", "Hằng", "Thảo", "Trang", "Nga", "Hoa", "Linh", "Mai", "Huyền", "Phương", "Yến", "Hà", "Dung"}
)
