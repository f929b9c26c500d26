package sample

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
