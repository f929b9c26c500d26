package upload

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
	"testing/iotest"
)

const tinyPDF = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" +
	"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

func tinyPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.NRGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func tinyJPEG(t *testing.T) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 16, 8))
	img.Set(3, 3, color.Gray{Y: 200})
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngClaiming is a valid 1×1 PNG whose header is rewritten to claim w×h pixels, with the header's
// CRC fixed: the shape of a decompression bomb (a header promising gigabytes over a tiny IDAT)
// without spending seconds compressing real zeros.
func pngClaiming(t *testing.T, w, h uint32) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	// Signature (8), IHDR length (4), "IHDR" (4), then width and height; the CRC covers type and data.
	if string(data[12:16]) != "IHDR" {
		t.Fatal("the encoder did not put IHDR first")
	}
	binary.BigEndian.PutUint32(data[16:20], w)
	binary.BigEndian.PutUint32(data[20:24], h)
	binary.BigEndian.PutUint32(data[29:33], crc32.ChecksumIEEE(data[12:29]))
	return data
}

func TestCheck(t *testing.T) {
	pngData, jpegData := tinyPNG(t), tinyJPEG(t)
	script := "<script>fetch('/account/delete',{method:'POST'})</script>"
	svg := `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>`
	html := "<!DOCTYPE html><html><body><p>%PDF-1.4</p><script>alert(1)</script></body></html>\n%%EOF"
	tests := []struct {
		name     string
		filename string
		data     []byte
		limit    int64
		kind     Kind
		key      string // "" means accepted
	}{
		{"AcceptedPDF", "giay-chung-nhan-iso.pdf", []byte(tinyPDF), 1 << 20, PDF, ""},
		{"AcceptedPNG", "scan.png", pngData, 1 << 20, PNG, ""},
		{"AcceptedJPEG", "scan.jpg", jpegData, 1 << 20, JPEG, ""},
		{"AcceptedJPEGLongExtension", "scan.jpeg", jpegData, 1 << 20, JPEG, ""},
		{"AcceptedUpperCaseExtension", "SCAN.PDF", []byte(tinyPDF), 1 << 20, PDF, ""},
		{"AcceptedWindowsPath", `C:\Users\lan\Desktop\chứng nhận.Png`, pngData, 1 << 20, PNG, ""},
		{"AcceptedExactlyAtLimit", "a.pdf", []byte(tinyPDF), int64(len(tinyPDF)), PDF, ""},
		{"AcceptedPDFTrailingBlankLines", "a.pdf", []byte(tinyPDF + "\r\n\r\n"), 1 << 20, PDF, ""},
		{"ErrTooLarge", "a.pdf", []byte(tinyPDF), int64(len(tinyPDF)) - 1, 0, KeyTooLarge},
		{"ErrEmpty", "a.pdf", nil, 1 << 20, 0, KeyEmpty},
		{"ErrScriptNamedPDF", "x.pdf", []byte(script), 1 << 20, 0, KeyType},
		{"ErrScriptNamedPNG", "x.png", []byte(script), 1 << 20, 0, KeyType},
		{"ErrSVGNamedPNG", "logo.png", []byte(svg), 1 << 20, 0, KeyType},
		{"ErrHTMLNamedPDF", "cert.pdf", []byte(html), 1 << 20, 0, KeyType},
		{"ErrExecutableNamedPDF", "cert.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), 1 << 20, 0, KeyType},
		{"ErrELFNamedJPEG", "cert.jpg", []byte("\x7fELF\x02\x01\x01\x00"), 1 << 20, 0, KeyType},
		{"ErrZipNamedPNG", "cert.png", []byte("PK\x03\x04\x14\x00\x00\x00"), 1 << 20, 0, KeyType},
		{"ErrSVGExtension", "logo.svg", []byte(svg), 1 << 20, 0, KeyType},
		{"ErrGIFExtension", "logo.gif", []byte("GIF89a"), 1 << 20, 0, KeyType},
		{"ErrNoExtension", "cert", []byte(tinyPDF), 1 << 20, 0, KeyType},
		{"ErrPNGNamedPDF", "cert.pdf", pngData, 1 << 20, 0, KeyExtMismatch},
		{"ErrJPEGNamedPNG", "cert.png", jpegData, 1 << 20, 0, KeyExtMismatch},
		{"ErrPDFNamedJPEG", "cert.jpg", []byte(tinyPDF), 1 << 20, 0, KeyExtMismatch},
		{"ErrPDFWithoutEOF", "a.pdf", []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"), 1 << 20, 0, KeyCorrupt},
		{"ErrPDFEOFTooEarly", "a.pdf", []byte(tinyPDF + strings.Repeat(" ", 2000)), 1 << 20, 0, KeyCorrupt},
		{"ErrPNGTruncated", "a.png", pngData[:len(pngData)-20], 1 << 20, 0, KeyCorrupt},
		{"ErrPNGSignatureOnly", "a.png", pngData[:8], 1 << 20, 0, KeyCorrupt},
		{"ErrJPEGTruncated", "a.jpg", jpegData[:len(jpegData)/2], 1 << 20, 0, KeyCorrupt},
		{"ErrJPEGMarkerThenText", "a.jpg", []byte("\xFF\xD8\xFF<script>alert(1)</script>"), 1 << 20, 0, KeyCorrupt},
		{"ErrPNGClaimsMorePixelsThanItHas", "a.png", pngClaiming(t, 1000, 1000), 1 << 20, 0, KeyCorrupt},
		{"ErrDecompressionBomb", "bomb.png", pngClaiming(t, 30000, 30000), 1 << 20, 0, KeyImageTooBig},
		{"ErrSideTooLong", "strip.png", pngClaiming(t, 20001, 1), 1 << 20, 0, KeyImageTooBig},
		{"ErrTooManyPixels", "big.png", pngClaiming(t, 20000, 2001), 1 << 20, 0, KeyImageTooBig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, data, err := Check(tt.filename, bytes.NewReader(tt.data), tt.limit)
			if tt.key == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if kind != tt.kind || !bytes.Equal(data, tt.data) {
					t.Errorf("Check = %v and %d bytes; want %v and the %d bytes sent", kind, len(data), tt.kind, len(tt.data))
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
			if kind != 0 || data != nil {
				t.Errorf("a refused file returned kind %v and %d bytes", kind, len(data))
			}
		})
	}
}

func TestCheckProblemArgs(t *testing.T) {
	_, _, err := Check("a.pdf", strings.NewReader(tinyPDF), 10)
	if !errors.Is(err, &Problem{Key: KeyTooLarge}) || err.(*Problem).Args["Max"] != int64(10) {
		t.Errorf("err = %#v; want %s with Max 10", err, KeyTooLarge)
	}
	_, _, err = Check("bomb.png", bytes.NewReader(pngClaiming(t, 30000, 30000)), 1<<20)
	want := "The image is 30000×30000 pixels; the limit is 40 megapixels and 20000 pixels a side."
	if err == nil || err.Error() != want {
		t.Errorf("err = %v; want %q", err, want)
	}
}

func TestCheckReadError(t *testing.T) {
	broken := errors.New("connection reset")
	_, _, err := Check("a.pdf", iotest.ErrReader(broken), 1<<20)
	var p *Problem
	if !errors.Is(err, broken) || errors.As(err, &p) {
		t.Errorf("err = %v; want the read error, not a Problem", err)
	}
}

func TestKindNames(t *testing.T) {
	tests := []struct {
		kind             Kind
		contentType, ext string
	}{
		{PDF, "application/pdf", ".pdf"},
		{PNG, "image/png", ".png"},
		{JPEG, "image/jpeg", ".jpg"},
		{STEP, "model/step", ".step"},
		{DXF, "image/vnd.dxf", ".dxf"},
		{DWG, "image/vnd.dwg", ".dwg"},
	}
	for _, tt := range tests {
		t.Run(tt.kind.String(), func(t *testing.T) {
			if tt.kind.ContentType() != tt.contentType || tt.kind.Ext() != tt.ext {
				t.Errorf("%v: %q, %q; want %q, %q", tt.kind, tt.kind.ContentType(), tt.kind.Ext(), tt.contentType, tt.ext)
			}
		})
	}
}

func TestKeys(t *testing.T) {
	args := map[string]any{"Max": 1, "Allowed": "PDF", "Kind": "PNG", "Ext": ".pdf", "Width": 1, "Height": 1, "MaxMegapixels": 40, "MaxSide": 20000}
	for _, k := range Keys() {
		if msg := (&Problem{Key: k, Args: args}).Error(); msg == k || strings.ContainsAny(msg, "{}") {
			t.Errorf("key %q has no complete English sentence: %q", k, msg)
		}
	}
	if len(Keys()) != 9 {
		t.Errorf("Keys() has %d keys; the const block has 9", len(Keys()))
	}
}
