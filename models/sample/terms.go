package sample

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/hanoi-cnht/portal/models"
)

func (w *sampleWorld) chooseTerms(sf *sampleFirm) {
	r := sf.r
	n := 1 + pickWeighted(r, []float64{35, 35, 20, 10})
	sf.products = pickProducts(r, sf.sector.products, n)
	if sf.second != nil {
		sf.products = append(sf.products, pickProducts(r, sf.second.products, min(1+r.IntN(2), 5-len(sf.products)))...)
	}
	var procs, mats []models.Term
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
		sf.FreeTerms = append(sf.FreeTerms, models.FreeTerm{Kind: models.KindProduct, Text: ft})
	}
	for _, p := range sf.processes {
		if m, ok := processMachines[p.Code]; ok && len(sf.machines) < 3 {
			n := machineCount(r, sf.Employees, m.most)
			sf.machines = append(sf.machines, m.count(n))
			sf.Equipment = append(sf.Equipment, models.Equipment{MachineType: m.count(1).vi, Count: n})
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
	"gioăng phớt", "tay nắm tủ điện", "thùng carton 5 lớp", "đầu cốt điện", "tấm tản nhiệt nhôm",
	"con lăn cao su", "bạc đồng", "nhãn dệt", "móc treo quần áo", "đinh tán", "ke góc"}
