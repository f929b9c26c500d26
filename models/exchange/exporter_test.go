package exchange

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
	"github.com/hanoi-cnht/portal/models/store/storetest"
)

// richFirms uses every column, and text that is hard to carry through a spreadsheet: commas,
// semicolons inside parentheses, line breaks, leading signs, markup.
func richFirms(t *testing.T, ref *models.Reference) []*models.Firm {
	t.Helper()
	term := func(code string) models.Term {
		tm, ok := ref.Term(code)
		if !ok {
			t.Fatalf("no term %s", code)
		}
		return tm
	}
	verified := time.Date(2025, 3, 4, 10, 22, 33, 0, time.UTC)
	lat, lng := 21.138512345678, 105.78700001
	lat2, lng2 := 21.0285, 105.8542
	return []*models.Firm{
		{
			TaxCode: "0101234567", NameVI: "Công ty TNHH Cơ khí Chính xác Đông Anh", NameEN: "Dong Anh Precision <script>alert(1)</script>",
			ShortName: "DAP", DescriptionVI: "Dòng một, có dấu phẩy;\nDòng hai \"trích dẫn\".",
			DescriptionEN: `=HYPERLINK("http://example.com","click")`,
			Terms:         []models.Term{term("co-khi"), term("mould-die"), term("fibre-yarn"), term("cnc-machining"), term("steel")},
			FreeTerms:     models.FreeTermList{{Kind: models.KindProduct, Text: "Linh kiện máy bay không người lái"}, {Kind: models.KindMaterial, Text: "Hợp kim đặc biệt"}},
			Certificates: []models.Certificate{
				{Standard: "ISO 9001", Edition: "2015", Number: "QMS 2024/118", Issuer: "TÜV Rheinland Vietnam Co., Ltd.",
					Scope: "Gia công chi tiết (khuôn, đồ gá), lắp ráp", IssuedOn: models.DateOf(2024, 7, 1), Expires: models.DateOf(2027, 6, 30), VerifiedAt: &verified},
				{Standard: "IATF 16949"},
				{Standard: "SA 8000", Edition: "2014", Expires: models.DateOf(2026, 1, 1)},
			},
			Sites: []models.Site{{Address: "Lô 12, KCN Thăng Long", Ward: "", District: "017", Zone: "kcn-thang-long",
				Corridors: models.StringList{"ql18-quang-ninh", "south-ql10-coastal"}, CorridorsSet: true, Latitude: &lat, Longitude: &lng}},
			KeyCustomers:  models.StringList{"Canon Vietnam Co., Ltd.", "Honda Vietnam"},
			ExportMarkets: models.StringList{"JP", "KR", "Brazil"},
			Recognitions:  []models.Recognition{{Year: 2023, Product: "Khuôn ép nhựa chính xác"}, {Year: 2021}},
			Employees:     1200, FoundedYear: 2005, Ownership: models.OwnershipFDI,
			Website: "https://dongan-precision.vn", Email: "info@dongan-precision.vn", Phone: "+84 24 3883 1234", ContactName: "-Nguyễn Văn An",
		},
		{TaxCode: "0109876543-001", NameVI: "Chi nhánh Công ty CP Điện tử", Ownership: models.OwnershipState,
			Terms: []models.Term{term("dien-tu"), term("pcba")},
			Sites: []models.Site{{Address: "25 Hàng Bài", Ward: "Hoàn Kiếm", District: "002", Latitude: &lat2, Longitude: &lng2}}},
		{TaxCode: "0105555555", NameVI: "Công ty TNHH Nhựa Sóc Sơn", Employees: 8, Ownership: models.OwnershipJointVenture,
			Sites: []models.Site{{Ward: "xã Trung Giã"}}},
		{TaxCode: "0106666666", NameVI: "Hộ kinh doanh tối giản"},
	}
}

// firmContent is what a firm says, without ids, timestamps, slug or the scan's path (which exports
// do not carry); a verification is compared by day, the precision the file keeps.
func firmContent(t *testing.T, f *models.Firm) string {
	t.Helper()
	c := *f
	c.ID, c.Slug, c.CreatedAt, c.UpdatedAt = 0, "", time.Time{}, time.Time{}
	c.Certificates = slices.Clone(f.Certificates)
	for i := range c.Certificates {
		c.Certificates[i].Evidence = ""
		if v := c.Certificates[i].VerifiedAt; v != nil {
			day := v.UTC().Truncate(24 * time.Hour)
			c.Certificates[i].VerifiedAt = &day
		}
	}
	b, err := json.Marshal(struct {
		F            models.Firm
		Terms        []string
		CorridorsSet []bool
	}{c, termCodes(f), corridorsSet(f)})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func corridorsSet(f *models.Firm) []bool {
	var out []bool
	for _, s := range f.Sites {
		out = append(out, s.CorridorsSet)
	}
	return out
}

func allContent(t *testing.T, s *store.Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := s.EachFirm(context.Background(), 2, func(firms []*models.Firm) error {
		for _, f := range firms {
			out[f.TaxCode] = firmContent(t, f)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(strings.ToUpper(format), func(t *testing.T) {
			src := storetest.Open(t)
			if _, err := src.SaveFirms(ctx, richFirms(t, src.Reference())); err != nil {
				t.Fatal(err)
			}
			var file bytes.Buffer
			if err := Export(ctx, src, &file, format); err != nil {
				t.Fatal(err)
			}

			dst := storetest.Open(t)
			rep, err := Import(ctx, dst, bytes.NewReader(file.Bytes()), "export."+format, ImportOptions{})
			if err != nil {
				t.Fatalf("import: %v %v", err, rep.Problems)
			}
			if rep.Created != 4 {
				t.Errorf("report = %+v", rep)
			}
			want, got := allContent(t, src), allContent(t, dst)
			for code, w := range want {
				if got[code] != w {
					t.Errorf("%s after the round trip:\n got  %s\n want %s", code, got[code], w)
				}
			}
			if len(got) != len(want) {
				t.Errorf("%d firms after the round trip, want %d", len(got), len(want))
			}

			// Importing its own export changes nothing, not even update times.
			stamps, _ := src.FirmStamps(ctx)
			before := dumpFirms(t, src)
			rep, err = Import(ctx, src, bytes.NewReader(file.Bytes()), "export."+format, ImportOptions{})
			if err != nil {
				t.Fatal(err, rep.Problems)
			}
			if rep.Unchanged != 4 || rep.Created+rep.Updated != 0 {
				t.Errorf("re-import of the export = %+v", rep)
			}
			if again, _ := src.FirmStamps(ctx); !slices.Equal(again, stamps) || dumpFirms(t, src) != before {
				t.Errorf("re-importing the export changed the database")
			}
		})
	}
}

func TestExportCSVIsReadableInExcel(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	if _, err := s.SaveFirms(ctx, richFirms(t, s.Reference())); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Export(ctx, s, &out, "csv"); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out.Bytes(), []byte("\uFEFF")) {
		t.Error("no UTF-8 byte-order mark")
	}
	recs, err := csv.NewReader(bytes.NewReader(out.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(recs[0], ImportColumns) || len(recs) != 5 {
		t.Fatalf("header %v, %d rows", recs[0], len(recs))
	}
	row := map[string]string{}
	for i, c := range recs[0] {
		row[c] = recs[1][i]
	}
	for col, want := range map[string]string{
		"tax_code":        "0101234567",
		"sectors":         "Cơ khí chế tạo",
		"products":        "Khuôn mẫu; Xơ, sợi; Linh kiện máy bay không người lái",
		"certifications":  "ISO 9001:2015 (2027-06-30, issued 2024-07-01, no. QMS 2024/118, by TÜV Rheinland Vietnam Co., Ltd., scope Gia công chi tiết (khuôn, đồ gá), lắp ráp, verified 2025-03-04T10:22:33Z); IATF 16949; SA 8000:2014 (2026-01-01)",
		"district":        "Đông Anh",
		"industrial_zone": "KCN Thăng Long",
		"corridors":       "Hà Nội – Bắc Ninh – Hải Dương – Quảng Ninh; Phía Nam – vành đai ven biển (QL10, QL1, Pháp Vân – Ninh Bình)",
		"latitude":        "21.138512345678",
		"employees":       "1200",
		"ownership":       "FDI",
		"export_markets":  "Nhật Bản; Hàn Quốc; Brazil",
		"spcncl_years":    "2023: Khuôn ép nhựa chính xác; 2021",
		// Text a spreadsheet would run as a formula is guarded; phone numbers are not formulas.
		"description_en": `'=HYPERLINK("http://example.com","click")`,
		"contact_name":   "'-Nguyễn Văn An",
		"phone":          "+84 24 3883 1234",
	} {
		if row[col] != want {
			t.Errorf("%s = %q, want %q", col, row[col], want)
		}
	}
	// Derived corridors are not written, so they stay derived after an import.
	if recs[2][slices.Index(ImportColumns, "corridors")] != "" {
		t.Errorf("derived corridors were exported: %q", recs[2][slices.Index(ImportColumns, "corridors")])
	}
}

func TestExportXLSX(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	if _, err := s.SaveFirms(ctx, richFirms(t, s.Reference())); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Export(ctx, s, &out, "XLSX"); err != nil {
		t.Fatal(err)
	}
	wb, err := excelize.OpenReader(&out)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rows, err := wb.GetRows(wb.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || !slices.Equal(rows[0], ImportColumns) {
		t.Fatalf("%d rows, header %v", len(rows), rows[0])
	}
	// Tax codes are text (no lost leading zero); head counts are numbers.
	if typ, _ := wb.GetCellType("Firms", "A2"); typ == excelize.CellTypeNumber {
		t.Error("tax code written as a number")
	}
	col, _ := excelize.ColumnNumberToName(slices.Index(ImportColumns, "employees") + 1)
	if typ, _ := wb.GetCellType("Firms", col+"2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("employees cell type %v", typ)
	}
	if v, _ := wb.GetCellValue("Firms", col+"2"); v != "1200" {
		t.Errorf("employees = %q", v)
	}
}

func TestExportRejectsUnknownFormat(t *testing.T) {
	s := storetest.Open(t)
	if err := Export(context.Background(), s, &bytes.Buffer{}, "pdf"); err == nil {
		t.Error("export to pdf did not fail")
	}
}
