package sample

import (
	"math/rand/v2"
	"strings"

	"github.com/hanoi-cnht/portal/models"
)

// chooseCustomers picks export markets, key customers and key-product titles.
func (w *sampleWorld) chooseCustomers(sf *sampleFirm) {
	r := sf.r
	p := 0.27
	switch {
	case sf.foreignOwned():
		p = 0.75
	case sf.Employees > 100:
		p = 0.5
	case sf.Employees <= 10:
		p = 0.08
	}
	if r.Float64() < p {
		markets := sf.sector.profile.markets
		n := 1 + pickWeighted(r, []float64{45, 30, 15, 10})
		for _, m := range shuffled(r, markets) {
			if len(sf.ExportMarkets) >= n {
				break
			}
			if c, ok := models.ResolveCountry(m); ok {
				sf.ExportMarkets = append(sf.ExportMarkets, c.Code)
			}
		}
	}
	if r.Float64() < 0.72 {
		n := 1 + r.IntN(3)
		for _, c := range shuffled(r, sf.sector.profile.customers) {
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
		sf.Recognitions = append(sf.Recognitions, models.Recognition{Year: year, Product: product})
		if year+3 <= lastYear && r.Float64() < 0.4 {
			sf.Recognitions = append(sf.Recognitions, models.Recognition{Year: year + 3, Product: product})
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
