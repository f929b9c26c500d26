package sample

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/hanoi-cnht/portal/models"
)

// chooseName builds a legal name from a legal form, trade words and a distinctive name, the way
// Vietnamese firms are named, and decides whether the firm writes in English at all.
func (w *sampleWorld) chooseName(sf *sampleFirm) {
	r := sf.r
	// English is likelier for bigger and foreign-owned firms.
	pEN := 0.58
	switch {
	case sf.foreignOwned():
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
	if sf.Ownership == models.OwnershipFDI && !slices.Contains(partnerNames, distinct) && r.Float64() < 0.5 {
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
	if sf.foreignOwned() && r.Float64() < 0.6 {
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

// deniedName reports whether a name ends in a real company's name.
func (w *sampleWorld) deniedName(name string) bool {
	k := " " + models.FoldKey(name)
	for _, d := range w.denied {
		if strings.HasSuffix(k, d) {
			return true
		}
	}
	return false
}

func formWeights(o models.Ownership) []float64 {
	// legalForms: TNHH, Cổ phần, TNHH MTV
	switch o {
	case models.OwnershipState:
		return []float64{0, 55, 45}
	case models.OwnershipFDI, models.OwnershipJointVenture:
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

var mobilePrefixes = []string{"090", "091", "093", "094", "096", "097", "098", "088", "086", "035", "036", "038", "039", "083", "085"}

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

var familyNames = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Phan", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh"}

var familyWeights = []float64{38, 11, 9, 7, 5, 5, 3, 3, 3, 3, 2, 2, 1, 2, 2}

var (
	maleMiddle   = []string{"Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Mạnh", "Thanh", "Công", "Tiến"}
	maleGiven    = []string{"Hùng", "Dũng", "Tuấn", "Nam", "Hải", "Long", "Thắng", "Cường", "Sơn", "Trung", "Hiếu", "Quân", "Tùng", "Việt", "Khánh", "Phong", "Đạt"}
	femaleMiddle = []string{"Thị", "Thu", "Thanh", "Ngọc", "Minh", "Thùy", "Hồng"}
	femaleGiven  = []string{"Lan", "Hương", "Hằng", "Thảo", "Trang", "Nga", "Hoa", "Linh", "Mai", "Huyền", "Phương", "Yến", "Hà", "Dung"}
)
