package exchange

import (
	"strings"

	"github.com/hanoi-cnht/portal/models"
)

// columnAliases are the other headers accepted for each column, matched after FoldKey, so case,
// diacritics and punctuation do not matter ("Quận/Huyện", "quan huyen").
var columnAliases = map[string][]string{
	"tax_code":       {"Mã số thuế", "MST", "Mã số doanh nghiệp", "Mã số DN", "Tax code", "Tax ID"},
	"name_vi":        {"Tên doanh nghiệp", "Tên tiếng Việt", "Tên công ty", "Tên DN", "Tên", "Company name", "Name"},
	"name_en":        {"Tên tiếng Anh", "Tên nước ngoài", "Tên giao dịch tiếng Anh", "English name"},
	"short_name":     {"Tên viết tắt", "Short name", "Abbreviation"},
	"description_vi": {"Mô tả", "Mô tả tiếng Việt", "Giới thiệu", "Description"},
	"description_en": {"Mô tả tiếng Anh", "English description"},
	"sectors":        {"Ngành", "Lĩnh vực", "Ngành nghề", "Sector"},
	"products":       {"Sản phẩm", "Sản phẩm chính", "Product"},
	"processes":      {"Quy trình", "Công nghệ", "Công đoạn", "Process"},
	"materials":      {"Vật liệu", "Nguyên liệu", "Material"},
	"certifications": {"Chứng chỉ", "Chứng nhận", "Chứng chỉ/Chứng nhận", "Tiêu chuẩn", "Certificates", "Certification"},
	"address":        {"Địa chỉ"},
	"ward":           {"Phường/Xã", "Xã/Phường", "Phường", "Commune"},
	"district":       {"Quận/Huyện", "Quận huyện cũ", "Quận/Huyện cũ", "Former district"},
	"industrial_zone": {"KCN/CCN", "KCN", "CCN", "Khu công nghiệp", "Cụm công nghiệp", "Khu/Cụm công nghiệp",
		"Industrial park", "Zone"},
	"corridors":        {"Hành lang", "Hành lang công nghiệp", "Corridor"},
	"latitude":         {"Vĩ độ", "Lat"},
	"longitude":        {"Kinh độ", "Lng", "Lon", "Long"},
	"other_sites":      {"Cơ sở khác", "Nhà máy khác", "Địa điểm khác", "Other sites"},
	"verified_at":      {"Ngày xác minh", "Xác minh", "Verified"},
	"equipment":        {"Thiết bị", "Máy móc thiết bị", "Máy móc", "Equipment", "Machines"},
	"monthly_capacity": {"Công suất", "Công suất tháng", "Năng lực sản xuất", "Capacity"},
	"lot_sizes":        {"Cỡ lô", "Số lượng đặt hàng", "Lot size"},
	"lead_time_days":   {"Thời gian giao hàng", "Thời gian giao hàng (ngày)", "Lead time"},
	"capacity_notes":   {"Ghi chú năng lực", "Capacity notes"},
	"employees":        {"Số lao động", "Lao động", "Số nhân viên", "Số công nhân", "Headcount"},
	"founded_year":     {"Năm thành lập", "Founded", "Year founded"},
	"ownership":        {"Loại hình", "Loại hình doanh nghiệp", "Loại hình sở hữu", "Sở hữu"},
	"export_markets":   {"Thị trường xuất khẩu", "Xuất khẩu"},
	"key_customers":    {"Khách hàng chính", "Khách hàng", "Customers"},
	"spcncl_years":     {"SPCNCL", "Sản phẩm CNCL", "Sản phẩm công nghiệp chủ lực", "Key industrial products", "SPCNCL year"},
	"website":          {"Trang web", "Web"},
	"email":            {"E-mail", "Thư điện tử"},
	"phone":            {"Điện thoại", "Số điện thoại", "SĐT", "ĐT", "Tel", "Telephone"},
	"contact_name":     {"Người liên hệ", "Liên hệ", "Contact", "Contact person"},
}

// ignoredHeaders are columns Vietnamese lists often have that carry nothing to import.
var ignoredHeaders = map[string]bool{"stt": true, "tt": true, "no": true, "ghi chu": true, "note": true, "notes": true}

var columnByKey = func() map[string]string {
	m := map[string]string{}
	for _, c := range ImportColumns {
		m[models.FoldKey(c)] = c
		for _, a := range columnAliases[c] {
			m[models.FoldKey(a)] = c
		}
	}
	return m
}()

// importColumnKey finds the column a header names: a column key or a Vietnamese or English alias,
// in any case, with or without diacritics; a trailing "(*)" marking a required column is fine.
func importColumnKey(header string) (string, bool) {
	k, ok := columnByKey[models.FoldKey(header)]
	return k, ok
}

// readHeader finds the header (the first row naming tax_code or name_vi among the first ten, so
// a title above the table is skipped), maps its columns and returns the data rows after it.
func (imp *rowImporter) readHeader(rows []sheetRow) []sheetRow {
	at := 0
	for i, row := range rows[:min(10, len(rows))] {
		known := 0
		for _, c := range row.cells {
			if k, ok := importColumnKey(c); ok && (k == "tax_code" || k == "name_vi") {
				known++
			}
		}
		if known > 0 {
			at = i
			break
		}
	}
	header := rows[at]
	if at > 0 {
		imp.found.warn(header.num, "", "", "the header is row %d; the rows above it were skipped as a title", header.num)
	}
	cols := map[string]int{}
	ok := true
	for i, h := range header.cells {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		key, known := importColumnKey(h)
		switch {
		case !known && ignoredHeaders[models.FoldKey(h)]:
		case !known:
			imp.found.warn(header.num, h, "", "column %s %q is not an import column; it was ignored", columnLetter(i), h)
		default:
			if prev, dup := cols[key]; dup {
				imp.found.problem(header.num, key, h, "columns %s and %s both give %s; keep one", columnLetter(prev), columnLetter(i), key)
				ok = false
				continue
			}
			cols[key] = i
		}
	}
	for _, req := range []struct{ key, vi string }{{"tax_code", "Mã số thuế"}, {"name_vi", "Tên doanh nghiệp"}} {
		if _, found := cols[req.key]; !found {
			imp.found.problem(header.num, req.key, "", "the file has no %s column (%q); it is required", req.key, req.vi)
			ok = false
		}
	}
	if !ok {
		return nil
	}
	imp.cols = cols
	return rows[at+1:]
}
