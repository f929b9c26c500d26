package upload

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

const tinySTEP = "ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('bracket'),'2;1');\nFILE_NAME('bracket.step','2026-03-02',(''),(''),'','','');\n" +
	"FILE_SCHEMA(('AUTOMOTIVE_DESIGN'));\nENDSEC;\nDATA;\n#1=CARTESIAN_POINT('',(0.,0.,0.));\nENDSEC;\nEND-ISO-10303-21;\n"

const tinyDXF = "  0\r\nSECTION\r\n  2\r\nHEADER\r\n  9\r\n$ACADVER\r\n  1\r\nAC1015\r\n  0\r\nENDSEC\r\n" +
	"  0\r\nSECTION\r\n  2\r\nENTITIES\r\n  0\r\nLINE\r\n  8\r\n0\r\n 10\r\n0.0\r\n 20\r\n0.0\r\n 11\r\n10.0\r\n 21\r\n5.0\r\n" +
	"  0\r\nENDSEC\r\n  0\r\nEOF\r\n"

// tinyDWG is an AutoCAD 2000 header followed by padding: the check reads only the version.
var tinyDWG = append([]byte("AC1015\x00\x00\x00\x00\x00\x00\x0f\x01"), make([]byte, 200)...)

func TestCheckAttachment(t *testing.T) {
	pngData, jpegData := tinyPNG(t), tinyJPEG(t)
	binaryDXF := append([]byte("AutoCAD Binary DXF\r\n\x1a\x00"), 0, 'S', 'E', 'C', 'T', 'I', 'O', 'N', 0)
	exe := []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run in DOS mode.")
	tests := []struct {
		name     string
		filename string
		data     []byte
		kind     Kind
		key      string // "" means accepted
	}{
		{"AcceptedPDF", "ban-ve-gia-do.pdf", []byte(tinyPDF), PDF, ""},
		{"AcceptedPNG", "anh.png", pngData, PNG, ""},
		{"AcceptedJPEG", "anh.JPG", jpegData, JPEG, ""},
		{"AcceptedSTEP", "bracket.step", []byte(tinySTEP), STEP, ""},
		{"AcceptedSTPExtension", "BRACKET.STP", []byte(tinySTEP), STEP, ""},
		{"AcceptedSTEPWithBOM", "bracket.stp", []byte("\xEF\xBB\xBF" + tinySTEP), STEP, ""},
		{"AcceptedDXF", "mat-bang.dxf", []byte(tinyDXF), DXF, ""},
		{"AcceptedDXFWithComment", "a.dxf", []byte("999\nmade by hand\n0\nSECTION\n2\nENTITIES\n0\nENDSEC\n0\nEOF\n"), DXF, ""},
		{"AcceptedBinaryDXF", "a.dxf", binaryDXF, DXF, ""},
		{"AcceptedDWG", "khuon.dwg", tinyDWG, DWG, ""},
		{"ErrExecutableNamedPDF", "drawing.pdf", exe, 0, KeyType},
		{"ErrExecutableNamedDWG", "drawing.dwg", exe, 0, KeyType},
		{"ErrExeExtension", "setup.exe", exe, 0, KeyType},
		{"ErrHTMLNamedSTEP", "a.step", []byte("<html><script>alert(1)</script>ISO-10303-21;</html>"), 0, KeyType},
		{"ErrTextNamedDXF", "a.dxf", []byte("SECTION HEADER\nthis is not a drawing\n"), 0, KeyType},
		{"ErrDXFWrongSection", "a.dxf", []byte("0\nSECTION\n2\nSCRIPT\n0\nEOF\n"), 0, KeyType},
		{"ErrShortDWG", "a.dwg", []byte("AC1015 hello"), 0, KeyType},
		{"ErrZipNamedSTEP", "a.stp", []byte("PK\x03\x04\x14\x00\x00\x00"), 0, KeyType},
		{"ErrSTEPNamedDXF", "a.dxf", []byte(tinySTEP), 0, KeyExtMismatch},
		{"ErrDXFNamedDWG", "a.dwg", []byte(tinyDXF), 0, KeyExtMismatch},
		{"ErrDWGNamedPDF", "a.pdf", tinyDWG, 0, KeyExtMismatch},
		{"ErrPDFNamedSTEP", "a.step", []byte(tinyPDF), 0, KeyExtMismatch},
		{"ErrSTEPUnfinished", "a.step", []byte(tinySTEP[:len(tinySTEP)-20]), 0, KeyCorrupt},
		{"ErrSTEPWithoutHeader", "a.step", []byte("ISO-10303-21;\nDATA;\nENDSEC;\nEND-ISO-10303-21;\n"), 0, KeyCorrupt},
		{"ErrSTEPWithNUL", "a.step", []byte(strings.Replace(tinySTEP, "bracket'", "br\x00cket'", 1)), 0, KeyCorrupt},
		{"ErrDXFWithoutEOF", "a.dxf", []byte(tinyDXF[:len(tinyDXF)-12]), 0, KeyCorrupt},
		{"ErrPNGTruncated", "a.png", pngData[:len(pngData)-20], 0, KeyCorrupt},
		{"ErrEmpty", "a.dwg", nil, 0, KeyEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, data, err := CheckAttachment(tt.filename, bytes.NewReader(tt.data), 1<<20)
			if tt.key == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if kind != tt.kind || !bytes.Equal(data, tt.data) {
					t.Errorf("CheckAttachment = %v and %d bytes; want %v and the %d bytes sent", kind, len(data), tt.kind, len(tt.data))
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
		})
	}
	t.Run("ErrTooLarge", func(t *testing.T) {
		_, _, err := CheckAttachment("a.step", strings.NewReader(tinySTEP), 100)
		if !errors.Is(err, &Problem{Key: KeyTooLarge}) {
			t.Errorf("err = %v; want %s", err, KeyTooLarge)
		}
	})
	t.Run("ScansStayPDFAndImagesOnly", func(t *testing.T) {
		_, _, err := Check("a.step", strings.NewReader(tinySTEP), 1<<20)
		if !errors.Is(err, &Problem{Key: KeyType}) || !strings.HasSuffix(err.Error(), "send PDF, PNG, JPEG.") {
			t.Errorf("a certificate scan named .step: %v", err)
		}
	})
	t.Run("AllowedNamed", func(t *testing.T) {
		_, _, err := CheckAttachment("a.exe", strings.NewReader("MZ"), 1<<20)
		if err == nil || !strings.Contains(err.Error(), "PDF, PNG, JPEG, STEP, DXF, DWG") {
			t.Errorf("err = %v; want the accepted kinds named", err)
		}
	})
}
