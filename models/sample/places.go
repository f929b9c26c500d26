package sample

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/hanoi-cnht/portal/models"
)

func (w *sampleWorld) chooseSites(sf *sampleFirm) {
	r := sf.r
	inZone := 0.45
	switch {
	case sf.foreignOwned():
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
			w.pin(r, &second)
		}
		sf.Sites = append(sf.Sites, second)
	}
	if r.Float64() < 0.5 {
		w.pin(r, &sf.Sites[0])
	}
}

// site places one site in a park or cluster, or at an address in an industrial district other
// than avoid.
func (w *sampleWorld) site(sf *sampleFirm, inZone bool, avoid string) models.Site {
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
		s := models.Site{District: d, Zone: z.zone.Code, Address: zoneAddress(r, z.zone)}
		s.Ward = w.zoneWard(r, z, d)
		if sf.place == "" {
			sf.place, sf.placeEN = z.zone.NameVI, z.zone.Label("en")
		}
		return s
	}
	if len(w.districts) == 0 {
		return models.Site{Address: "Hà Nội"}
	}
	weights := make([]float64, len(w.districts))
	for i, d := range w.districts {
		weights[i] = d.weight
		if d.district.Code == avoid {
			weights[i] = 0
		}
	}
	d := w.districts[pickWeighted(r, weights)]
	s := models.Site{District: d.district.Code, Ward: w.ward(r, d.district.Code)}
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

func zoneAddress(r *rand.Rand, z models.Zone) string {
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

func (w *sampleWorld) centre(s models.Site) (float64, float64) {
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

// pin gives a site coordinates scattered within about a kilometre of its park's or district's
// centre, so firms in one place do not sit on a single point of the map.
func (w *sampleWorld) pin(r *rand.Rand, s *models.Site) {
	lat, lon := w.centre(*s)
	la := math.Round((lat+(r.Float64()-0.5)*0.03)*1e5) / 1e5
	lo := math.Round((lon+(r.Float64()-0.5)*0.03)*1e5) / 1e5
	s.Latitude, s.Longitude = &la, &lo
}

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
