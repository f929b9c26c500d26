// Package upload checks files users send before anything else reads them: certificate scans (PDF,
// PNG, JPEG), drawings and specifications attached to requests for quotation (those, STEP, DXF,
// DWG) and staff import files (CSV, XLSX). It trusts neither the name nor the browser's
// content type; the type comes from the bytes, and the name must agree. Serve stored files with
// Kind.ContentType and "X-Content-Type-Options: nosniff" so browsers do not guess otherwise.
package upload

import (
	"fmt"
	"slices"
	"strings"
)

// Message keys of the problems this package reports. The web layer translates them; the English
// sentences in Problem.Error are for logs and tests.
const (
	KeyEmpty       = "upload.empty"         // no Args
	KeyTooLarge    = "upload.too_large"     // Args: Max (bytes)
	KeyType        = "upload.type"          // Args: Allowed ("PDF, PNG, JPEG", …)
	KeyExtMismatch = "upload.ext_mismatch"  // Args: Kind ("PNG"), Ext (".pdf")
	KeyImageTooBig = "upload.image_too_big" // Args: Width, Height, MaxMegapixels, MaxSide
	KeyCorrupt     = "upload.corrupt"       // Args: Kind ("PDF", "XLSX"…)
	KeyCSVBinary   = "upload.csv_binary"    // no Args
	KeyCSVUTF16    = "upload.csv_utf16"     // no Args
	KeyXLSXTooBig  = "upload.xlsx_too_big"  // Args: Max (bytes once unzipped)
)

// english gives each key a plain sentence; {Name} stands for Args["Name"].
var english = map[string]string{
	KeyEmpty:       "The file is empty.",
	KeyTooLarge:    "The file is larger than the limit of {Max} bytes.",
	KeyType:        "This type of file is not accepted; send {Allowed}.",
	KeyExtMismatch: "The file is a {Kind} but its name ends in {Ext}; rename it or send the right file.",
	KeyImageTooBig: "The image is {Width}×{Height} pixels; the limit is {MaxMegapixels} megapixels and {MaxSide} pixels a side.",
	KeyCorrupt:     "The file is damaged or is not a real {Kind}.",
	KeyCSVBinary:   "The CSV file contains binary data; save it again as CSV text.",
	KeyCSVUTF16:    "The CSV file is UTF-16 text; save it as CSV UTF-8.",
	KeyXLSXTooBig:  "The workbook unpacks to more than {Max} bytes.",
}

// Keys lists every message key the package can report, sorted, so that a test in the web layer
// can check each one has a translation in every language.
func Keys() []string {
	keys := make([]string, 0, len(english))
	for k := range english {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Problem is what is wrong with an uploaded file, named by a message key with the arguments its
// translation needs. Test for it with errors.As, or with errors.Is against &Problem{Key: …}.
type Problem struct {
	Key  string
	Args map[string]any
}

func problem(key string, args map[string]any) *Problem { return &Problem{Key: key, Args: args} }

// Error returns the English sentence for the key, with its arguments filled in.
func (p *Problem) Error() string {
	s, ok := english[p.Key]
	if !ok {
		return p.Key
	}
	for name, v := range p.Args {
		s = strings.ReplaceAll(s, "{"+name+"}", fmt.Sprint(v))
	}
	return s
}

// Is matches any Problem with the same key, whatever its arguments, so errors.Is can test for a
// kind of problem.
func (p *Problem) Is(target error) bool {
	t, ok := target.(*Problem)
	return ok && t.Key == p.Key
}
