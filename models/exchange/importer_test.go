package exchange

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
	"github.com/hanoi-cnht/portal/models/store/storetest"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// dumpFirms renders every stored firm with ids and timestamps, so two dumps are equal only if the
// database holds exactly the same firms.
func dumpFirms(t testing.TB, s *store.Store) string {
	t.Helper()
	var b strings.Builder
	err := s.EachFirm(context.Background(), 100, func(firms []*models.Firm) error {
		for _, f := range firms {
			j, err := json.Marshal(struct {
				F                    *models.Firm
				ID                   uint
				Slug                 string
				Terms                []string
				CreatedAt, UpdatedAt time.Time
			}{f, f.ID, f.Slug, termCodes(f), f.CreatedAt, f.UpdatedAt})
			if err != nil {
				return err
			}
			b.Write(j)
			b.WriteByte('\n')
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func termCodes(f *models.Firm) []string {
	out := []string{}
	for _, t := range f.Terms {
		out = append(out, t.Code)
	}
	return out
}

func mustFirm(t testing.TB, s *store.Store, taxCode string) *models.Firm {
	t.Helper()
	f, err := s.FirmByTaxCode(context.Background(), taxCode)
	if err != nil {
		t.Fatalf("firm %s: %v", taxCode, err)
	}
	return f
}

// buildXLSX makes a workbook whose first sheet holds rows; a second sheet must be ignored.
func buildXLSX(t testing.TB, rows [][]any) []byte {
	t.Helper()
	wb := excelize.NewFile()
	defer wb.Close()
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := wb.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := wb.NewSheet("Ghi chú"); err != nil {
		t.Fatal(err)
	}
	if err := wb.SetSheetRow("Ghi chú", "A1", &[]any{"tax_code", "name_vi"}); err != nil {
		t.Fatal(err)
	}
	if err := wb.SetSheetRow("Ghi chú", "A2", &[]any{"0100000009", "Không được nhập"}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := wb.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sampleXLSX is a Department-style workbook: a title row, Vietnamese headers, numbers as numbers
// (so Excel has dropped the tax code's leading zero).
func sampleXLSX(t *testing.T) []byte {
	return buildXLSX(t, [][]any{
		{"DANH SÁCH DOANH NGHIỆP CÔNG NGHIỆP HỖ TRỢ HÀ NỘI"},
		{},
		{"STT", "MST", "Tên tiếng Việt", "Tên tiếng Anh", "Lĩnh vực", "Sản phẩm", "Công nghệ", "Chứng nhận", "Quận huyện cũ", "Khu công nghiệp", "Lao động", "Năm thành lập", "Loại hình", "Thị trường xuất khẩu", "Sản phẩm CNCL", "Website", "Email"},
		{1, 101234567, "Công ty TNHH Linh kiện Nhựa Thăng Long", "Thang Long Plastic Parts", "Điện tử; Sản xuất lắp ráp ô tô", "Linh kiện nhựa kỹ thuật", "injection moulding; mould making", "ISO 9001:2015 (2027-06-30, issued 2024-07-01); ISO 14001", "Dong Anh", "Thang Long Industrial Park (TLIP)", 850, 2008, "100% vốn nước ngoài", "Japan; USA", "2021: Linh kiện nhựa cho máy in; 2024: Vỏ nhựa ô tô", "http://tlpp.vn", "sales@tlpp.vn"},
		{2, "0108888888", "Công ty CP Cơ khí Thạch Thất", "", "co khi", "Chi tiết máy", "", "", "Thạch Thất", "ccn co kim khi phung xa", "", "", "Tư nhân", "", "", "", ""},
	})
}

func TestImportGoodFiles(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		file      func(t *testing.T) []byte
		fileName  string
		rows      int
		warnings  []RowProblem // Row and Column, and Value if set, must match
		checkFirm func(t *testing.T, s *store.Store)
	}{
		{
			name: "CSVComma", fileName: "firms.csv", rows: 3,
			file: func(t *testing.T) []byte { return readFixture(t, "firms_comma.csv") },
			checkFirm: func(t *testing.T, s *store.Store) {
				f := mustFirm(t, s, "0101234567")
				if got, want := termCodes(f), []string{"co-khi", "mould-die", "metal-stamping", "cnc-machining", "stamping", "steel", "aluminium"}; !slices.Equal(got, want) {
					t.Errorf("terms = %v, want %v", got, want)
				}
				if f.Employees != 1200 || f.FoundedYear != 2005 || f.Ownership != models.OwnershipPrivate || f.ShortName != "DAP" {
					t.Errorf("employees %d, founded %d, ownership %q, short %q", f.Employees, f.FoundedYear, f.Ownership, f.ShortName)
				}
				if len(f.Certificates) != 2 || f.Certificates[0].Standard != "ISO 9001" || f.Certificates[0].Edition != "2015" ||
					f.Certificates[0].Expires.String() != "2027-06-30" || f.Certificates[1].Standard != "IATF 16949" || f.Certificates[1].Expires != nil {
					t.Errorf("certificates = %+v", f.Certificates)
				}
				site := f.MainSite()
				if site == nil || site.District != "017" || site.Zone != "kcn-thang-long" || site.Address != "Lô 12, KCN Thăng Long" ||
					*site.Latitude != 21.1385 || *site.Longitude != 105.787 || site.CorridorsSet || len(site.Corridors) == 0 {
					t.Errorf("site = %+v", site)
				}
				if !slices.Equal(f.ExportMarkets, models.StringList{"JP", "KR"}) || !slices.Equal(f.KeyCustomers, models.StringList{"Canon Vietnam Co., Ltd.", "Honda Vietnam"}) {
					t.Errorf("markets %v, customers %v", f.ExportMarkets, f.KeyCustomers)
				}
				if len(f.Recognitions) != 1 || f.Recognitions[0] != (models.Recognition{ID: f.Recognitions[0].ID, FirmID: f.ID, Year: 2023, Product: "Khuôn ép nhựa chính xác"}) {
					t.Errorf("recognitions = %+v", f.Recognitions)
				}
				if f.Website != "https://dongan-precision.vn" || f.Phone != "024 3883 1234" || f.ContactName != "Nguyễn Văn An" {
					t.Errorf("contact = %q %q %q", f.Website, f.Phone, f.ContactName)
				}
				branch := mustFirm(t, s, "0109876543-001")
				if site := branch.MainSite(); site == nil || site.Ward != "Phường Hoàn Kiếm" || site.District != "" || branch.Ownership != models.OwnershipState {
					t.Errorf("branch site = %+v, ownership %q", site, branch.Ownership)
				}
				if bare := mustFirm(t, s, "0105555555"); len(bare.Sites) != 0 || len(bare.Terms) != 0 {
					t.Errorf("a row with no location has sites %+v", bare.Sites)
				}
			},
		},
		{
			name: "CSVSemicolonBOMVietnameseHeadersNoDiacritics", fileName: "danh-sach.csv", rows: 2,
			file: func(t *testing.T) []byte { return readFixture(t, "firms_vi_semicolon_bom.csv") },
			checkFirm: func(t *testing.T, s *store.Store) {
				f := mustFirm(t, s, "0106666666")
				if got, want := termCodes(f), []string{"co-khi", "mould-die", "metal-stamping", "injection-moulding", "stainless-steel"}; !slices.Equal(got, want) {
					t.Errorf("terms = %v, want %v", got, want)
				}
				c := f.Certificates
				if len(c) != 1 || c[0].Standard != "ISO 9001" || c[0].Edition != "2015" || c[0].Expires.String() != "2027-06-30" || c[0].Number != "QM-77" || c[0].Issuer != "QUACERT" {
					t.Errorf("certificates = %+v", c)
				}
				site := f.MainSite()
				if site == nil || site.District != "250" || site.Zone != "kcn-quang-minh" || !site.CorridorsSet ||
					!slices.Equal(site.Corridors, models.StringList{"ql2-viet-tri"}) || *site.Latitude != 21.1921 || *site.Longitude != 105.7752 {
					t.Errorf("site = %+v", site)
				}
				if f.Employees != 1200 || f.Ownership != models.OwnershipFDI || f.NameEN != "Quang Minh Mould Co., Ltd" || !slices.Equal(f.ExportMarkets, models.StringList{"JP", "KR"}) {
					t.Errorf("employees %d ownership %q name_en %q markets %v", f.Employees, f.Ownership, f.NameEN, f.ExportMarkets)
				}
				g := mustFirm(t, s, "0107777777")
				if g.Ownership != models.OwnershipJointVenture || g.MainSite().District != "018" || !slices.Equal(g.ExportMarkets, models.StringList{"EU"}) {
					t.Errorf("second firm = %+v", g)
				}
			},
		},
		{
			name: "XLSXTitleRowsAndNumbers", fileName: "Danh sach CNHT.xlsx", rows: 2,
			file: sampleXLSX,
			warnings: []RowProblem{
				{Row: 3, Column: ""},
				{Row: 4, Column: "tax_code", Value: "101234567"},
			},
			checkFirm: func(t *testing.T, s *store.Store) {
				f := mustFirm(t, s, "0101234567")
				if got, want := termCodes(f), []string{"dien-tu", "o-to", "plastic-part", "injection-moulding", "mould-making"}; !slices.Equal(got, want) {
					t.Errorf("terms = %v, want %v", got, want)
				}
				if f.Employees != 850 || f.FoundedYear != 2008 || f.Ownership != models.OwnershipFDI || !slices.Equal(f.ExportMarkets, models.StringList{"JP", "US"}) {
					t.Errorf("firm = %+v", f)
				}
				if len(f.Certificates) != 2 || f.Certificates[0].IssuedOn.String() != "2024-07-01" || f.Certificates[1].Standard != "ISO 14001" {
					t.Errorf("certificates = %+v", f.Certificates)
				}
				// The store keeps recognitions newest first.
				if len(f.Recognitions) != 2 || f.Recognitions[0].Year != 2024 || f.Recognitions[1].Product != "Linh kiện nhựa cho máy in" {
					t.Errorf("recognitions = %+v", f.Recognitions)
				}
				g := mustFirm(t, s, "0108888888")
				if g.MainSite().Zone != "ccn-phung-xa-co-kim-khi" || g.MainSite().District != "276" {
					t.Errorf("site = %+v", g.MainSite())
				}
				if got := termCodes(g); !slices.Equal(got, []string{"co-khi", "machine-part"}) || len(g.FreeTerms) != 0 {
					t.Errorf("terms = %v, free %v", got, g.FreeTerms)
				}
			},
		},
		{
			name: "XLSXSniffedWithoutExtension", fileName: "upload", rows: 2,
			file: sampleXLSX,
			checkFirm: func(t *testing.T, s *store.Store) {
				mustFirm(t, s, "0101234567")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := storetest.Open(t)
			rep, err := Import(ctx, s, bytes.NewReader(tt.file(t)), tt.fileName, ImportOptions{})
			if err != nil {
				t.Fatalf("import: %v\nproblems: %v", err, rep.Problems)
			}
			if rep.Rows != tt.rows || rep.Created != tt.rows || rep.Updated != 0 || rep.Unchanged != 0 || len(rep.Problems) != 0 {
				t.Errorf("report = %+v", rep)
			}
			for _, w := range tt.warnings {
				if !hasProblem(rep.Warnings, w) {
					t.Errorf("missing warning at row %d, column %q, value %q; got %v", w.Row, w.Column, w.Value, rep.Warnings)
				}
			}
			if n, _ := s.CountFirms(ctx); int(n) != tt.rows {
				t.Errorf("stored %d firms, want %d", n, tt.rows)
			}
			tt.checkFirm(t, s)
		})
	}
}

// hasProblem reports whether list holds a problem at want's row and column, with want's value
// and reason fragment when given.
func hasProblem(list []RowProblem, want RowProblem) bool {
	for _, p := range list {
		if p.Row == want.Row && p.Column == want.Column && (want.Value == "" || p.Value == want.Value) &&
			strings.Contains(p.Reason, want.Reason) {
			return true
		}
	}
	return false
}

// endlessCSV is a 50 MB file made on the fly; it counts what the importer read of it.
type endlessCSV struct {
	size, read int64
	buf        []byte
}

func (e *endlessCSV) Read(p []byte) (int, error) {
	if e.read >= e.size {
		return 0, io.EOF
	}
	if len(e.buf) == 0 {
		if e.read == 0 {
			e.buf = []byte("tax_code,name_vi,address,description_vi\n")
		} else {
			e.buf = []byte("0101234567,Công ty TNHH Cơ khí Chính xác,Số 1 đường Cao Lỗ Đông Anh Hà Nội,\"" +
				strings.Repeat("Gia công chi tiết máy, khuôn mẫu, dập kim loại. ", 20) + "\"\n")
		}
	}
	n := copy(p, e.buf)
	e.buf = e.buf[n:]
	e.read += int64(n)
	return n, nil
}

func encodeFixture(t *testing.T, enc *charmap.Charmap, text string) []byte {
	t.Helper()
	b, err := encoding.ReplaceUnsupported(enc.NewEncoder()).Bytes([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestImportRejectsBadFiles(t *testing.T) {
	ctx := context.Background()
	const vietnamese = "tax_code,name_vi,address\n0101111111,Công ty Cơ khí Đông Anh,Số 1 Phố Huế\n"
	large := &endlessCSV{size: 50 << 20}
	tests := []struct {
		name     string
		file     func(t *testing.T) io.Reader
		opts     ImportOptions
		problems []RowProblem // exactly these, matched on row, column and a fragment of the reason
		warnings []RowProblem
		after    func(t *testing.T)
	}{
		{
			name: "BadRows",
			file: func(t *testing.T) io.Reader { return bytes.NewReader(readFixture(t, "bad_rows.csv")) },
			problems: []RowProblem{
				{Row: 2, Column: "tax_code", Reason: "is required"},
				{Row: 3, Column: "tax_code", Reason: "must be 10 digits"},
				{Row: 5, Column: "tax_code", Reason: "also on row 4"},
				{Row: 6, Column: "district", Value: "Quận Chín", Reason: "not one of Hanoi's 30 former districts"},
				{Row: 7, Column: "employees", Value: "abc", Reason: `"abc" is not a whole number`},
				{Row: 8, Column: "founded_year", Value: "2999", Reason: "must be between 1900 and"},
			},
		},
		{
			name: "BrokenQuoting",
			file: func(t *testing.T) io.Reader { return bytes.NewReader(readFixture(t, "broken_quote.csv")) },
			problems: []RowProblem{
				{Row: 3, Column: "name_vi", Reason: "quoting is broken"},
				{Row: 5, Column: "address", Reason: "quoting is broken"},
			},
		},
		{
			name: "Windows1258",
			file: func(t *testing.T) io.Reader {
				return bytes.NewReader(encodeFixture(t, charmap.Windows1258, vietnamese))
			},
			problems: []RowProblem{{Row: 2, Column: "name_vi", Reason: "is not UTF-8 text (the file looks like Windows-1258 or Latin-1); save the file as CSV UTF-8"}},
		},
		{
			name: "Latin1",
			file: func(t *testing.T) io.Reader {
				return bytes.NewReader(encodeFixture(t, charmap.ISO8859_1, "tax_code,name_vi,address\n0101111111,Café Hà Nội,Số 1\n"))
			},
			problems: []RowProblem{{Row: 2, Column: "name_vi", Reason: "save the file as CSV UTF-8"}},
		},
		{
			name:     "FiftyMegabytes",
			file:     func(t *testing.T) io.Reader { return large },
			problems: []RowProblem{{Row: 0, Column: "", Reason: "larger than 20 MB"}},
			after: func(t *testing.T) {
				if large.read > DefaultImportMaxBytes+1 {
					t.Errorf("read %d bytes of a file over the limit; want at most %d", large.read, DefaultImportMaxBytes+1)
				}
			},
		},
		{
			name:     "TooManyRows",
			file:     func(t *testing.T) io.Reader { return bytes.NewReader(readFixture(t, "firms_comma.csv")) },
			opts:     ImportOptions{MaxRows: 2},
			problems: []RowProblem{{Row: 4, Reason: "more than 2 rows"}},
		},
		{
			name: "BadHeader",
			file: func(t *testing.T) io.Reader { return bytes.NewReader(readFixture(t, "bad_header.csv")) },
			problems: []RowProblem{
				{Row: 1, Column: "address", Reason: "columns B and D both give address"},
				{Row: 1, Column: "name_vi", Reason: "no name_vi column"},
			},
			warnings: []RowProblem{{Row: 1, Column: "Ghi chú thêm", Reason: "not an import column"}},
		},
		{
			name: "BadCells",
			file: func(t *testing.T) io.Reader {
				return strings.NewReader("tax_code,name_vi,certifications,district,industrial_zone,latitude,longitude,ownership,spcncl_years,email,corridors\n" +
					"0101111111,Công ty A,ISO 9001 (2027-13-45),Đông Anh,KCN Thăng Long II,21.1,105.8,Hợp tác xã,2001: Khuôn mẫu,a@b.vn,\n" +
					"0102222222,Công ty B,ISO 14001 (QUACERT); ISO 9001 (issued 2999-01-01),,,abc,105.8,,năm 2020,not-an-email,Hành lang Mặt Trăng\n")
			},
			problems: []RowProblem{
				{Row: 2, Column: "certifications", Value: "ISO 9001 (2027-13-45)", Reason: `"2027-13-45" is not a date`},
				{Row: 2, Column: "industrial_zone", Reason: "not in Hanoi"},
				{Row: 2, Column: "ownership", Value: "Hợp tác xã", Reason: "not an ownership type"},
				{Row: 2, Column: "spcncl_years", Value: "2001: Khuôn mẫu", Reason: "year 2001 must be between 2005"},
				{Row: 3, Column: "certifications", Value: "ISO 14001 (QUACERT)", Reason: `"QUACERT" in parentheses is not understood`},
				{Row: 3, Column: "certifications", Value: "ISO 9001 (issued 2999-01-01)", Reason: "issue date 2999-01-01 is in the future"},
				{Row: 3, Column: "latitude", Value: "abc", Reason: `"abc" is not a number`},
				{Row: 3, Column: "latitude", Reason: "latitude and longitude go together"},
				{Row: 3, Column: "spcncl_years", Value: "năm 2020", Reason: "should be a year"},
				{Row: 3, Column: "email", Value: "not-an-email", Reason: "not an e-mail address"},
				{Row: 3, Column: "corridors", Value: "Hành lang Mặt Trăng", Reason: "not a known corridor"},
			},
		},
		{
			name: "MultiLineCellsKeepSpreadsheetRows",
			file: func(t *testing.T) io.Reader {
				return strings.NewReader("tax_code,name_vi,description_vi,employees\n" +
					"0101111111,Công ty A,\"Dòng một\r\nDòng hai\r\nDòng ba\",10\n" +
					"\n" +
					"0102222222,Công ty B,,mười\n")
			},
			problems: []RowProblem{{Row: 4, Column: "employees", Value: "mười", Reason: "not a whole number"}},
		},
		{
			name: "OldExcelFormat",
			file: func(t *testing.T) io.Reader {
				return bytes.NewReader([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0})
			},
			problems: []RowProblem{{Row: 0, Reason: "old Excel 97-2003"}},
		},
		{
			name:     "Empty",
			file:     func(t *testing.T) io.Reader { return strings.NewReader("") },
			problems: []RowProblem{{Row: 0, Reason: "empty"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := storetest.Open(t)
			// A stored firm the file would update, so a partial write would show.
			seed := &models.Firm{TaxCode: "0101111111", NameVI: "Công ty A (đã lưu)", Employees: 5}
			if err := s.SaveFirm(ctx, seed); err != nil {
				t.Fatal(err)
			}
			before := dumpFirms(t, s)
			rep, err := Import(ctx, s, tt.file(t), "danh-sach.csv", tt.opts)
			if !errors.Is(err, ErrImportRejected) {
				t.Fatalf("err = %v, want ErrImportRejected", err)
			}
			if rep == nil {
				t.Fatal("no report")
			}
			for _, w := range tt.problems {
				if !hasProblem(rep.Problems, w) {
					t.Errorf("missing problem row %d, column %q, value %q, reason %q; got %q", w.Row, w.Column, w.Value, w.Reason, rep.Problems)
				}
			}
			if len(rep.Problems) != len(tt.problems) {
				t.Errorf("got %d problems, want %d:", len(rep.Problems), len(tt.problems))
				for _, p := range rep.Problems {
					t.Logf("  %s (value %q)", p, p.Value)
				}
			}
			for _, w := range tt.warnings {
				if !hasProblem(rep.Warnings, w) {
					t.Errorf("missing warning row %d, column %q; got %v", w.Row, w.Column, rep.Warnings)
				}
			}
			if rep.Created+rep.Updated+rep.Unchanged != 0 {
				t.Errorf("a rejected import counts writes: %+v", rep)
			}
			if after := dumpFirms(t, s); after != before {
				t.Errorf("database changed by a rejected import:\nbefore %s\nafter  %s", before, after)
			}
			if tt.after != nil {
				tt.after(t)
			}
		})
	}
}

func TestImportTwiceChangesNothing(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name, fileName string
		file           func(t *testing.T) []byte
	}{
		{"CSVComma", "firms.csv", func(t *testing.T) []byte { return readFixture(t, "firms_comma.csv") }},
		{"CSVSemicolon", "firms.csv", func(t *testing.T) []byte { return readFixture(t, "firms_vi_semicolon_bom.csv") }},
		{"XLSX", "firms.xlsx", sampleXLSX},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := storetest.Open(t)
			data := tt.file(t)
			var notified int
			s.Observe(func(changed, _ []uint) { notified += len(changed) })
			first, err := Import(ctx, s, bytes.NewReader(data), tt.fileName, ImportOptions{})
			if err != nil {
				t.Fatalf("first import: %v %v", err, first.Problems)
			}
			if notified != first.Created {
				t.Errorf("observers heard of %d firms, want %d", notified, first.Created)
			}
			stamps, _ := s.FirmStamps(ctx)
			before := dumpFirms(t, s)
			notified = 0
			second, err := Import(ctx, s, bytes.NewReader(data), tt.fileName, ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if second.Unchanged != first.Rows || second.Created != 0 || second.Updated != 0 {
				t.Errorf("second import = %+v, want all %d unchanged", second, first.Rows)
			}
			if again, _ := s.FirmStamps(ctx); !slices.Equal(again, stamps) {
				t.Errorf("updated_at changed: %v, then %v", stamps, again)
			}
			if after := dumpFirms(t, s); after != before {
				t.Errorf("database changed:\n%s\n%s", before, after)
			}
			if notified != 0 {
				t.Errorf("observers heard of %d changed firms on a repeated import", notified)
			}
		})
	}
}

func TestImportDryRunWritesNothing(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	// One firm of the file is stored as the file says, one differs: a dry run predicts 1 unchanged,
	// 1 updated, 1 created.
	if _, err := Import(ctx, s, bytes.NewReader(readFixture(t, "firms_comma.csv")), "firms.csv", ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	f := mustFirm(t, s, "0105555555")
	if err := s.DeleteFirm(ctx, models.SystemActor("test"), f.ID, ""); err != nil {
		t.Fatal(err)
	}
	f = mustFirm(t, s, "0109876543-001")
	f.Employees = 46
	if err := s.SaveFirm(ctx, f); err != nil {
		t.Fatal(err)
	}
	before := dumpFirms(t, s)
	var notified int
	s.Observe(func(changed, deleted []uint) { notified += len(changed) + len(deleted) })
	rep, err := Import(ctx, s, bytes.NewReader(readFixture(t, "firms_comma.csv")), "firms.csv", ImportOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 3 || rep.Created != 1 || rep.Updated != 1 || rep.Unchanged != 1 {
		t.Errorf("dry run report = %+v, want 1 created, 1 updated, 1 unchanged", rep)
	}
	if after := dumpFirms(t, s); after != before || notified != 0 {
		t.Errorf("a dry run wrote (notified %d):\n%s\n%s", notified, before, after)
	}
	// The same file for real does what the dry run said.
	real, err := Import(ctx, s, bytes.NewReader(readFixture(t, "firms_comma.csv")), "firms.csv", ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if real.Created != rep.Created || real.Updated != rep.Updated || real.Unchanged != rep.Unchanged {
		t.Errorf("import = %+v, dry run said %+v", real, rep)
	}
}

func TestImportMergesWithStoredFirm(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	verified := time.Date(2025, 3, 4, 10, 22, 0, 0, time.UTC)
	lat, lng := 21.0285, 105.8542
	stored := &models.Firm{
		TaxCode: "0101234567", NameVI: "Công ty TNHH Cơ khí An Phát", Employees: 50, FoundedYear: 2001,
		KeyCustomers: models.StringList{"Canon Vietnam"},
		Certificates: []models.Certificate{
			{Standard: "ISO 9001", Edition: "2015", Number: "Q-1", Issuer: "Bureau Veritas", IssuedOn: models.DateOf(2024, 1, 2),
				Expires: models.DateOf(2027, 1, 1), VerifiedAt: &verified, Evidence: "evidence/q1.pdf"},
			{Standard: "ISO 14001", Edition: "2015", Number: "E-9"},
		},
		Sites: []models.Site{
			{Address: "Số 1 Phố Huế", District: "007", Latitude: &lat, Longitude: &lng},
			{Address: "Nhà máy Quang Minh", Zone: "kcn-quang-minh"},
		},
	}
	if err := s.SaveFirm(ctx, stored); err != nil {
		t.Fatal(err)
	}
	file := "tax_code,name_vi,certifications,key_customers,address\n" +
		"0101234567,Công ty TNHH Cơ khí An Phát,ISO 9001:2015 (2028-01-01); ISO 14001:2004,,Số 2 Phố Huế\n"
	rep, err := Import(ctx, s, strings.NewReader(file), "merge.csv", ImportOptions{})
	if err != nil {
		t.Fatal(err, rep.Problems)
	}
	if rep.Updated != 1 {
		t.Errorf("report = %+v", rep)
	}
	f := mustFirm(t, s, "0101234567")
	if f.Employees != 50 || f.FoundedYear != 2001 {
		t.Errorf("columns absent from the file changed: employees %d, founded %d", f.Employees, f.FoundedYear)
	}
	if len(f.KeyCustomers) != 0 {
		t.Errorf("an empty cell did not clear key customers: %v", f.KeyCustomers)
	}
	iso := f.Certificates[0]
	if iso.Expires.String() != "2028-01-01" || iso.Number != "Q-1" || iso.Issuer != "Bureau Veritas" || iso.IssuedOn.String() != "2024-01-02" ||
		iso.VerifiedAt == nil || !iso.VerifiedAt.Equal(verified) || iso.Evidence != "evidence/q1.pdf" {
		t.Errorf("ISO 9001 lost its evidence: %+v", iso)
	}
	// Another edition is another certificate: nothing carries over.
	if env := f.Certificates[1]; env.Edition != "2004" || env.Number != "" {
		t.Errorf("ISO 14001:2004 = %+v", env)
	}
	if len(f.Sites) != 2 || f.Sites[0].Address != "Số 2 Phố Huế" || f.Sites[0].District != "007" || f.Sites[0].Latitude == nil || f.Sites[1].Zone != "kcn-quang-minh" {
		t.Errorf("sites = %+v", f.Sites)
	}
}

func TestImportUnknownTermsAreKeptAsFreeText(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	file := "tax_code,name_vi,products,processes,certifications,export_markets\n" +
		"0101234567,Công ty A,Khuôn mẫu; Linh kiện máy bay không người lái; khuon mau,CNC; Gia công đặc biệt,SA 8000:2014 (2026-01-01),Nhật Bản; Brazil\n"
	rep, err := Import(ctx, s, strings.NewReader(file), "a.csv", ImportOptions{})
	if err != nil {
		t.Fatal(err, rep.Problems)
	}
	for _, w := range []RowProblem{
		{Row: 2, Column: "products", Value: "Linh kiện máy bay không người lái", Reason: "not in the taxonomy"},
		{Row: 2, Column: "processes", Value: "Gia công đặc biệt", Reason: "not in the taxonomy"},
		{Row: 2, Column: "certifications", Value: "SA 8000:2014 (2026-01-01)", Reason: "not a known standard"},
		{Row: 2, Column: "export_markets", Value: "Brazil", Reason: "not a known country"},
	} {
		if !hasProblem(rep.Warnings, w) {
			t.Errorf("missing warning %+v in %v", w, rep.Warnings)
		}
	}
	f := mustFirm(t, s, "0101234567")
	if got := termCodes(f); !slices.Equal(got, []string{"mould-die", "cnc-machining"}) {
		t.Errorf("terms = %v", got)
	}
	want := models.FreeTermList{{Kind: models.KindProduct, Text: "Linh kiện máy bay không người lái"}, {Kind: models.KindProcess, Text: "Gia công đặc biệt"}}
	if !slices.Equal(f.FreeTerms, want) {
		t.Errorf("free terms = %v, want %v", f.FreeTerms, want)
	}
	if c := f.Certificates; len(c) != 1 || c[0].Standard != "SA 8000" || c[0].Edition != "2014" || c[0].Expires.String() != "2026-01-01" {
		t.Errorf("certificates = %+v", c)
	}
	if !slices.Equal(f.ExportMarkets, models.StringList{"JP", "Brazil"}) {
		t.Errorf("markets = %v", f.ExportMarkets)
	}
}

func TestParseCertificate(t *testing.T) {
	s := storetest.Open(t)
	verified := time.Date(2025, 1, 10, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		entry   string
		want    models.Certificate
		problem string
	}{
		{entry: "ISO 9001:2015 (2027-06-30)", want: models.Certificate{Standard: "ISO 9001", Edition: "2015", Expires: models.DateOf(2027, 6, 30)}},
		{entry: "IATF 16949", want: models.Certificate{Standard: "IATF 16949"}},
		{entry: "iso9001", want: models.Certificate{Standard: "ISO 9001"}},
		{entry: "TCVN ISO 9001:2015", want: models.Certificate{Standard: "ISO 9001", Edition: "2015"}},
		{entry: "ISO 13485:2016 (2027-06-30, issued 2024-07-01, no. MD 118/2024, by TÜV Rheinland Vietnam Co., Ltd., scope Linh kiện (nhựa, cao su) y tế, verified 2025-01-10)",
			want: models.Certificate{Standard: "ISO 13485", Edition: "2016", Expires: models.DateOf(2027, 6, 30), IssuedOn: models.DateOf(2024, 7, 1), Number: "MD 118/2024",
				Issuer: "TÜV Rheinland Vietnam Co., Ltd.", Scope: "Linh kiện (nhựa, cao su) y tế", VerifiedAt: &verified}},
		{entry: "ISO 14001 (hết hạn 30/06/2027, cấp 01/07/2024, số 12-A, cấp bởi QUACERT, xác minh 2025-01-10)",
			want: models.Certificate{Standard: "ISO 14001", Expires: models.DateOf(2027, 6, 30), IssuedOn: models.DateOf(2024, 7, 1), Number: "12-A", Issuer: "QUACERT", VerifiedAt: &verified}},
		{entry: "Chứng nhận hợp quy (QCVN 4:2009)", want: models.Certificate{Standard: "Chứng nhận hợp quy (QCVN 4:2009)"}},
		{entry: "ISO 9001 (2027-02-30)", problem: `"2027-02-30" is not a date`},
		{entry: "ISO 9001 (issued soon)", problem: `"soon" is not a date`},
		{entry: "ISO 9001 (2027-06-30, 2028-06-30)", problem: `"2028-06-30" in parentheses is not understood`},
	}
	for _, tt := range tests {
		t.Run(tt.entry, func(t *testing.T) {
			found := &findings{rep: &ImportReport{}}
			imp := &rowImporter{ref: s.Reference(), found: found, now: time.Now()}
			pc, ok := imp.certificate(&importRow{num: 2}, tt.entry)
			if tt.problem != "" {
				if ok || len(found.rep.Problems) == 0 || !strings.Contains(found.rep.Problems[0].Reason, tt.problem) {
					t.Errorf("problems = %v, want %q", found.rep.Problems, tt.problem)
				}
				return
			}
			if !ok || len(found.rep.Problems) != 0 {
				t.Fatalf("problems: %v", found.rep.Problems)
			}
			got, _ := json.Marshal(pc.cert)
			want, _ := json.Marshal(tt.want)
			if string(got) != string(want) {
				t.Errorf("got  %s\nwant %s", got, want)
			}
			// What Export writes reads back the same.
			again, ok := imp.certificate(&importRow{num: 2}, CertificateText(pc.cert))
			if back, _ := json.Marshal(again.cert); !ok || string(back) != string(got) {
				t.Errorf("round trip of %q gave %s", CertificateText(pc.cert), back)
			}
		})
	}
}

func TestImportHeaderAliases(t *testing.T) {
	for header, want := range map[string]string{
		"Mã số thuế": "tax_code", "MST": "tax_code", "mã số thuế (*)": "tax_code", "TAX_CODE": "tax_code",
		"Tên doanh nghiệp": "name_vi", "Ten tieng Viet": "name_vi", "Tên tiếng Anh": "name_en",
		"Tên viết tắt": "short_name", "Mô tả": "description_vi", "Mô tả tiếng Anh": "description_en",
		"Ngành": "sectors", "Lĩnh vực": "sectors", "Sản phẩm": "products", "Quy trình": "processes",
		"Công nghệ": "processes", "Vật liệu": "materials", "Chứng chỉ": "certifications", "Chứng nhận": "certifications",
		"Địa chỉ": "address", "Phường/Xã": "ward", "Quận/Huyện": "district", "Quận huyện cũ": "district",
		"KCN/CCN": "industrial_zone", "Khu công nghiệp": "industrial_zone", "Hành lang": "corridors",
		"Vĩ độ": "latitude", "Kinh độ": "longitude", "Số lao động": "employees", "Lao động": "employees",
		"Năm thành lập": "founded_year", "Loại hình": "ownership", "Thị trường xuất khẩu": "export_markets",
		"Khách hàng chính": "key_customers", "SPCNCL": "spcncl_years", "Sản phẩm CNCL": "spcncl_years",
		"Website": "website", "Email": "email", "Điện thoại": "phone", "Người liên hệ": "contact_name",
	} {
		if got, ok := importColumnKey(header); !ok || got != want {
			t.Errorf("%q → %q, want %q", header, got, want)
		}
	}
	// No alias may name two columns.
	for col, aliases := range columnAliases {
		for _, a := range aliases {
			if got, _ := importColumnKey(a); got != col {
				t.Errorf("alias %q of %s names %s", a, col, got)
			}
		}
	}
}

// TestImportLarge measures a 10,000-row import: PORTAL_IMPORT_LARGE=1 go test -run ImportLarge -v ./models
func TestImportLarge(t *testing.T) {
	if os.Getenv("PORTAL_IMPORT_LARGE") == "" {
		t.Skip("set PORTAL_IMPORT_LARGE=1 to measure a 10,000-row import")
	}
	ctx := context.Background()
	const n = 10_000
	var b bytes.Buffer
	b.WriteString("tax_code,name_vi,name_en,sectors,products,processes,materials,certifications,address,district,industrial_zone,latitude,longitude,employees,founded_year,ownership,export_markets,key_customers,spcncl_years,website,email,phone,contact_name\n")
	districts := []string{"Đông Anh", "Gia Lâm", "Long Biên", "Thạch Thất", "Mê Linh", "Hoàng Mai"}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%010d,Công ty TNHH Cơ khí Số %d,Precision Parts No. %d,Cơ khí chế tạo,Khuôn mẫu; Chi tiết dập kim loại,\"Gia công CNC (tiện, phay)\",Thép,\"ISO 9001:2015 (2027-06-30, by QUACERT)\",Số %d đường %d,%s,,21.%04d,105.%04d,%d,%d,Tư nhân,Nhật Bản; Hàn Quốc,Canon Vietnam,2023: Khuôn mẫu,https://firm%d.vn,info@firm%d.vn,024 3883 %04d,Nguyễn Văn %d\n",
			100000000+i, i, i, i, i%90, districts[i%len(districts)], i%10000, i%10000, 10+i%500, 1990+i%30, i, i, i%10000, i)
	}
	data := b.Bytes()
	s := storetest.Open(t)
	for _, pass := range []string{"dry run", "create", "re-import (unchanged)", "dry run (all stored)"} {
		start := time.Now()
		rep, err := Import(ctx, s, bytes.NewReader(data), "large.csv", ImportOptions{DryRun: strings.HasPrefix(pass, "dry run")})
		took := time.Since(start)
		if err != nil {
			t.Fatal(err, rep.Problems[:min(5, len(rep.Problems))])
		}
		t.Logf("%s: %d rows (%.1f MB) in %s = %.0f rows/s (created %d, updated %d, unchanged %d)",
			pass, rep.Rows, float64(len(data))/(1<<20), took.Round(time.Millisecond), float64(rep.Rows)/took.Seconds(), rep.Created, rep.Updated, rep.Unchanged)
	}
}
