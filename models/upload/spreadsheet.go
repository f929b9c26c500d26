package upload

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"path"
	"strings"
)

// Workbook limits. A real workbook's parts compress 5 to 20 times; a zip bomb's compress thousands
// of times. archive/zip, which excelize reads with, stops at an entry's declared size, so the
// declared sizes checked here bound what the importer will unpack.
const (
	MaxUnzipped   = 200 << 20 // sum of all entries' declared sizes
	maxRatio      = 100       // uncompressed / compressed, for entries over ratioFloor
	ratioFloor    = 1 << 20
	maxZipEntries = 10_000 // a workbook has tens of parts
)

const spreadsheetKinds = "CSV, XLSX"

// binarySignatures start files that are not text, so a CSV beginning with one has been renamed:
// zip (an .xlsx), OLE2 (an old .xls), PDF, PNG, JPEG, GIF, gzip and ELF.
var binarySignatures = [][]byte{
	[]byte("PK\x03\x04"), {0xD0, 0xCF, 0x11, 0xE0}, []byte("%PDF-"), []byte("\x89PNG"), {0xFF, 0xD8, 0xFF},
	[]byte("GIF8"), {0x1F, 0x8B}, []byte("\x7fELF"),
}

// CheckSpreadsheet reads a staff import file of at most limit bytes and returns its content. A
// .csv may be in any 8-bit encoding (the importer also reads Windows-1258) but must be text: no
// NUL or other control bytes beyond tab, line breaks, form feed and the DOS end-of-file mark, and
// not UTF-16. An .xlsx must be a zip holding [Content_Types].xml and xl/workbook.xml whose entries
// unpack to at most MaxUnzipped bytes in all, none of them over 1 MB at more than 100:1. Other
// names, .xls among them, are refused. Problems with the file are *Problem values; other errors
// come from reading r.
func CheckSpreadsheet(filename string, r io.Reader, limit int64) ([]byte, error) {
	e := ext(filename)
	if e != ".csv" && e != ".xlsx" {
		return nil, problem(KeyType, map[string]any{"Allowed": spreadsheetKinds})
	}
	data, err := read(r, limit)
	if err != nil {
		return nil, err
	}
	if e == ".csv" {
		err = checkCSV(data)
	} else {
		err = checkXLSX(data)
	}
	if err != nil {
		return nil, err
	}
	return data, nil
}

func checkCSV(data []byte) error {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return problem(KeyCSVUTF16, nil)
	}
	for _, sig := range binarySignatures {
		if bytes.HasPrefix(data, sig) {
			return problem(KeyType, map[string]any{"Allowed": spreadsheetKinds})
		}
	}
	for _, b := range data {
		if b < 0x20 && !textControl(b) {
			return problem(KeyCSVBinary, nil)
		}
	}
	return nil
}

// textControl reports whether b is a control byte that text files really contain. No 8-bit
// encoding of Vietnamese puts any other byte below 0x20 in text, and UTF-8 never does.
func textControl(b byte) bool {
	switch b {
	case '\t', '\n', '\v', '\f', '\r', 0x1A: // 0x1A ends files written by old DOS tools
		return true
	}
	return false
}

func checkXLSX(data []byte) error {
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return problem(KeyType, map[string]any{"Allowed": spreadsheetKinds})
	}
	corrupt := problem(KeyCorrupt, map[string]any{"Kind": "XLSX"})
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	// ErrInsecurePath comes with a usable reader; localName below refuses those names itself.
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return corrupt
	}
	if len(zr.File) > maxZipEntries {
		return corrupt
	}
	tooBig := problem(KeyXLSXTooBig, map[string]any{"Max": MaxUnzipped})
	var total uint64
	var contentTypes, workbook bool
	for _, f := range zr.File {
		if !localName(f.Name) || f.CompressedSize64 > uint64(len(data)) {
			return corrupt
		}
		total += f.UncompressedSize64
		if total > MaxUnzipped {
			return tooBig
		}
		if f.UncompressedSize64 > ratioFloor && f.UncompressedSize64 > maxRatio*f.CompressedSize64 {
			return tooBig
		}
		switch f.Name {
		case "[Content_Types].xml":
			contentTypes = true
		case "xl/workbook.xml":
			workbook = true
		}
	}
	if !contentTypes || !workbook {
		// A zip, but not a workbook: a .docx or an archive renamed .xlsx.
		return problem(KeyType, map[string]any{"Allowed": spreadsheetKinds})
	}
	return nil
}

// localName reports whether a zip entry's name stays inside the archive: relative, with forward
// slashes and no "..". Office never writes anything else, and a name that escapes is an attack on
// whatever unpacks the file later.
func localName(name string) bool {
	if name == "" || strings.Contains(name, `\`) || path.IsAbs(name) {
		return false
	}
	for _, elem := range strings.Split(name, "/") {
		if elem == ".." {
			return false
		}
	}
	return true
}
