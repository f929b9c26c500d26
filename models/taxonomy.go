package models

// TermKind says which facet of the taxonomy a term belongs to.
type TermKind string

// The kinds of taxonomy term.
const (
	KindSector   TermKind = "sector"
	KindProduct  TermKind = "product"
	KindProcess  TermKind = "process"
	KindMaterial TermKind = "material"
)

// Column is the kind's plural, as import columns and field errors name it: "processes".
func (k TermKind) Column() string {
	if k == KindProcess {
		return "processes"
	}
	return string(k) + "s"
}

// TermKinds lists the kinds in display order.
var TermKinds = []TermKind{KindSector, KindProduct, KindProcess, KindMaterial}

// Term is one entry of the bilingual taxonomy: a sector, a product group, a process or a material.
type Term struct {
	Code       string     `gorm:"primaryKey" json:"code"`
	Kind       TermKind   `gorm:"index;not null" json:"kind"`
	Parent     string     `json:"parent,omitempty"` // a product group's sector
	LabelVI    string     `gorm:"not null" json:"label_vi"`
	LabelEN    string     `gorm:"not null" json:"label_en"`
	SynonymsVI StringList `gorm:"type:text" json:"synonyms_vi"`
	SynonymsEN StringList `gorm:"type:text" json:"synonyms_en"`
	Position   int        `json:"-"`
}

// Label is the term's label in lang ("en" or "vi").
func (t Term) Label(lang string) string { return pick(lang, t.LabelVI, t.LabelEN) }

// Words returns every label and synonym in both languages.
func (t Term) Words() []string {
	out := []string{t.LabelVI, t.LabelEN}
	out = append(out, t.SynonymsVI...)
	return append(out, t.SynonymsEN...)
}

// District is one of Hanoi's 30 former district-level units, still used in firms' papers.
type District struct {
	Code      string     `gorm:"primaryKey;size:3" json:"code"` // GSO code, e.g. "017"
	NameVI    string     `gorm:"not null" json:"name_vi"`       // "Đông Anh"
	PrefixVI  string     `json:"prefix_vi"`                     // "Huyện"
	NameEN    string     `json:"name_en"`                       // "Dong Anh"
	Kind      string     `json:"kind"`                          // urban, rural, town
	Corridors StringList `gorm:"type:text" json:"corridors"`
}

// Label is the district's name in lang.
func (d District) Label(lang string) string { return pick(lang, d.NameVI, d.NameEN) }

// Slug is the district's name as a URL segment ("dong-anh").
func (d District) Slug() string { return Slugify(d.NameEN) }

// Zone is an industrial park (KCN), hi-tech park (KCNC) or industrial cluster (CCN).
type Zone struct {
	Code         string     `gorm:"primaryKey" json:"code"`
	Kind         string     `json:"kind"` // kcn, kcnc, ccn, it-park
	NameVI       string     `gorm:"not null" json:"name_vi"`
	NameEN       string     `json:"name_en"`
	Districts    StringList `gorm:"type:text" json:"districts"`
	InHanoi      bool       `json:"in_hanoi"`
	AreaHa       *float64   `json:"area_ha,omitempty"`
	Status       string     `json:"status"`
	Verification string     `json:"verification"`
	Note         string     `json:"note"`
}

// Label is the zone's name in lang.
func (z Zone) Label(lang string) string { return pick(lang, z.NameVI, z.NameEN) }

// Corridor is an industrial corridor named in regional planning.
type Corridor struct {
	Code          string `gorm:"primaryKey" json:"code"`
	LabelVI       string `gorm:"not null" json:"label_vi"`
	LabelEN       string `json:"label_en"`
	Roads         string `json:"roads"`
	DescriptionEN string `json:"description_en"`
	Verification  string `json:"verification"`
	Position      int    `json:"-"`
}

// Label is the corridor's name in lang.
func (c Corridor) Label(lang string) string { return pick(lang, c.LabelVI, c.LabelEN) }

// Standard is a certification standard buyers ask for.
type Standard struct {
	Code           string     `gorm:"primaryKey" json:"code"` // "ISO 9001"
	NameEN         string     `json:"name_en"`
	NameVI         string     `json:"name_vi"`
	CurrentEdition string     `json:"current_edition"`
	ScopeEN        string     `json:"scope_en"`
	Sectors        StringList `gorm:"type:text" json:"sectors"`
	Synonyms       StringList `gorm:"type:text" json:"synonyms"`
	Position       int        `json:"-"`
}

// Label is the standard's code, which reads the same in both languages.
func (s Standard) Label(string) string { return s.Code }

// Ward is a ward or commune in force since 1 July 2025.
type Ward struct {
	Name string `gorm:"primaryKey" json:"name"`
	Kind string `json:"kind"` // phuong or xa
}

// FullName is the ward's name as addresses write it: "Phường Đông Ngạc", "Xã Sóc Sơn".
func (w Ward) FullName() string {
	if w.Kind == "xa" {
		return "Xã " + w.Name
	}
	return "Phường " + w.Name
}

func pick(lang, vi, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return vi
}
