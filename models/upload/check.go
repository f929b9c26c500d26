package upload

import (
	"bytes"
	"image/jpeg"
	"image/png"
	"io"
)

// Kind is a type of document Check accepts.
type Kind int

// The kinds of document Check accepts. The zero Kind is none of them.
const (
	PDF Kind = iota + 1
	PNG
	JPEG
	// Drawings, which CheckAttachment accepts besides PDF and images.
	STEP
	DXF
	DWG
)

// ContentType is the media type to serve the file with.
func (k Kind) ContentType() string {
	switch k {
	case PDF:
		return "application/pdf"
	case PNG:
		return "image/png"
	case JPEG:
		return "image/jpeg"
	case STEP:
		return "model/step"
	case DXF:
		return "image/vnd.dxf"
	case DWG:
		return "image/vnd.dwg"
	}
	return "application/octet-stream"
}

// Ext is the extension to store the file under, with its dot.
func (k Kind) Ext() string {
	switch k {
	case PDF:
		return ".pdf"
	case PNG:
		return ".png"
	case JPEG:
		return ".jpg"
	case STEP:
		return ".step"
	case DXF:
		return ".dxf"
	case DWG:
		return ".dwg"
	}
	return ""
}

// String is the kind's usual name, as messages show it.
func (k Kind) String() string {
	switch k {
	case PDF:
		return "PDF"
	case PNG:
		return "PNG"
	case JPEG:
		return "JPEG"
	case STEP:
		return "STEP"
	case DXF:
		return "DXF"
	case DWG:
		return "DWG"
	}
	return "unknown"
}

// Image limits. Decoding holds every pixel in memory (up to 8 bytes each), so these bound what one
// upload can cost; a phone photo is 12 to 50 megapixels, a scanned A4 page at 600 dpi 35.
const (
	MaxPixels = 40_000_000
	MaxSide   = 20_000
)

const documentKinds = "PDF, PNG, JPEG"

// pdfTailLen is how far from the end the %%EOF marker may sit; readers such as Acrobat look in the
// last 1024 bytes, so anything further is not a complete PDF.
const pdfTailLen = 1024

// Check reads a certificate scan of at most limit bytes and returns its kind and content. The kind
// comes from the content's signature (%PDF-, the PNG signature, JPEG's FF D8 FF), and the name
// must end in that kind's extension (.pdf, .png, .jpg or .jpeg, in any case). Images must fit
// MaxPixels and MaxSide, judged from the header before any pixel is decoded, and must then decode
// whole; a PDF must end with %%EOF. Problems with the file are *Problem values; other errors come
// from reading r.
func Check(filename string, r io.Reader, limit int64) (Kind, []byte, error) {
	named := kindOfExt(ext(filename))
	if named == 0 {
		return 0, nil, problem(KeyType, map[string]any{"Allowed": documentKinds})
	}
	data, err := read(r, limit)
	if err != nil {
		return 0, nil, err
	}
	kind := sniff(data)
	switch {
	case kind == 0:
		return 0, nil, problem(KeyType, map[string]any{"Allowed": documentKinds})
	case kind != named:
		return 0, nil, problem(KeyExtMismatch, map[string]any{"Kind": kind.String(), "Ext": ext(filename)})
	}
	if kind == PDF {
		err = checkPDF(data)
	} else {
		err = checkImage(kind, data)
	}
	if err != nil {
		return 0, nil, err
	}
	return kind, data, nil
}

func kindOfExt(ext string) Kind {
	switch ext {
	case ".pdf":
		return PDF
	case ".png":
		return PNG
	case ".jpg", ".jpeg":
		return JPEG
	}
	return 0
}

// sniff names the kind from the first bytes only, at offset zero: a file that merely contains a
// signature further in (HTML with "%PDF-" in a comment) is not that kind.
func sniff(data []byte) Kind {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return PDF
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		return JPEG
	}
	return 0
}

func checkPDF(data []byte) error {
	tail := data[max(0, len(data)-pdfTailLen):]
	if !bytes.Contains(tail, []byte("%%EOF")) {
		return problem(KeyCorrupt, map[string]any{"Kind": PDF.String()})
	}
	return nil
}

// checkImage reads the header first, so that a small file claiming a huge image (a decompression
// bomb) is refused before its pixels are inflated, then decodes it once to prove it is an image.
func checkImage(kind Kind, data []byte) error {
	decodeConfig, decode := png.DecodeConfig, png.Decode
	if kind == JPEG {
		decodeConfig, decode = jpeg.DecodeConfig, jpeg.Decode
	}
	corrupt := problem(KeyCorrupt, map[string]any{"Kind": kind.String()})
	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return corrupt
	}
	if cfg.Width > MaxSide || cfg.Height > MaxSide || int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return problem(KeyImageTooBig, map[string]any{
			"Width": cfg.Width, "Height": cfg.Height, "MaxMegapixels": MaxPixels / 1_000_000, "MaxSide": MaxSide,
		})
	}
	if _, err := decode(bytes.NewReader(data)); err != nil {
		return corrupt
	}
	return nil
}
