package sample

import "fmt"

// sentence is one template: kind orders sentences in a description; ok says whether the firm has
// what the sentence needs; vi and en write it.
type sentence struct {
	kind   int
	ok     func(c descContext) bool
	vi, en func(c descContext) string
}

// The kinds of sentence, in the order a description puts them.
const (
	sentOpening = iota
	sentCapability
	sentCustomers
	sentQuality
)

func has(xs []string) bool { return len(xs) > 0 }

func always(descContext) bool { return true }

// descSentences are the templates a description is made of, each written in both languages so
// that the English text says what the Vietnamese says.
var descSentences = []sentence{
	{
		kind: sentOpening, ok: always,
		vi: func(c descContext) string {
			return fmt.Sprintf("%s chuyên sản xuất %s cho %s.", c.short, joinVI(c.products), joinVI(c.industries))
		},
		en: func(c descContext) string {
			return fmt.Sprintf("%s makes %s for the %s industries.", c.short, joinEN(c.products), joinEN(c.industries))
		},
	},
	{
		kind: sentOpening, ok: always,
		vi: func(c descContext) string {
			return fmt.Sprintf("Thành lập năm %d, %s là nhà sản xuất %s tại %s.", c.year, c.short, joinVI(c.products), c.place)
		},
		en: func(c descContext) string {
			return fmt.Sprintf("Founded in %d, %s manufactures %s in %s.", c.year, c.short, joinEN(c.products), c.place)
		},
	},
	{
		kind: sentOpening, ok: always,
		vi: func(c descContext) string {
			return fmt.Sprintf("Chúng tôi sản xuất %s theo bản vẽ và yêu cầu kỹ thuật của khách hàng trong các ngành %s.", joinVI(c.products), joinVI(c.industries))
		},
		en: func(c descContext) string {
			return fmt.Sprintf("We make %s to customers' drawings and specifications for the %s industries.", joinEN(c.products), joinEN(c.industries))
		},
	},
	{
		kind: sentOpening, ok: always,
		vi: func(c descContext) string {
			return fmt.Sprintf("%s được thành lập năm %d, hoạt động trong lĩnh vực %s với sản phẩm chính là %s.", c.name, c.year, c.sector, joinVI(c.products))
		},
		en: func(c descContext) string {
			return fmt.Sprintf("%s was founded in %d and works in %s; its main products are %s.", c.name, c.year, c.sector, joinEN(c.products))
		},
	},
	{
		kind: sentOpening, ok: func(c descContext) bool { return has(c.materials) },
		vi: func(c descContext) string {
			return fmt.Sprintf("%s cung cấp %s từ %s cho %s.", c.short, joinVI(c.products), joinVI(c.materials), joinVI(c.industries))
		},
		en: func(c descContext) string {
			return fmt.Sprintf("%s supplies %s in %s to the %s industries.", c.short, joinEN(c.products), joinEN(c.materials), joinEN(c.industries))
		},
	},
	{
		kind: sentCapability, ok: always,
		vi: func(c descContext) string {
			if c.place == "" {
				return fmt.Sprintf("Nhà xưởng rộng %s m² được trang bị %s.", thousands(c.area, "."), joinVI(c.machines))
			}
			return fmt.Sprintf("Nhà xưởng rộng %s m² tại %s được trang bị %s.", thousands(c.area, "."), c.place, joinVI(c.machines))
		},
		en: func(c descContext) string {
			if c.place == "" {
				return fmt.Sprintf("Our %s m² plant is equipped with %s.", thousands(c.area, ","), joinEN(c.machines))
			}
			return fmt.Sprintf("Our %s m² plant in %s is equipped with %s.", thousands(c.area, ","), c.place, joinEN(c.machines))
		},
	},
	{
		kind: sentCapability, ok: func(c descContext) bool { return has(c.processes) },
		vi: func(c descContext) string {
			return fmt.Sprintf("Công ty đầu tư %s, thực hiện khép kín các công đoạn %s.", joinVI(c.machines), joinVI(c.processes))
		},
		en: func(c descContext) string {
			return fmt.Sprintf("With %s, the company handles %s in house.", joinEN(c.machines), joinEN(c.processes))
		},
	},
	{
		kind: sentCapability, ok: func(c descContext) bool { return has(c.processes) },
		vi: func(c descContext) string {
			return fmt.Sprintf("Năng lực chính: %s.", joinVI(c.processes))
		},
		en: func(c descContext) string {
			return fmt.Sprintf("Core capabilities: %s.", joinEN(c.processes))
		},
	},
	{
		kind: sentCapability, ok: always,
		vi: func(c descContext) string {
			return fmt.Sprintf("Đội ngũ %d cán bộ, kỹ sư và công nhân vận hành %s.", c.employees, joinVI(c.machines))
		},
		en: func(c descContext) string {
			return fmt.Sprintf("A team of %d staff, engineers and operators runs %s.", c.employees, joinEN(c.machines))
		},
	},
	{
		kind: sentCustomers, ok: func(c descContext) bool { return has(c.customers) },
		vi: func(c descContext) string {
			return fmt.Sprintf("Khách hàng chính là %s.", joinVI(c.customers))
		},
		en: func(c descContext) string {
			return fmt.Sprintf("Key customers include %s.", joinEN(c.customers))
		},
	},
	{
		kind: sentCustomers, ok: func(c descContext) bool { return has(c.customers) },
		vi: func(c descContext) string {
			return fmt.Sprintf("Sản phẩm của công ty được cung cấp ổn định cho %s.", joinVI(c.customers))
		},
		en: func(c descContext) string {
			return fmt.Sprintf("We are a regular supplier to %s.", joinEN(c.customers))
		},
	},
	{
		kind: sentCustomers, ok: func(c descContext) bool { return has(c.markets) },
		vi: func(c descContext) string {
			return fmt.Sprintf("Ngoài thị trường trong nước, công ty xuất khẩu sang %s.", joinVI(c.markets))
		},
		en: func(c descContext) string {
			return fmt.Sprintf("Besides the domestic market, we export to %s.", joinEN(c.markets))
		},
	},
	{
		kind: sentCustomers, ok: func(c descContext) bool { return has(c.customers) && has(c.markets) },
		vi: func(c descContext) string {
			return fmt.Sprintf("Công ty là nhà cung cấp cho %s và xuất khẩu trực tiếp sang %s.", c.customers[0], joinVI(c.markets))
		},
		en: func(c descContext) string {
			return fmt.Sprintf("The company supplies %s and exports directly to %s.", c.customers[0], joinEN(c.markets))
		},
	},
	{
		kind: sentQuality, ok: func(c descContext) bool { return has(c.certs) },
		vi: func(c descContext) string {
			return fmt.Sprintf("Hệ thống quản lý được chứng nhận %s.", joinVI(c.certs))
		},
		en: func(c descContext) string {
			return fmt.Sprintf("Our management system is certified to %s.", joinEN(c.certs))
		},
	},
	{
		kind: sentQuality, ok: func(c descContext) bool { return has(c.certs) },
		vi: func(c descContext) string {
			return fmt.Sprintf("Công ty duy trì hệ thống quản lý theo %s và kiểm soát chất lượng bằng %s.", joinVI(c.certs), c.qc)
		},
		en: func(c descContext) string {
			return fmt.Sprintf("We run a management system to %s and check quality with %s.", joinEN(c.certs), c.qc)
		},
	},
	{
		kind: sentQuality, ok: func(c descContext) bool { return !has(c.certs) },
		vi: func(c descContext) string {
			return "Công ty đang xây dựng hệ thống quản lý chất lượng theo ISO 9001."
		},
		en: func(c descContext) string {
			return "We are building a quality management system to ISO 9001."
		},
	},
	{
		kind: sentQuality, ok: always,
		vi: func(c descContext) string {
			return fmt.Sprintf("Mọi sản phẩm đều được kiểm tra bằng %s trước khi xuất xưởng.", c.qc)
		},
		en: func(c descContext) string {
			return fmt.Sprintf("Every part is checked with %s before shipping.", c.qc)
		},
	},
}
