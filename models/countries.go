package models

// Country is an export market, named by ISO 3166-1 alpha-2 code.
type Country struct {
	Code   string
	NameVI string
	NameEN string
	Other  []string // other spellings people write
}

// Label is the country's name in lang.
func (c Country) Label(lang string) string { return pick(lang, c.NameVI, c.NameEN) }

// Countries lists the export markets Hanoi's supporting-industry firms sell to most.
var Countries = []Country{
	{"JP", "Nhật Bản", "Japan", []string{"Nhat", "Japanese"}},
	{"KR", "Hàn Quốc", "South Korea", []string{"Korea", "Han", "Republic of Korea"}},
	{"CN", "Trung Quốc", "China", []string{"PRC"}},
	{"TW", "Đài Loan", "Taiwan", nil},
	{"HK", "Hồng Kông", "Hong Kong", nil},
	{"TH", "Thái Lan", "Thailand", nil},
	{"SG", "Singapore", "Singapore", nil},
	{"MY", "Malaysia", "Malaysia", nil},
	{"ID", "Indonesia", "Indonesia", nil},
	{"PH", "Philippines", "Philippines", nil},
	{"IN", "Ấn Độ", "India", nil},
	{"LA", "Lào", "Laos", nil},
	{"KH", "Campuchia", "Cambodia", nil},
	{"US", "Hoa Kỳ", "United States", []string{"USA", "Mỹ", "America", "US"}},
	{"CA", "Canada", "Canada", nil},
	{"MX", "Mexico", "Mexico", nil},
	{"DE", "Đức", "Germany", nil},
	{"FR", "Pháp", "France", nil},
	{"IT", "Ý", "Italy", []string{"Italia"}},
	{"NL", "Hà Lan", "Netherlands", []string{"Holland"}},
	{"GB", "Anh", "United Kingdom", []string{"UK", "Vương quốc Anh", "Britain", "England"}},
	{"PL", "Ba Lan", "Poland", nil},
	{"CZ", "Séc", "Czechia", []string{"Czech Republic", "Cộng hòa Séc"}},
	{"SE", "Thụy Điển", "Sweden", nil},
	{"ES", "Tây Ban Nha", "Spain", nil},
	{"AU", "Úc", "Australia", []string{"Australia"}},
	{"AE", "UAE", "United Arab Emirates", []string{"Các Tiểu vương quốc Ả Rập Thống nhất", "Dubai"}},
	{"BD", "Bangladesh", "Bangladesh", nil},
	{"EU", "Liên minh châu Âu", "European Union", []string{"EU", "Châu Âu", "Europe"}},
}

var countryByKey = func() map[string]*Country {
	m := map[string]*Country{}
	for i := range Countries {
		c := &Countries[i]
		for _, w := range append([]string{c.Code, c.NameVI, c.NameEN}, c.Other...) {
			m[FoldKey(w)] = c
		}
	}
	return m
}()

// ResolveCountry finds a country by code or name in either language.
func ResolveCountry(text string) (Country, bool) {
	c, ok := countryByKey[FoldKey(text)]
	if !ok {
		return Country{}, false
	}
	return *c, true
}
