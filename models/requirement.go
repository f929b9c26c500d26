package models

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// CriterionKind names what a criterion of a requirement is about. All but equipment and near are
// the search filters of the same name.
type CriterionKind string

// The kinds of criterion a buyer can state.
const (
	CriterionSector    CriterionKind = "sector"
	CriterionProduct   CriterionKind = "product"
	CriterionProcess   CriterionKind = "process"
	CriterionMaterial  CriterionKind = "material"
	CriterionCert      CriterionKind = "cert"
	CriterionCorridor  CriterionKind = "corridor"
	CriterionDistrict  CriterionKind = "district"
	CriterionZone      CriterionKind = "zone"
	CriterionSize      CriterionKind = "size"
	CriterionOwnership CriterionKind = "ownership"
	CriterionSPCNCL    CriterionKind = "spcncl"
	CriterionMarket    CriterionKind = "market"
	CriterionEquipment CriterionKind = "equipment"
	CriterionNear      CriterionKind = "near"
)

// CriterionKinds lists every kind in the order a form offers them.
var CriterionKinds = []CriterionKind{CriterionProduct, CriterionProcess, CriterionMaterial, CriterionSector,
	CriterionCert, CriterionCorridor, CriterionDistrict, CriterionZone, CriterionNear, CriterionSize,
	CriterionOwnership, CriterionMarket, CriterionSPCNCL, CriterionEquipment}

// Limits of a requirement.
const (
	MaxCriteria         = 20
	MaxRequirementText  = 500
	MaxCriterionValue   = 200
	DefaultWeight       = 1.0
	MinWeight           = 0.1
	MaxWeight           = 10.0
	MaxNearKm           = 500.0
	minSPCNCLYear       = 2000
	maxSPCNCLYear       = 2100
	criterionFieldStart = "criteria["
)

// Requirement is what a buyer asks of a supplier: free text and criteria, each required or
// preferred. Resolve checks it and fills in the codes its values name.
type Requirement struct {
	Text     string
	Criteria []Criterion
}

// Criterion is one thing a buyer asks for.
type Criterion struct {
	Kind CriterionKind
	// Value is what the buyer gave: a code or a label in either language; for equipment a
	// machine with an optional threshold ("press ≥ 250 t"); for near "latitude, longitude, km"
	// unless Near is given directly.
	Value string
	// Required criteria must all be met; preferred ones rank the suppliers that meet them.
	Required bool
	// Weight is how much a preferred criterion counts against the others; 0 means DefaultWeight.
	Weight float64
	// Verified asks, for a certificate, that the Department verified it (and it is current).
	Verified bool

	// Filled by Resolve.
	Code      string         // the code of what Value names: term, standard, corridor, district, zone, band, ownership, country
	Year      int            // spcncl: a recognition of this year; 0 for any
	Equipment *EquipmentNeed // equipment
	Near      *Near          // near
}

// Near is a place and how far from it a site may be.
type Near struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
	Km  float64 `json:"km"`
}

// String writes the place as a form field takes it: "21.0285, 105.8542, 30".
func (n Near) String() string {
	return strconv.FormatFloat(n.Lat, 'f', -1, 64) + ", " + strconv.FormatFloat(n.Lon, 'f', -1, 64) + ", " +
		strconv.FormatFloat(n.Km, 'f', -1, 64)
}

// CriterionField is how field errors name a criterion's part: "criteria[2].value" (1-based).
func CriterionField(i int, part string) string {
	return criterionFieldStart + strconv.Itoa(i+1) + "]." + part
}

// Resolve checks the requirement against the reference data and fills in each criterion's
// code, threshold or place. Every problem is reported, each naming its field.
func (r *Requirement) Resolve(ref *Reference) error {
	var p problems
	r.Text = strings.TrimSpace(r.Text)
	checkText(&p, "text", r.Text, MaxRequirementText, false)
	if r.Text == "" && len(r.Criteria) == 0 {
		p.add("criteria", "validation.required", nil)
		return p.err()
	}
	if len(r.Criteria) > MaxCriteria {
		p.add("criteria", "validation.too_many", Args{"Count": len(r.Criteria), "Max": MaxCriteria})
		return p.err()
	}
	for i := range r.Criteria {
		r.Criteria[i].resolve(&p, ref, i)
	}
	return p.err()
}

func (c *Criterion) resolve(p *problems, ref *Reference, i int) {
	c.Value = strings.TrimSpace(c.Value)
	field := func(part string) string { return CriterionField(i, part) }
	if !validKind(c.Kind) {
		p.add(field("kind"), "validation.criterion_kind", Args{"Value": quoted(c.Kind)})
		return
	}
	switch {
	case c.Weight == 0:
		c.Weight = DefaultWeight
	case math.IsNaN(c.Weight) || c.Weight < MinWeight || c.Weight > MaxWeight:
		p.add(field("weight"), "validation.number_range", Args{"Value": c.Weight, "Min": MinWeight, "Max": MaxWeight})
	}
	if c.Kind == CriterionNear && c.Near != nil {
		c.Value = c.Near.String()
	}
	checkText(p, field("value"), c.Value, MaxCriterionValue, false)
	if c.Value == "" && c.Kind != CriterionSPCNCL {
		p.add(field("value"), "validation.required", nil)
		return
	}
	bad := func(key string) { p.add(field("value"), key, Args{"Value": quoted(c.Value)}) }
	switch c.Kind {
	case CriterionSector, CriterionProduct, CriterionProcess, CriterionMaterial:
		kind := TermKind(c.Kind)
		t, ok := ref.Term(c.Value)
		if !ok || t.Kind != kind {
			if t, ok = ref.ResolveTerm(kind, c.Value); !ok {
				bad("validation.unknown_term")
				return
			}
		}
		c.Code = t.Code
	case CriterionCert:
		s, ok := ref.Standard(c.Value)
		if !ok {
			if s, ok = ref.ResolveStandard(c.Value); !ok {
				bad("validation.unknown_standard")
				return
			}
		}
		c.Code = s.Code
	case CriterionCorridor:
		co, ok := ref.Corridor(c.Value)
		if !ok {
			if co, ok = ref.ResolveCorridor(c.Value); !ok {
				bad("validation.unknown_corridor")
				return
			}
		}
		c.Code = co.Code
	case CriterionDistrict:
		d, ok := ref.ResolveDistrict(c.Value)
		if !ok {
			bad("validation.unknown_district")
			return
		}
		c.Code = d.Code
	case CriterionZone:
		z, ok := ref.Zone(c.Value)
		if !ok {
			if z, ok = ref.ResolveZone(c.Value); !ok {
				bad("validation.unknown_zone")
				return
			}
		}
		c.Code = z.Code
	case CriterionSize:
		b, ok := sizeByKey[FoldKey(c.Value)]
		if !ok {
			bad("validation.size")
			return
		}
		c.Code = string(b)
	case CriterionOwnership:
		o, ok := ownershipByKey[FoldKey(c.Value)]
		if !ok {
			bad("validation.ownership")
			return
		}
		c.Code = string(o)
	case CriterionMarket:
		co, ok := ResolveCountry(c.Value)
		if !ok {
			bad("validation.unknown_market")
			return
		}
		c.Code = co.Code
	case CriterionSPCNCL:
		switch k := FoldKey(c.Value); {
		case k == "" || k == "yes" || k == "true" || k == "1" || k == "co" || k == "any":
			c.Year = 0
		default:
			y, err := strconv.Atoi(k)
			if err != nil || y < minSPCNCLYear || y > maxSPCNCLYear {
				bad("validation.spcncl")
				return
			}
			c.Year = y
		}
	case CriterionEquipment:
		need, ok := ParseEquipmentNeed(c.Value)
		if !ok {
			bad("validation.equipment")
			return
		}
		c.Equipment = &need
	case CriterionNear:
		if c.Near == nil {
			n, ok := parseNear(c.Value)
			if !ok {
				bad("validation.near")
				return
			}
			c.Near = &n
		}
		n := c.Near
		switch {
		case math.IsNaN(n.Lat) || n.Lat < -90 || n.Lat > 90:
			p.add(field("value.lat"), "validation.number_range", Args{"Value": n.Lat, "Min": -90, "Max": 90})
		case math.IsNaN(n.Lon) || n.Lon < -180 || n.Lon > 180:
			p.add(field("value.lon"), "validation.number_range", Args{"Value": n.Lon, "Min": -180, "Max": 180})
		case math.IsNaN(n.Km) || n.Km <= 0 || n.Km > MaxNearKm:
			p.add(field("value.km"), "validation.number_range", Args{"Value": n.Km, "Min": 1, "Max": MaxNearKm})
		}
	}
}

func validKind(k CriterionKind) bool {
	for _, v := range CriterionKinds {
		if v == k {
			return true
		}
	}
	return false
}

// parseNear reads "latitude, longitude, km" (commas, semicolons or spaces between).
func parseNear(s string) (Near, bool) {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' })
	if len(parts) == 4 && strings.EqualFold(parts[3], "km") {
		parts = parts[:3]
	}
	if len(parts) != 3 {
		return Near{}, false
	}
	var v [3]float64
	for i, part := range parts {
		f, err := strconv.ParseFloat(strings.TrimSuffix(strings.ToLower(part), "km"), 64)
		if err != nil {
			return Near{}, false
		}
		v[i] = f
	}
	return Near{Lat: v[0], Lon: v[1], Km: v[2]}, true
}

// sizeByKey accepts the band codes and their names in both languages.
var sizeByKey = map[string]SizeBand{
	"micro": SizeMicro, "sieu nho": SizeMicro, "small": SizeSmall, "nho": SizeSmall,
	"medium": SizeMedium, "vua": SizeMedium, "large": SizeLarge, "lon": SizeLarge,
}

// ownershipByKey accepts the ownership codes and their names in both languages.
var ownershipByKey = map[string]Ownership{
	"private": OwnershipPrivate, "tu nhan": OwnershipPrivate, "state": OwnershipState, "nha nuoc": OwnershipState,
	"state owned": OwnershipState, "fdi": OwnershipFDI, "foreign invested": OwnershipFDI, "von nuoc ngoai": OwnershipFDI,
	"jv": OwnershipJointVenture, "joint venture": OwnershipJointVenture, "lien doanh": OwnershipJointVenture,
}

// EquipmentNeed is a machine a buyer asks for, with an optional threshold: "press ≥ 250 t" is
// machine "press", at least 250 of unit "t".
type EquipmentNeed struct {
	Machine string  // as the buyer wrote it, without the threshold
	Min     float64 // 0 when no threshold was given
	Unit    string  // a unit of Units; "" when no threshold
	// words are the folded spellings of the machine: its class's, or the buyer's own.
	words []string
}

// Units are the units equipment thresholds are stated in, by canonical name.
var Units = []string{"t", "axes", "mm", "kW"}

// unitOf maps the spellings of units, folded, to their canonical name.
var unitOf = map[string]string{
	"t": "t", "tan": "t", "ton": "t", "tons": "t", "tonne": "t", "tonnes": "t", "tf": "t",
	"axis": "axes", "axes": "axes", "truc": "axes", "mm": "mm", "kw": "kW",
}

const unitPattern = `tonnes|tonne|tons|ton|tan|tf|t|axes|axis|truc|mm|kw`

// quantityPattern finds "250 t", "300 tấn", "5-axis", "5 trục" in folded text.
var quantityPattern = regexp.MustCompile(`(\d+(?:[.,]\d+)?)\s*-?\s*(` + unitPattern + `)\b`)

// needPattern reads "press ≥ 250 t", "CNC >= 5 axes", "máy dập 250 tấn" from folded text.
var needPattern = regexp.MustCompile(`^(.*?)\s*(?:≥|>=|>|=|at least|it nhat|tu|toi thieu)?\s*(\d+(?:[.,]\d+)?)\s*-?\s*(` + unitPattern + `)\s*$`)

// ParseEquipmentNeed reads a machine with an optional threshold.
func ParseEquipmentNeed(s string) (EquipmentNeed, bool) {
	s = strings.TrimSpace(s)
	folded := strings.TrimSpace(Fold(s))
	need := EquipmentNeed{Machine: s}
	if m := needPattern.FindStringSubmatch(folded); m != nil {
		need.Min = parseAmount(m[2])
		need.Unit = unitOf[m[3]]
		folded = m[1]
		// Keep the buyer's own spelling of the machine, without the threshold.
		if cut := cutThreshold(s); cut != "" {
			need.Machine = cut
		}
	}
	key := FoldKey(folded)
	if key == "" || need.Min < 0 {
		return EquipmentNeed{}, false
	}
	need.words = []string{key}
	for _, class := range machineClasses {
		if class.names(key) {
			need.words = class.words
			break
		}
	}
	return need, true
}

// cutThreshold returns s up to where its threshold starts.
func cutThreshold(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return r >= '0' && r <= '9' || r == '≥' || r == '>' || r == '=' })
	if i <= 0 {
		return ""
	}
	out := strings.TrimSpace(s[:i])
	for _, w := range []string{"at least", "ít nhất", "tối thiểu", "từ"} {
		out = strings.TrimSpace(strings.TrimSuffix(out, w))
	}
	return out
}

// parseAmount reads "250", "1.5", "1,5" and "1.000" (a separator before exactly three digits
// groups thousands, as both languages write them).
func parseAmount(s string) float64 {
	if i := strings.IndexAny(s, ".,"); i >= 0 {
		if len(s)-i-1 == 3 {
			s = s[:i] + s[i+1:]
		} else {
			s = s[:i] + "." + s[i+1:]
		}
	}
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

// Matches reports whether a listed machine is of the kind asked for, from its type and
// specification.
func (n EquipmentNeed) Matches(e Equipment) bool {
	text := " " + FoldKey(e.MachineType+" "+e.Spec) + " "
	for _, w := range n.words {
		if strings.Contains(text, " "+w+" ") || strings.Contains(text, " "+w+"s ") || strings.Contains(text, " "+w+"es ") {
			if w == "press" && strings.Contains(text, " press brake") {
				continue // a press brake bends; it is no stamping press
			}
			return true
		}
	}
	return false
}

// Quantity is the largest amount of unit a machine's type and specification state ("presses
// from 60 to 300 t" → 300), and whether any is stated.
func (n EquipmentNeed) Quantity(e Equipment, unit string) (float64, bool) {
	var best float64
	found := false
	for _, m := range quantityPattern.FindAllStringSubmatch(Fold(e.MachineType+" "+e.Spec), -1) {
		if unitOf[m[2]] != unit {
			continue
		}
		if v := parseAmount(m[1]); !found || v > best {
			best, found = v, true
		}
	}
	return best, found
}

// String writes the need back: "press ≥ 250 t".
func (n EquipmentNeed) String() string {
	if n.Unit == "" {
		return n.Machine
	}
	return fmt.Sprintf("%s ≥ %s %s", n.Machine, strconv.FormatFloat(n.Min, 'f', -1, 64), n.Unit)
}

// machineClass is a kind of machine with its spellings in both languages, folded. A buyer's
// "press" then finds a firm's "máy dập".
type machineClass struct{ words []string }

func (c machineClass) names(key string) bool {
	for _, w := range c.words {
		if key == w || key == w+"s" || key == "may "+w {
			return true
		}
	}
	return false
}

var machineClasses = []machineClass{
	{[]string{"press brake", "may chan", "bending machine"}},
	{[]string{"injection moulding machine", "injection molding machine", "injection moulding", "injection molding",
		"may ep nhua", "ep nhua", "may ep phun", "injection machine"}},
	{[]string{"die casting machine", "die casting", "may duc ap luc", "duc ap luc"}},
	{[]string{"press", "stamping press", "power press", "may dap", "dap", "may dot"}},
	{[]string{"cnc", "machining centre", "machining center", "trung tam gia cong", "cnc machine", "may cnc"}},
	{[]string{"lathe", "may tien"}},
	{[]string{"milling machine", "may phay", "phay", "mill"}},
	{[]string{"laser cutter", "laser", "cat laser", "may cat laser", "laser cutting machine"}},
	{[]string{"edm", "wire cut", "may cat day", "may xung", "cat day"}},
	{[]string{"grinder", "grinding machine", "may mai"}},
	{[]string{"welding robot", "robotic welder", "may han robot", "robot han"}},
	{[]string{"smt line", "smt", "pick and place", "gap dat"}},
	{[]string{"sewing machine", "may may", "may may cong nghiep"}},
}
