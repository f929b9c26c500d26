package upload

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"
)

// zipEntry is one file for buildZip. When declared is set the entry is written raw, deflated
// data claiming that uncompressed size, which is how a hostile zip lies.
type zipEntry struct {
	name     string
	data     []byte
	declared uint64
}

func buildZip(t *testing.T, entries ...zipEntry) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, e := range entries {
		if e.declared == 0 {
			f, err := w.Create(e.name)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.Write(e.data); err != nil {
				t.Fatal(err)
			}
			continue
		}
		var comp bytes.Buffer
		fw, _ := flate.NewWriter(&comp, flate.BestCompression)
		fw.Write(e.data)
		fw.Close()
		f, err := w.CreateRaw(&zip.FileHeader{
			Name: e.name, Method: zip.Deflate,
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: e.declared,
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(comp.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// workbookParts are the parts of the smallest workbook Excel opens.
func workbookParts() []zipEntry {
	return []zipEntry{
		{name: "[Content_Types].xml", data: []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`)},
		{name: "_rels/.rels", data: []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{name: "xl/workbook.xml", data: []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`)},
		{name: "xl/_rels/workbook.xml.rels", data: []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`)},
		{name: "xl/worksheets/sheet1.xml", data: []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>tax_code</t></is></c></row></sheetData></worksheet>`)},
	}
}

func TestCheckSpreadsheet(t *testing.T) {
	workbook := buildZip(t, workbookParts()...)
	zeros2MB := make([]byte, 2<<20)
	// 201 entries claiming exactly 1 MB each: none trips the ratio rule, together they pass 200 MB.
	manyMB := workbookParts()
	for i := range 201 {
		manyMB = append(manyMB, zipEntry{name: fmt.Sprintf("xl/media/part%03d.bin", i), data: []byte{0}, declared: 1 << 20})
	}
	tests := []struct {
		name     string
		filename string
		data     []byte
		limit    int64
		key      string // "" means accepted
	}{
		{"AcceptedCSV", "danh-sach.csv", []byte("tax_code,name_vi\r\n0101234567,Công ty Cơ khí Đông Anh\r\n"), 1 << 20, ""},
		{"AcceptedCSVWithBOM", "danh-sach.CSV", []byte("\xEF\xBB\xBFtax_code;name_vi\n0101234567;Cơ khí\n"), 1 << 20, ""},
		{"AcceptedCSVWindows1258", "danh-sach.csv", []byte("tax_code,name_vi\n0101234567,C\xF4ng ty C\xD5 kh\xED\n"), 1 << 20, ""},
		{"AcceptedCSVTabsAndDOSEnd", "danh-sach.csv", []byte("tax_code\tname_vi\r\n0101234567\tAn\r\n\x1A"), 1 << 20, ""},
		{"AcceptedXLSX", "danh-sach.xlsx", workbook, 1 << 20, ""},
		{"AcceptedXLSXUpperCase", "DANH-SACH.XLSX", workbook, 1 << 20, ""},
		{"ErrCSVNulByte", "danh-sach.csv", []byte("tax_code,name_vi\n0101234567,Co\x00ng ty\n"), 1 << 20, KeyCSVBinary},
		{"ErrCSVControlBytes", "danh-sach.csv", []byte("tax_code\x01\x02\x03\x04"), 1 << 20, KeyCSVBinary},
		{"ErrCSVUTF16", "danh-sach.csv", []byte("\xFF\xFEt\x00a\x00x\x00"), 1 << 20, KeyCSVUTF16},
		{"ErrXLSNamedCSV", "danh-sach.csv", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), 1 << 20, KeyType},
		{"ErrXLSXNamedCSV", "danh-sach.csv", workbook, 1 << 20, KeyType},
		{"ErrCSVTooLarge", "danh-sach.csv", []byte("tax_code\n0101234567\n"), 10, KeyTooLarge},
		{"ErrCSVEmpty", "danh-sach.csv", nil, 1 << 20, KeyEmpty},
		{"ErrXLS", "danh-sach.xls", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), 1 << 20, KeyType},
		{"ErrXLSM", "danh-sach.xlsm", workbook, 1 << 20, KeyType},
		{"ErrODS", "danh-sach.ods", []byte("PK\x03\x04"), 1 << 20, KeyType},
		{"ErrTextNamedXLSX", "danh-sach.xlsx", []byte("tax_code,name_vi\n"), 1 << 20, KeyType},
		{"ErrXLSNamedXLSX", "danh-sach.xlsx", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), 1 << 20, KeyType},
		{"ErrXLSXTruncated", "danh-sach.xlsx", workbook[:len(workbook)/2], 1 << 20, KeyCorrupt},
		{"ErrXLSXTooLarge", "danh-sach.xlsx", workbook, int64(len(workbook)) - 1, KeyTooLarge},
		{"ErrZipWithoutWorkbook", "danh-sach.xlsx", buildZip(t, workbookParts()[0], workbookParts()[4]), 1 << 20, KeyType},
		{"ErrZipWithoutContentTypes", "danh-sach.xlsx", buildZip(t, workbookParts()[1:]...), 1 << 20, KeyType},
		{"ErrZipEscapingPath", "danh-sach.xlsx", buildZip(t, append(workbookParts(), zipEntry{name: "../../etc/cron.d/x", data: []byte("x")})...), 1 << 20, KeyCorrupt},
		{"ErrZipBombRatio", "danh-sach.xlsx", buildZip(t, append(workbookParts(), zipEntry{name: "xl/worksheets/sheet2.xml", data: zeros2MB})...), 1 << 20, KeyXLSXTooBig},
		{"ErrZipBombDeclared300MB", "danh-sach.xlsx", buildZip(t, append(workbookParts(), zipEntry{name: "xl/worksheets/sheet2.xml", data: zeros2MB, declared: 300 << 20})...), 1 << 20, KeyXLSXTooBig},
		{"ErrZipTotalOver200MB", "danh-sach.xlsx", buildZip(t, manyMB...), 1 << 20, KeyXLSXTooBig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := CheckSpreadsheet(tt.filename, bytes.NewReader(tt.data), tt.limit)
			if tt.key == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if !bytes.Equal(data, tt.data) {
					t.Errorf("returned %d bytes; want the %d sent", len(data), len(tt.data))
				}
				return
			}
			var p *Problem
			if !errors.As(err, &p) {
				t.Fatalf("err = %v; want a *Problem", err)
			}
			if p.Key != tt.key {
				t.Errorf("key = %q (%v); want %q", p.Key, err, tt.key)
			}
			if data != nil {
				t.Errorf("a refused file returned %d bytes", len(data))
			}
		})
	}
}

// TestCheckSpreadsheetExcelizeWorkbook checks a workbook written by a real library passes, not only
// the hand-built minimum: its sheet XML compresses about 15:1 even when every cell is the same.
func TestCheckSpreadsheetExcelizeWorkbook(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	for r := 1; r <= 200; r++ {
		cell, err := excelize.CoordinatesToCellName(1, r)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.SetSheetRow("Sheet1", cell, &[]any{fmt.Sprintf("01%08d", r), "Công ty TNHH Cơ khí Đông Anh", "ISO 9001"}); err != nil {
			t.Fatal(err)
		}
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CheckSpreadsheet("danh-sach.xlsx", bytes.NewReader(b.Bytes()), 10<<20); err != nil {
		t.Errorf("refused a workbook written by excelize: %v", err)
	}
}
