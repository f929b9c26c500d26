package upload

import (
	"bufio"
	"bytes"
	"io"
	"strings"
)

// attachmentKinds are the kinds CheckAttachment accepts, as messages list them.
const attachmentKinds = "PDF, PNG, JPEG, STEP, DXF, DWG"

// Signatures of the drawing formats. A STEP file (ISO 10303-21) is text that opens with its
// standard's number and closes with the same number after END-; a binary DXF opens with a
// fixed sentinel; a DWG opens with its version, "AC1015" for AutoCAD 2000 and so on.
var (
	stepStart      = []byte("ISO-10303-21;")
	stepEnd        = []byte("END-ISO-10303-21;")
	dxfBinary      = []byte("AutoCAD Binary DXF\r\n\x1a\x00")
	utf8BOM        = []byte("\xEF\xBB\xBF")
	dxfSectionName = []string{"HEADER", "CLASSES", "TABLES", "BLOCKS", "ENTITIES", "OBJECTS"}
)

// minDWG is the size of the smallest DWG header (AutoCAD R13's); a shorter file only imitates
// the version string.
const minDWG = 0x19

// CheckAttachment reads a file attached to a request for quotation or a quotation, of at most
// limit bytes, and returns its kind and content: PDF, PNG or JPEG checked as Check does, or a
// drawing — STEP (the "ISO-10303-21;" header, text to "END-ISO-10303-21;"), DXF (text opening
// with a SECTION group and ending with EOF, or the binary DXF sentinel) or DWG (an AC10xx
// version header). As with Check, the kind comes from the content and the name's extension must
// agree (.step or .stp, .dxf, .dwg).
func CheckAttachment(filename string, r io.Reader, limit int64) (Kind, []byte, error) {
	named := attachmentKindOfExt(ext(filename))
	if named == 0 {
		return 0, nil, problem(KeyType, map[string]any{"Allowed": attachmentKinds})
	}
	data, err := read(r, limit)
	if err != nil {
		return 0, nil, err
	}
	kind := sniff(data)
	if kind == 0 {
		kind = sniffDrawing(data)
	}
	switch {
	case kind == 0:
		return 0, nil, problem(KeyType, map[string]any{"Allowed": attachmentKinds})
	case kind != named:
		return 0, nil, problem(KeyExtMismatch, map[string]any{"Kind": kind.String(), "Ext": ext(filename)})
	}
	switch kind {
	case PDF:
		err = checkPDF(data)
	case PNG, JPEG:
		err = checkImage(kind, data)
	case STEP:
		err = checkSTEP(data)
	case DXF:
		err = checkDXF(data)
	}
	if err != nil {
		return 0, nil, err
	}
	return kind, data, nil
}

func attachmentKindOfExt(ext string) Kind {
	switch ext {
	case ".step", ".stp":
		return STEP
	case ".dxf":
		return DXF
	case ".dwg":
		return DWG
	}
	return kindOfExt(ext)
}

// sniffDrawing names a drawing format from the start of data, or returns 0.
func sniffDrawing(data []byte) Kind {
	switch {
	case bytes.HasPrefix(data, dxfBinary):
		return DXF
	case isDWGVersion(data):
		return DWG
	}
	text := bytes.TrimLeft(bytes.TrimPrefix(data, utf8BOM), " \t\r\n")
	switch {
	case bytes.HasPrefix(text, stepStart):
		return STEP
	case dxfOpens(text):
		return DXF
	}
	return 0
}

// isDWGVersion reports whether data opens with "AC10" and two digits: AC1009 (R11/R12) to
// AC1032 (AutoCAD 2018 and later).
func isDWGVersion(data []byte) bool {
	if len(data) < minDWG || !bytes.HasPrefix(data, []byte("AC10")) {
		return false
	}
	return isDigit(data[4]) && isDigit(data[5])
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// dxfOpens reports whether text begins as a DXF file does: group 0 SECTION, then group 2 naming
// the section, after any 999 comment groups.
func dxfOpens(text []byte) bool {
	sc := bufio.NewScanner(bytes.NewReader(text[:min(len(text), 4096)]))
	next := func() (string, bool) {
		if !sc.Scan() {
			return "", false
		}
		return strings.TrimSpace(sc.Text()), true
	}
	for range 16 {
		code, ok1 := next()
		value, ok2 := next()
		if !ok1 || !ok2 {
			return false
		}
		switch code {
		case "999":
			continue
		case "0":
			if value != "SECTION" {
				return false
			}
			code, _ = next()
			name, _ := next()
			for _, s := range dxfSectionName {
				if code == "2" && name == s {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
}

// checkSTEP: text without NUL bytes, with a HEADER section, closed within the last kilobyte.
func checkSTEP(data []byte) error {
	tail := data[max(0, len(data)-pdfTailLen):]
	if bytes.IndexByte(data, 0) >= 0 || !bytes.Contains(data, []byte("HEADER;")) || !bytes.Contains(tail, stepEnd) {
		return problem(KeyCorrupt, map[string]any{"Kind": STEP.String()})
	}
	return nil
}

// checkDXF: a text DXF holds no NUL byte and ends with group 0 EOF; a binary one is taken on
// its sentinel.
func checkDXF(data []byte) error {
	if bytes.HasPrefix(data, dxfBinary) {
		return nil
	}
	corrupt := problem(KeyCorrupt, map[string]any{"Kind": DXF.String()})
	if bytes.IndexByte(data, 0) >= 0 {
		return corrupt
	}
	lines := strings.Fields(string(data[max(0, len(data)-pdfTailLen):]))
	if len(lines) < 2 || lines[len(lines)-1] != "EOF" || lines[len(lines)-2] != "0" {
		return corrupt
	}
	return nil
}
