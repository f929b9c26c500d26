package models

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"
)

// ImportColumns are the columns of a firm file, in the order Export writes them. Import also
// accepts the Vietnamese headers the Department's lists use (see columnAliases).
var ImportColumns = []string{
	"tax_code", "name_vi", "name_en", "short_name", "description_vi", "description_en",
	"sectors", "products", "processes", "materials", "certifications",
	"address", "ward", "district", "industrial_zone", "corridors", "latitude", "longitude",
	"employees", "founded_year", "ownership", "export_markets", "key_customers", "spcncl_years",
	"website", "email", "phone", "contact_name",
}

// Import limits used when ImportOptions leaves them zero.
const (
	DefaultImportMaxBytes = 20 << 20
	DefaultImportMaxRows  = 100_000
	// maxReported keeps a report of a thoroughly broken file readable; the rest are counted.
	maxReported = 1000
)

// ErrImportRejected is returned (wrapped) when a file has problems: nothing was written, and the
// report lists every problem with its row and column.
var ErrImportRejected = errors.New("import rejected: nothing was written")

// ImportOptions tune an import.
type ImportOptions struct {
	// DryRun checks the whole file and reports what would change, writing nothing.
	DryRun bool
	// MaxBytes refuses a larger file without reading past the limit; 0 means DefaultImportMaxBytes.
	MaxBytes int64
	// MaxRows refuses a file with more data rows; 0 means DefaultImportMaxRows.
	MaxRows int
}

// RowProblem is one finding about a file: Row is the row number a spreadsheet shows (the header
// is normally row 1; 0 means the file as a whole), Column the import column key (or the header as
// written, for an unknown column).
type RowProblem struct {
	Row    int    `json:"row"`
	Column string `json:"column,omitempty"`
	Value  string `json:"value,omitempty"`
	Reason string `json:"reason"`
}

func (p RowProblem) String() string {
	switch {
	case p.Row == 0 && p.Column == "":
		return p.Reason
	case p.Column == "":
		return fmt.Sprintf("row %d: %s", p.Row, p.Reason)
	}
	return fmt.Sprintf("row %d, %s: %s", p.Row, p.Column, p.Reason)
}

// ImportReport says what an import did, or would do in a dry run. Problems block the import;
// Warnings (unknown terms kept as free text, ignored columns) do not.
type ImportReport struct {
	Rows      int          `json:"rows"`
	Created   int          `json:"created"`
	Updated   int          `json:"updated"`
	Unchanged int          `json:"unchanged"`
	Problems  []RowProblem `json:"problems"`
	Warnings  []RowProblem `json:"warnings"`
}

// Import reads firms from a CSV or XLSX file (by name's extension, or by its content) and saves
// them through SaveFirms in one transaction: a row whose tax code is stored updates that firm,
// others are created. Columns missing from the file keep the stored values; empty cells clear
// them. The whole file is checked first: if any row has a problem, nothing is written and the
// report lists every problem, with an error wrapping ErrImportRejected.
func (s *Store) Import(ctx context.Context, r io.Reader, name string, opts ImportOptions) (*ImportReport, error) {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultImportMaxBytes
	}
	if opts.MaxRows <= 0 {
		opts.MaxRows = DefaultImportMaxRows
	}
	found := &findings{rep: &ImportReport{Problems: []RowProblem{}, Warnings: []RowProblem{}}}
	rows, err := readSheet(r, name, opts, found)
	if err != nil {
		return found.finish(), err
	}
	if rows == nil {
		return found.finish(), found.rejected()
	}
	if err := ctx.Err(); err != nil {
		return found.finish(), err
	}

	ref := s.Reference()
	imp := &rowImporter{ref: ref, found: found, now: s.now()}
	data := imp.readHeader(rows)
	if imp.cols == nil {
		return found.finish(), found.rejected()
	}
	found.rep.Rows = len(data)

	parsed := make([]*importRow, 0, len(data))
	firstRow := map[string]int{}
	for i, row := range data {
		if i%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return found.finish(), err
			}
		}
		ir := imp.parseKey(row)
		if ir.taxCode != "" {
			if first, dup := firstRow[ir.taxCode]; dup {
				found.problem(row.num, "tax_code", ir.taxCode, "tax code %s is also on row %d; a firm may appear only once", ir.taxCode, first)
				ir.duplicate = true
			} else {
				firstRow[ir.taxCode] = row.num
			}
		}
		parsed = append(parsed, ir)
	}

	existing, err := s.firmsByTaxCodes(ctx, firstRow)
	if err != nil {
		return found.finish(), fmt.Errorf("import: load stored firms: %w", err)
	}

	firms := make([]*Firm, 0, len(parsed))
	var created, unchanged int
	for i, ir := range parsed {
		if i%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return found.finish(), err
			}
		}
		old := existing[ir.taxCode]
		if ir.duplicate {
			old = nil
		}
		var oldKey string
		if old != nil {
			oldKey = contentKey(old)
		}
		f := imp.buildFirm(ir, old)
		f.normalize(ref)
		imp.check(ir, f)
		switch {
		case old == nil:
			created++
		case contentKey(f) == oldKey:
			unchanged++
		}
		firms = append(firms, f)
	}
	if found.problems > 0 {
		return found.finish(), found.rejected()
	}
	if opts.DryRun {
		found.rep.Created, found.rep.Unchanged = created, unchanged
		found.rep.Updated = len(firms) - created - unchanged
		return found.finish(), nil
	}
	changed, err := s.SaveFirms(ctx, firms)
	if err != nil {
		return found.finish(), fmt.Errorf("import: %w (nothing was written)", err)
	}
	found.rep.Created = min(created, len(changed))
	found.rep.Updated = len(changed) - found.rep.Created
	found.rep.Unchanged = len(firms) - len(changed)
	return found.finish(), nil
}

// firmsByTaxCodes loads the stored firms with the given tax codes, keyed by tax code.
func (s *Store) firmsByTaxCodes(ctx context.Context, codes map[string]int) (map[string]*Firm, error) {
	all := make([]string, 0, len(codes))
	for c := range codes {
		all = append(all, c)
	}
	sort.Strings(all)
	out := make(map[string]*Firm, len(all))
	for start := 0; start < len(all); start += 500 {
		batch := all[start:min(start+500, len(all))]
		var ids []uint
		if err := s.db.WithContext(ctx).Model(&Firm{}).Where("tax_code IN ?", batch).Pluck("id", &ids).Error; err != nil {
			return nil, err
		}
		firms, err := s.FirmsByIDs(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, f := range firms {
			out[f.TaxCode] = f
		}
	}
	return out, nil
}

// findings collects problems and warnings, keeping the report to a readable size.
type findings struct {
	rep *ImportReport
	// problems counts every problem, listed or not; dropped and droppedWarnings count the unlisted.
	problems, dropped, droppedWarnings int
}

func (l *findings) problem(row int, column, value, format string, args ...any) {
	l.problems++
	if len(l.rep.Problems) >= maxReported {
		l.dropped++
		return
	}
	l.rep.Problems = append(l.rep.Problems, RowProblem{Row: row, Column: column, Value: value, Reason: fmt.Sprintf(format, args...)})
}

func (l *findings) warn(row int, column, value, format string, args ...any) {
	if len(l.rep.Warnings) >= maxReported {
		l.droppedWarnings++
		return
	}
	l.rep.Warnings = append(l.rep.Warnings, RowProblem{Row: row, Column: column, Value: value, Reason: fmt.Sprintf(format, args...)})
}

func (l *findings) finish() *ImportReport {
	sort.SliceStable(l.rep.Problems, func(i, j int) bool { return l.rep.Problems[i].Row < l.rep.Problems[j].Row })
	sort.SliceStable(l.rep.Warnings, func(i, j int) bool { return l.rep.Warnings[i].Row < l.rep.Warnings[j].Row })
	if l.dropped > 0 {
		l.rep.Problems = append(l.rep.Problems, RowProblem{Reason: fmt.Sprintf("%d more problems are not listed", l.dropped)})
		l.dropped = 0
	}
	if l.droppedWarnings > 0 {
		l.rep.Warnings = append(l.rep.Warnings, RowProblem{Reason: fmt.Sprintf("%d more warnings are not listed", l.droppedWarnings)})
		l.droppedWarnings = 0
	}
	return l.rep
}

func (l *findings) rejected() error {
	if l.problems == 1 {
		return fmt.Errorf("%w: %s", ErrImportRejected, l.rep.Problems[0])
	}
	return fmt.Errorf("%w: %d problems, the first: %s", ErrImportRejected, l.problems, l.rep.Problems[0])
}

// sheetRow is one non-blank row of the file with the row number a spreadsheet shows.
type sheetRow struct {
	num   int
	cells []string
}

// errTooLarge is what cappedReader returns once the file passes the size limit.
var errTooLarge = errors.New("file too large")

// cappedReader fails, rather than stopping quietly as io.LimitReader does, once more than left
// bytes are read, so a file over the limit is refused instead of imported cut short.
type cappedReader struct {
	r    io.Reader
	left int64
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return n, errTooLarge
	}
	return n, err
}

// readSheet reads the file's rows. It returns nil rows (with problems logged) when the file cannot
// be read as a table, and an error only when reading the input itself failed.
func readSheet(r io.Reader, name string, opts ImportOptions, found *findings) ([]sheetRow, error) {
	br := bufio.NewReaderSize(&cappedReader{r: r, left: opts.MaxBytes}, 64<<10)
	head, err := br.Peek(8)
	if err != nil && err != io.EOF && !errors.Is(err, errTooLarge) {
		return nil, fmt.Errorf("import: read %s: %w", name, err)
	}
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case len(head) == 0:
		found.problem(0, "", "", "the file is empty")
		return nil, nil
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return readXLSX(br, opts, found)
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}) || ext == ".xls":
		found.problem(0, "", "", "the file is in the old Excel 97-2003 (.xls) format; save it as .xlsx or as CSV UTF-8")
		return nil, nil
	case ext == ".xlsx" || ext == ".xlsm":
		found.problem(0, "", "", "the file is named %s but is not an Excel workbook", filepath.Base(name))
		return nil, nil
	}
	return readCSV(br, opts, found)
}

func tooLarge(found *findings, opts ImportOptions) {
	found.problem(0, "", "", "the file is larger than %s; split it into smaller files", byteSize(opts.MaxBytes))
}

func byteSize(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

func readCSV(br *bufio.Reader, opts ImportOptions, found *findings) ([]sheetRow, error) {
	if b, _ := br.Peek(3); bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		br.Discard(3)
	} else if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		found.problem(0, "", "", "the file is UTF-16 text; save the file as CSV UTF-8 and import it again")
		return nil, nil
	}
	first, err := br.Peek(br.Size())
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull && !errors.Is(err, errTooLarge) {
		return nil, fmt.Errorf("import: read file: %w", err)
	}
	raw := &rawRecorder{r: br}
	cr := csv.NewReader(raw)
	cr.Comma = sniffDelimiter(first)
	cr.FieldsPerRecord = -1

	var rows []sheetRow
	var header []string
	// A record spanning several lines (a cell with line breaks) is still one spreadsheet row, so
	// rows are counted from line numbers minus the line breaks inside earlier cells.
	inner := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if errors.Is(err, errTooLarge) {
			tooLarge(found, opts)
			return nil, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			row := pe.StartLine - inner
			reason := "the quoting is broken: "
			if errors.Is(pe.Err, csv.ErrBareQuote) {
				reason += `a cell that is not in quotes contains a double quote ("); put the cell in quotes and double the quote ("")`
			} else {
				reason += `a quoted cell does not end with a double quote (") before the next cell or line`
			}
			col := ""
			if i := cellAt(raw.pending(), cr.Comma, pe.Line-pe.StartLine, pe.Column); i >= 0 {
				col = headerName(header, i)
			}
			found.problem(row, col, "", "%s (line %d of the file)", reason, pe.Line)
			if found.problems >= 20 {
				return nil, nil
			}
			raw.mark(cr.InputOffset())
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("import: read file: %w", err)
		}
		raw.mark(cr.InputOffset())
		line, _ := cr.FieldPos(0)
		num := line - inner
		for i, c := range rec {
			inner += strings.Count(c, "\n")
			if !utf8.ValidString(c) {
				found.problem(num, headerName(header, i), strings.ToValidUTF8(c, "\uFFFD"),
					"is not UTF-8 text (the file looks like Windows-1258 or Latin-1); save the file as CSV UTF-8 and import it again")
				return nil, nil
			}
			if len(c) > 1 && c[0] == '\'' {
				rec[i] = unguardFormula(c)
			}
		}
		if blankRow(rec) {
			continue
		}
		if header == nil {
			header = rec
		}
		if len(rows) > opts.MaxRows {
			found.problem(num, "", "", "the file has more than %d rows; split it into smaller files", opts.MaxRows)
			return nil, nil
		}
		rows = append(rows, sheetRow{num: num, cells: rec})
	}
	if len(found.rep.Problems) > 0 {
		return nil, nil
	}
	if len(rows) == 0 {
		found.problem(0, "", "", "the file has no rows")
		return nil, nil
	}
	return rows, nil
}

// rawRecorder keeps the bytes the CSV reader has taken since the end of the last record, so a
// quoting error can be traced to its cell.
type rawRecorder struct {
	r     io.Reader
	buf   []byte
	start int   // buf[start:] are the bytes from offset base on
	base  int64 // input offset of buf[start]
}

func (t *rawRecorder) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.buf = append(t.buf, p[:n]...)
	return n, err
}

// mark drops the bytes before input offset off.
func (t *rawRecorder) mark(off int64) {
	drop := int(off - t.base)
	if drop <= 0 || drop > len(t.buf)-t.start {
		return
	}
	t.start += drop
	t.base = off
	if t.start > 64<<10 {
		t.buf = append(t.buf[:0], t.buf[t.start:]...)
		t.start = 0
	}
}

func (t *rawRecorder) pending() []byte { return t.buf[t.start:] }

// cellAt returns the 0-based cell of the record starting at raw in which the byte at column col
// (1-based) of its line-th line (0 = the first) lies, or -1 if it cannot tell.
func cellAt(raw []byte, comma rune, line, col int) int {
	cell, ln, pos := 0, 0, 0
	quoted, cellStart := false, true
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		pos++
		if ln == line && pos >= col {
			return cell
		}
		switch {
		case c == '\n':
			ln, pos = ln+1, 0
			if !quoted {
				return -1
			}
		case quoted && c == '"' && i+1 < len(raw) && raw[i+1] == '"':
			i++
			pos++
		case quoted && c == '"':
			quoted = false
		case cellStart && c == '"':
			quoted = true
		case !quoted && rune(c) == comma:
			cell++
			cellStart = true
			continue
		}
		cellStart = false
	}
	// The file ended inside the record (an unclosed quote): the error is in the last cell.
	if len(raw) > 0 {
		return cell
	}
	return -1
}

// sniffDelimiter picks comma, semicolon or tab, whichever the header line uses most outside quotes.
func sniffDelimiter(b []byte) rune {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	counts := map[byte]int{}
	quoted := false
	for _, c := range b {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t'):
			counts[c]++
		}
	}
	best := byte(',')
	for _, c := range []byte{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return rune(best)
}

func readXLSX(br *bufio.Reader, opts ImportOptions, found *findings) ([]sheetRow, error) {
	// A workbook is a zip, read by random access, so it is read whole, but never past the limit.
	data, err := io.ReadAll(br)
	if errors.Is(err, errTooLarge) {
		tooLarge(found, opts)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("import: read file: %w", err)
	}
	const xmlInMemory = 16 << 20
	wb, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipXMLSizeLimit: xmlInMemory,
		// Generous for real sheets, small enough to stop a zip bomb.
		UnzipSizeLimit: max(10*opts.MaxBytes, xmlInMemory),
	})
	if err != nil {
		found.problem(0, "", "", "the file cannot be read as an Excel workbook (%v); save it again as .xlsx or as CSV UTF-8", err)
		return nil, nil
	}
	defer wb.Close()
	sheets := wb.GetSheetList()
	if len(sheets) == 0 {
		found.problem(0, "", "", "the workbook has no sheets")
		return nil, nil
	}
	it, err := wb.Rows(sheets[0])
	if err != nil {
		found.problem(0, "", "", "the first sheet cannot be read: %v", err)
		return nil, nil
	}
	defer it.Close()
	var rows []sheetRow
	var header []string
	for num := 1; it.Next(); num++ {
		rec, err := it.Columns()
		if err != nil {
			found.problem(num, "", "", "the row cannot be read: %v", err)
			return nil, nil
		}
		for i, c := range rec {
			if !utf8.ValidString(c) {
				found.problem(num, headerName(header, i), strings.ToValidUTF8(c, "\uFFFD"), "is not valid UTF-8 text")
				return nil, nil
			}
		}
		if blankRow(rec) {
			continue
		}
		if header == nil {
			header = rec
		}
		if len(rows) > opts.MaxRows {
			found.problem(num, "", "", "the sheet has more than %d rows; split it into smaller files", opts.MaxRows)
			return nil, nil
		}
		rows = append(rows, sheetRow{num: num, cells: rec})
	}
	if err := it.Error(); err != nil {
		found.problem(0, "", "", "the first sheet cannot be read: %v", err)
		return nil, nil
	}
	if len(rows) == 0 {
		found.problem(0, "", "", "the first sheet has no rows")
		return nil, nil
	}
	return rows, nil
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// headerName names column i for a message: its import key when the header names one, else its
// letter.
func headerName(header []string, i int) string {
	if i < len(header) {
		if key, ok := importColumnKey(header[i]); ok {
			return key
		}
	}
	return columnLetter(i)
}

// columnLetter is the spreadsheet name of the 0-based column i: A, B, … Z, AA, AB….
func columnLetter(i int) string {
	if i < 0 {
		i = 0
	}
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}

// formulaTriggers start a cell that a spreadsheet would run as a formula.
const formulaTriggers = "=+-@"

// guardFormula prefixes an apostrophe to text a spreadsheet would run as a formula (OWASP's advice
// for CSV files); text made only of digits and number punctuation, like "+84 24 3825 1234", cannot
// call a function and is left alone. unguardFormula undoes it, so the round trip is exact.
func guardFormula(s string) string {
	t := strings.TrimLeft(s, "'")
	if t == "" || !strings.ContainsRune(formulaTriggers, rune(t[0])) {
		return s
	}
	if strings.Trim(t, "0123456789 +-()./,") == "" {
		return s
	}
	return "'" + s
}

func unguardFormula(s string) string {
	t := strings.TrimLeft(s, "'")
	if len(t) < len(s) && t != "" && strings.ContainsRune(formulaTriggers, rune(t[0])) {
		return s[1:]
	}
	return s
}

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
	"corridors":      {"Hành lang", "Hành lang công nghiệp", "Corridor"},
	"latitude":       {"Vĩ độ", "Lat"},
	"longitude":      {"Kinh độ", "Lng", "Lon", "Long"},
	"employees":      {"Số lao động", "Lao động", "Số nhân viên", "Số công nhân", "Headcount"},
	"founded_year":   {"Năm thành lập", "Founded", "Year founded"},
	"ownership":      {"Loại hình", "Loại hình doanh nghiệp", "Loại hình sở hữu", "Sở hữu"},
	"export_markets": {"Thị trường xuất khẩu", "Xuất khẩu"},
	"key_customers":  {"Khách hàng chính", "Khách hàng", "Customers"},
	"spcncl_years":   {"SPCNCL", "Sản phẩm CNCL", "Sản phẩm công nghiệp chủ lực", "Key industrial products", "SPCNCL year"},
	"website":        {"Trang web", "Web"},
	"email":          {"E-mail", "Thư điện tử"},
	"phone":          {"Điện thoại", "Số điện thoại", "SĐT", "ĐT", "Tel", "Telephone"},
	"contact_name":   {"Người liên hệ", "Liên hệ", "Contact", "Contact person"},
}

// ignoredHeaders are columns Vietnamese lists often have that carry nothing to import.
var ignoredHeaders = map[string]bool{"stt": true, "tt": true, "no": true, "ghi chu": true, "note": true, "notes": true}

var columnByKey = func() map[string]string {
	m := map[string]string{}
	for _, c := range ImportColumns {
		m[FoldKey(c)] = c
		for _, a := range columnAliases[c] {
			m[FoldKey(a)] = c
		}
	}
	return m
}()

// importColumnKey finds the column a header names: a column key or a Vietnamese or English alias,
// in any case, with or without diacritics; a trailing "(*)" marking a required column is fine.
func importColumnKey(header string) (string, bool) {
	k, ok := columnByKey[FoldKey(header)]
	return k, ok
}

// rowImporter turns rows into firms against one snapshot of the reference data.
type rowImporter struct {
	ref   *Reference
	found *findings
	now   time.Time
	cols  map[string]int // column key → cell index
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
		case !known && ignoredHeaders[FoldKey(h)]:
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

// importRow is one data row with its cells by column key.
type importRow struct {
	num       int
	cells     map[string]string
	taxCode   string
	duplicate bool
	// certTexts and recTexts are the list entries as written, in the order of the built firm's
	// Certificates and Recognitions, to quote them in problems.
	certTexts []string
	recTexts  []string
}

// cleanCell makes a cell's text canonical: NFC (files from macOS are often NFD), Unix line
// breaks, no surrounding spaces.
func cleanCell(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if !norm.NFC.IsNormalString(s) {
		s = norm.NFC.String(s)
	}
	return strings.TrimSpace(s)
}

var nineDigitTaxCode = regexp.MustCompile(`^[0-9]{9}(-[0-9]{3})?$`)

// parseKey reads the row's cells and its tax code.
func (imp *rowImporter) parseKey(row sheetRow) *importRow {
	ir := &importRow{num: row.num, cells: make(map[string]string, len(imp.cols))}
	for key, i := range imp.cols {
		v := ""
		if i < len(row.cells) {
			v = cleanCell(row.cells[i])
		}
		ir.cells[key] = v
	}
	code := ir.cells["tax_code"]
	// Excel drops the leading zero of a tax code typed as a number; Hanoi's codes start with 01.
	if nineDigitTaxCode.MatchString(code) {
		imp.found.warn(row.num, "tax_code", code, "has 9 digits; the leading 0 a spreadsheet drops was restored (0%s)", code)
		code = "0" + code
		ir.cells["tax_code"] = code
	}
	if ValidTaxCode(code) {
		ir.taxCode = code
	}
	return ir
}

func (ir *importRow) get(key string) (string, bool) {
	v, ok := ir.cells[key]
	return v, ok
}

// cloneFirm copies a stored firm deeply enough that building the import's version never changes
// the original.
func cloneFirm(old *Firm) *Firm {
	f := *old
	f.Terms = slices.Clone(old.Terms)
	f.FreeTerms = slices.Clone(old.FreeTerms)
	f.Certificates = slices.Clone(old.Certificates)
	f.KeyCustomers = slices.Clone(old.KeyCustomers)
	f.ExportMarkets = slices.Clone(old.ExportMarkets)
	f.Recognitions = slices.Clone(old.Recognitions)
	f.Sites = slices.Clone(old.Sites)
	for i := range f.Sites {
		f.Sites[i].Corridors = slices.Clone(old.Sites[i].Corridors)
	}
	return &f
}

// buildFirm makes the firm a row describes: the stored firm (if any) with every column in the
// file applied to it.
func (imp *rowImporter) buildFirm(ir *importRow, old *Firm) *Firm {
	f := &Firm{}
	if old != nil {
		f = cloneFirm(old)
	}
	for _, t := range []struct {
		key string
		dst *string
	}{
		{"tax_code", &f.TaxCode}, {"name_vi", &f.NameVI}, {"name_en", &f.NameEN}, {"short_name", &f.ShortName},
		{"description_vi", &f.DescriptionVI}, {"description_en", &f.DescriptionEN}, {"website", &f.Website},
		{"email", &f.Email}, {"phone", &f.Phone}, {"contact_name", &f.ContactName},
	} {
		if v, ok := ir.get(t.key); ok {
			*t.dst = v
		}
	}
	if v, ok := ir.get("employees"); ok {
		if n, ok := imp.wholeNumber(ir, "employees", v); ok {
			f.Employees = n
		}
	}
	if v, ok := ir.get("founded_year"); ok {
		f.FoundedYear = 0
		if v != "" {
			if n, err := strconv.Atoi(v); err == nil {
				f.FoundedYear = n
			} else {
				imp.found.problem(ir.num, "founded_year", v, "%q is not a year", v)
			}
		}
	}
	if v, ok := ir.get("ownership"); ok {
		f.Ownership = ""
		if v != "" {
			if o, ok := ownershipByKey[FoldKey(v)]; ok {
				f.Ownership = o
			} else {
				imp.found.problem(ir.num, "ownership", v, "%q is not an ownership type; write Tư nhân, Nhà nước, FDI or Liên doanh (private, state, fdi, jv)", v)
			}
		}
	}
	imp.applyTerms(ir, f)
	if v, ok := ir.get("certifications"); ok {
		var olds []Certificate
		if old != nil {
			olds = old.Certificates
		}
		f.Certificates, ir.certTexts = imp.certificates(ir, v, olds)
	}
	imp.applySite(ir, f)
	if v, ok := ir.get("export_markets"); ok {
		f.ExportMarkets = imp.exportMarkets(ir, v)
	}
	if v, ok := ir.get("key_customers"); ok {
		f.KeyCustomers = StringList(splitList(v, ';'))
	}
	if v, ok := ir.get("spcncl_years"); ok {
		f.Recognitions, ir.recTexts = imp.recognitions(ir, v)
	}
	return f
}

var groupedWhole = regexp.MustCompile(`^[0-9]{1,3}([.,  \x{00A0}\x{202F}][0-9]{3})+$`)

// wholeNumber reads a count, allowing thousands separators ("1.200", "1,200", "1 200"); empty is 0.
func (imp *rowImporter) wholeNumber(ir *importRow, col, v string) (int, bool) {
	if v == "" {
		return 0, true
	}
	s := v
	if groupedWhole.MatchString(s) {
		s = strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		imp.found.problem(ir.num, col, v, "%q is not a whole number", v)
		return 0, false
	}
	return n, true
}

// decimal reads a coordinate; a decimal comma ("21,0285", as Vietnamese Excel writes) is fine.
func (imp *rowImporter) decimal(ir *importRow, col, v string) (*float64, bool) {
	if v == "" {
		return nil, true
	}
	s := v
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		imp.found.problem(ir.num, col, v, "%q is not a number", v)
		return nil, false
	}
	return &x, true
}

// splitList splits a list cell, dropping empty entries.
func splitList(s string, seps ...rune) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return slices.Contains(seps, r) })
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// splitTopLevel splits s at sep outside parentheses.
func splitTopLevel(s string, sep rune) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			if depth > 0 {
				depth--
			}
		case sep:
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + utf8.RuneLen(r)
			}
		}
	}
	return append(out, s[start:])
}

var termColumns = []struct {
	kind TermKind
	col  string
}{{KindSector, "sectors"}, {KindProduct, "products"}, {KindProcess, "processes"}, {KindMaterial, "materials"}}

// applyTerms sets the firm's taxonomy terms and free terms from the taxonomy columns in the file;
// kinds whose column is absent keep the stored ones.
func (imp *rowImporter) applyTerms(ir *importRow, f *Firm) {
	anyPresent := false
	for _, tc := range termColumns {
		if _, ok := ir.get(tc.col); ok {
			anyPresent = true
		}
	}
	if !anyPresent {
		return
	}
	var terms []Term
	var free FreeTermList
	for _, tc := range termColumns {
		v, ok := ir.get(tc.col)
		if !ok {
			terms = append(terms, f.TermsOf(tc.kind)...)
			for _, ft := range f.FreeTerms {
				if ft.Kind == tc.kind {
					free = append(free, ft)
				}
			}
			continue
		}
		seen := map[string]bool{}
		for _, item := range splitList(v, ';') {
			found := imp.resolveTerms(tc.kind, item)
			if found == nil {
				if k := FoldKey(item); !seen["free:"+k] {
					seen["free:"+k] = true
					free = append(free, FreeTerm{Kind: tc.kind, Text: item})
					imp.found.warn(ir.num, tc.col, item, "%q is not in the taxonomy; it was kept as free text", item)
				}
				continue
			}
			for _, t := range found {
				if !seen[t.Code] {
					seen[t.Code] = true
					terms = append(terms, t)
				}
			}
		}
	}
	f.Terms, f.FreeTerms = terms, free
}

// resolveTerms finds the term an entry names; an entry that names none but whose comma-separated
// parts each name one ("Khuôn mẫu, Ép nhựa") gives those terms; otherwise nil.
func (imp *rowImporter) resolveTerms(kind TermKind, item string) []Term {
	if t, ok := imp.ref.ResolveTerm(kind, item); ok {
		return []Term{t}
	}
	parts := splitList(item, ',')
	if len(parts) < 2 {
		return nil
	}
	out := make([]Term, 0, len(parts))
	for _, p := range parts {
		t, ok := imp.ref.ResolveTerm(kind, p)
		if !ok {
			return nil
		}
		out = append(out, t)
	}
	return out
}

// applySite sets the main site from the location columns in the file; the firm's other sites
// (plants entered on the site) stay. A row with no location at all has no site, unless the firm
// has other sites: then the main site is left empty rather than a plant taking its place.
func (imp *rowImporter) applySite(ir *importRow, f *Firm) {
	present := false
	for _, c := range []string{"address", "ward", "district", "industrial_zone", "corridors", "latitude", "longitude"} {
		if _, ok := ir.get(c); ok {
			present = true
		}
	}
	if !present {
		return
	}
	var site Site
	if len(f.Sites) > 0 {
		site = f.Sites[0]
	}
	if v, ok := ir.get("address"); ok {
		site.Address = v
	}
	if v, ok := ir.get("ward"); ok {
		site.Ward = v
		if w, ok := imp.ref.ResolveWard(v); ok {
			site.Ward = w.Name
		}
	}
	if v, ok := ir.get("district"); ok {
		site.District = ""
		if v != "" {
			if d, ok := imp.ref.ResolveDistrict(v); ok {
				site.District = d.Code
			} else {
				imp.found.problem(ir.num, "district", v, "%q is not one of Hanoi's 30 former districts", v)
			}
		}
	}
	if v, ok := ir.get("industrial_zone"); ok {
		site.Zone = ""
		if v != "" {
			if z, ok := imp.ref.ResolveZone(v); ok {
				site.Zone = z.Code
			} else {
				imp.found.problem(ir.num, "industrial_zone", v, "%q is not a known industrial park or cluster", v)
			}
		}
	}
	if v, ok := ir.get("latitude"); ok {
		if x, ok := imp.decimal(ir, "latitude", v); ok {
			site.Latitude = x
		}
	}
	if v, ok := ir.get("longitude"); ok {
		if x, ok := imp.decimal(ir, "longitude", v); ok {
			site.Longitude = x
		}
	}
	if v, ok := ir.get("corridors"); ok {
		// A corridor named in the file is staff's choice; an empty cell lets location decide.
		site.Corridors, site.CorridorsSet = nil, v != ""
		for _, item := range splitList(v, ';') {
			c, ok := imp.ref.ResolveCorridor(item)
			if !ok {
				imp.found.problem(ir.num, "corridors", item, "%q is not a known corridor", item)
				continue
			}
			if !slices.Contains(site.Corridors, c.Code) {
				site.Corridors = append(site.Corridors, c.Code)
			}
		}
	}
	located := site.Address != "" || site.Ward != "" || site.District != "" || site.Zone != "" ||
		site.Latitude != nil || site.Longitude != nil
	switch {
	case !located && len(f.Sites) <= 1:
		if site.CorridorsSet {
			imp.found.warn(ir.num, "corridors", ir.cells["corridors"], "corridors without a location were ignored")
		}
		f.Sites = nil
	case len(f.Sites) == 0:
		f.Sites = []Site{site}
	default:
		f.Sites[0] = site
	}
}

// exportMarkets resolves countries to ISO codes; an unknown country is kept as written.
func (imp *rowImporter) exportMarkets(ir *importRow, v string) StringList {
	out := StringList{}
	for _, item := range splitList(v, ';', ',') {
		code := item
		if c, ok := ResolveCountry(item); ok {
			code = c.Code
		} else {
			imp.found.warn(ir.num, "export_markets", item, "%q is not a known country; it was kept as written", item)
		}
		if !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	return out
}

var recognitionEntry = regexp.MustCompile(`^([0-9]{4})\s*(?:(?::|-|–)\s*(.*))?$`)

// recognitions reads "2023: Khuôn ép nhựa chính xác; 2021". A bare year is a recognition whose
// product is not named (Check allows it); nothing is guessed. Entries are ordered newest first,
// the order the store loads them in.
func (imp *rowImporter) recognitions(ir *importRow, v string) ([]Recognition, []string) {
	var recs []Recognition
	var texts []string
	for _, item := range splitList(v, ';') {
		m := recognitionEntry.FindStringSubmatch(item)
		if m == nil {
			imp.found.problem(ir.num, "spcncl_years", item, "%q should be a year, or a year, a colon and the product (\"2023: Khuôn ép nhựa\")", item)
			continue
		}
		year, _ := strconv.Atoi(m[1])
		recs = append(recs, Recognition{Year: year, Product: strings.TrimSpace(m[2])})
		texts = append(texts, item)
	}
	idx := make([]int, len(recs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return recs[idx[a]].Year > recs[idx[b]].Year })
	sortedRecs, sortedTexts := make([]Recognition, len(recs)), make([]string, len(recs))
	for i, j := range idx {
		sortedRecs[i], sortedTexts[i] = recs[j], texts[j]
	}
	return sortedRecs, sortedTexts
}

// ownershipByKey maps codes and the labels people write to ownership types.
var ownershipByKey = func() map[string]Ownership {
	m := map[string]Ownership{}
	for o, words := range map[Ownership][]string{
		OwnershipPrivate: {"private", "Tư nhân", "Doanh nghiệp tư nhân", "Domestic private", "Private domestic",
			"Ngoài nhà nước", "Ngoài quốc doanh", "Dân doanh", "Trong nước", "Domestic"},
		OwnershipState: {"state", "Nhà nước", "Doanh nghiệp nhà nước", "DNNN", "Vốn nhà nước", "State-owned",
			"State owned", "SOE", "Quốc doanh"},
		OwnershipFDI: {"fdi", "Vốn đầu tư nước ngoài", "Có vốn đầu tư nước ngoài", "100% vốn nước ngoài",
			"Đầu tư nước ngoài", "Vốn nước ngoài", "Doanh nghiệp FDI", "Foreign-invested", "Foreign invested",
			"Foreign-owned", "Foreign owned", "Foreign", "100% foreign-owned"},
		OwnershipJointVenture: {"jv", "Liên doanh", "Doanh nghiệp liên doanh", "Joint venture", "Joint-venture"},
	} {
		for _, w := range words {
			m[FoldKey(w)] = o
		}
	}
	return m
}()

// check runs the firm's own validation and reports each field error against its column.
func (imp *rowImporter) check(ir *importRow, f *Firm) {
	err := f.Check(imp.ref, imp.now)
	if err == nil {
		return
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		imp.found.problem(ir.num, "", "", "%v", err)
		return
	}
	for _, fe := range ve.Fields {
		col, idx := fe.Field, 0
		if i := strings.IndexByte(col, '['); i > 0 && strings.HasSuffix(col, "]") && !strings.Contains(col, ".") {
			idx, _ = strconv.Atoi(col[i+1 : len(col)-1])
			col = col[:i]
		}
		value := ir.cells[col]
		switch {
		case col == "certifications" && idx > 0 && idx <= len(ir.certTexts):
			value = ir.certTexts[idx-1]
		case col == "spcncl_years" && idx > 0 && idx <= len(ir.recTexts):
			value = ir.recTexts[idx-1]
		}
		imp.found.problem(ir.num, col, value, "%s", fe.Reason)
	}
}

// Certificate entries: "ISO 9001:2015 (2027-06-30, issued 2024-06-30, no. QMS-1, by QUACERT,
// scope TEXT, verified 2025-01-10)"; every part inside the parentheses is optional.
type certDetail int

const (
	detailNone certDetail = iota
	detailExpires
	detailIssued
	detailNumber
	detailIssuer
	detailScope
	detailVerified
)

// certKeywords start the parts inside a certificate's parentheses, in English and Vietnamese;
// longer keywords are tried first so "cấp bởi" (issuer) wins over "cấp" (issued).
var certKeywords = func() []struct {
	words  int
	key    string
	detail certDetail
} {
	var out []struct {
		words  int
		key    string
		detail certDetail
	}
	for d, kws := range map[certDetail][]string{
		detailExpires:  {"expires", "expiry", "valid until", "hết hạn", "hiệu lực đến", "có hiệu lực đến"},
		detailIssued:   {"issued", "issued on", "cấp", "cấp ngày", "ngày cấp"},
		detailNumber:   {"no.", "number", "số", "số hiệu"},
		detailIssuer:   {"by", "issuer", "issued by", "bởi", "cấp bởi", "tổ chức cấp", "đơn vị cấp"},
		detailScope:    {"scope", "phạm vi"},
		detailVerified: {"verified", "xác minh", "đã xác minh", "verified on"},
	} {
		for _, k := range kws {
			key := FoldKey(k)
			out = append(out, struct {
				words  int
				key    string
				detail certDetail
			}{len(strings.Fields(key)), key, d})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].words != out[j].words {
			return out[i].words > out[j].words
		}
		return out[i].key < out[j].key
	})
	return out
}()

var dateLike = regexp.MustCompile(`^[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}$`)

// parseCellDate reads YYYY-MM-DD, or DD/MM/YYYY as Vietnamese papers write dates.
func parseCellDate(s string) (*Date, error) {
	for _, layout := range []string{"2006-1-2", "2/1/2006", "2-1-2006", "2.1.2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return &Date{t}, nil
		}
	}
	return nil, fmt.Errorf("%q is not a date; write YYYY-MM-DD", s)
}

// cutWords splits s after its first n space-separated words.
func cutWords(s string, n int) (head, rest string, ok bool) {
	i := 0
	for w := 0; w < n; w++ {
		for i < len(s) && s[i] == ' ' {
			i++
		}
		if i == len(s) {
			return "", "", false
		}
		for i < len(s) && s[i] != ' ' {
			i++
		}
	}
	return s[:i], strings.TrimSpace(s[i:]), true
}

// classifyPart says which detail a part inside the parentheses gives, and its value.
func classifyPart(p string) (certDetail, string) {
	if dateLike.MatchString(p) {
		return detailExpires, p
	}
	for _, kw := range certKeywords {
		head, rest, ok := cutWords(p, kw.words)
		if ok && FoldKey(head) == kw.key && rest != "" {
			return kw.detail, rest
		}
	}
	return detailNone, ""
}

type parsedCert struct {
	cert  Certificate
	given map[certDetail]bool
}

var editionPattern = regexp.MustCompile(`^[0-9][0-9A-Za-z+./-]*$`)

// certificate reads one entry of the certifications cell.
func (imp *rowImporter) certificate(ir *importRow, entry string) (parsedCert, bool) {
	pc := parsedCert{given: map[certDetail]bool{}}
	base := entry
	var parts []string
	if open := matchingOpen(entry); open >= 0 {
		parts = splitTopLevel(entry[open+1:len(entry)-1], ',')
		if d, _ := classifyPart(strings.TrimSpace(parts[0])); d != detailNone {
			base = strings.TrimSpace(entry[:open])
		} else {
			if _, known := imp.resolveStandard(strings.TrimSpace(entry[:open])); known {
				imp.found.problem(ir.num, "certifications", entry, "%q in parentheses is not understood; write a date (the expiry), "+
					"\"issued YYYY-MM-DD\", \"no. NUMBER\", \"by ISSUER\", \"scope TEXT\" or \"verified YYYY-MM-DD\", separated by commas",
					strings.TrimSpace(parts[0]))
				return pc, false
			}
			parts = nil
		}
	}
	std, known := imp.resolveStandard(base)
	pc.cert.Standard, pc.cert.Edition = std.Code, std.CurrentEdition
	if !known && base != "" {
		imp.found.warn(ir.num, "certifications", entry, "%q is not a known standard; it was kept as written", pc.cert.Label())
	}

	ok := true
	var last certDetail
	values := map[certDetail]string{}
	for _, raw := range parts {
		p := strings.TrimSpace(raw)
		d, v := classifyPart(p)
		if d == detailNone || pc.given[d] {
			// Text after a comma belongs to the part before it when that part is text
			// ("by TÜV Rheinland Vietnam Co., Ltd.").
			if last == detailNumber || last == detailIssuer || last == detailScope {
				values[last] += "," + raw
				continue
			}
			imp.found.problem(ir.num, "certifications", entry, "%q in parentheses is not understood; write a date (the expiry), "+
				"\"issued YYYY-MM-DD\", \"no. NUMBER\", \"by ISSUER\", \"scope TEXT\" or \"verified YYYY-MM-DD\", separated by commas", p)
			ok = false
			continue
		}
		pc.given[d], values[d], last = true, v, d
	}
	for d, v := range values {
		v = strings.TrimSpace(v)
		switch d {
		case detailNumber:
			pc.cert.Number = v
		case detailIssuer:
			pc.cert.Issuer = v
		case detailScope:
			pc.cert.Scope = v
		case detailExpires, detailIssued, detailVerified:
			date, err := parseCellDate(v)
			if err != nil {
				imp.found.problem(ir.num, "certifications", entry, "%v", err)
				ok = false
				continue
			}
			switch d {
			case detailExpires:
				pc.cert.Expires = date
			case detailIssued:
				pc.cert.IssuedOn = date
			default:
				t := date.Time
				pc.cert.VerifiedAt = &t
			}
		}
	}
	return pc, ok
}

// resolveStandard reads "ISO 9001:2015" as a standard and edition. An unknown standard comes back
// as written (split from its edition) with known false.
func (imp *rowImporter) resolveStandard(text string) (Standard, bool) {
	name, edition := text, ""
	if i := strings.LastIndex(text, ":"); i > 0 && editionPattern.MatchString(strings.TrimSpace(text[i+1:])) {
		name, edition = strings.TrimSpace(text[:i]), strings.TrimSpace(text[i+1:])
	}
	if s, ok := imp.ref.ResolveStandard(name); ok {
		return Standard{Code: s.Code, CurrentEdition: edition}, true
	}
	if s, ok := imp.ref.ResolveStandard(text); ok && edition != "" {
		return Standard{Code: s.Code, CurrentEdition: edition}, true
	}
	return Standard{Code: name, CurrentEdition: edition}, false
}

// matchingOpen returns the index of the "(" that the ")" ending s closes, or -1.
func matchingOpen(s string) int {
	if !strings.HasSuffix(s, ")") {
		return -1
	}
	depth := 0
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// certificates reads the certifications cell. A stored certificate of the same standard (and
// edition, when both name one) keeps its number, issuer, issue date, scope, verification and
// evidence where the file does not give them; expiry and edition are what the file says.
func (imp *rowImporter) certificates(ir *importRow, v string, olds []Certificate) ([]Certificate, []string) {
	certs := []Certificate{}
	var texts []string
	used := make([]bool, len(olds))
	for _, entry := range splitTopLevel(v, ';') {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		pc, ok := imp.certificate(ir, entry)
		if !ok {
			continue
		}
		c := pc.cert
		for i, o := range olds {
			if used[i] || o.Standard != c.Standard || (o.Edition != c.Edition && o.Edition != "" && c.Edition != "") {
				continue
			}
			used[i] = true
			if !pc.given[detailNumber] {
				c.Number = o.Number
			}
			if !pc.given[detailIssuer] {
				c.Issuer = o.Issuer
			}
			if !pc.given[detailIssued] {
				c.IssuedOn = o.IssuedOn
			}
			if !pc.given[detailScope] {
				c.Scope = o.Scope
			}
			// A verification date in the file that matches the stored one keeps its time of day.
			if !pc.given[detailVerified] || (o.VerifiedAt != nil && o.VerifiedAt.UTC().Format(time.DateOnly) == c.VerifiedAt.Format(time.DateOnly)) {
				c.VerifiedAt = o.VerifiedAt
			}
			c.Evidence = o.Evidence
			break
		}
		certs = append(certs, c)
		texts = append(texts, entry)
	}
	return certs, texts
}
