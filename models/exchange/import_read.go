package exchange

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

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
	table := &sheetRows{max: opts.MaxRows, unit: "sheet"}
	for num := 1; it.Next(); num++ {
		rec, err := it.Columns()
		if err != nil {
			found.problem(num, "", "", "the row cannot be read: %v", err)
			return nil, nil
		}
		for i, c := range rec {
			if !utf8.ValidString(c) {
				found.problem(num, headerName(table.header, i), strings.ToValidUTF8(c, "\uFFFD"), "is not valid UTF-8 text")
				return nil, nil
			}
		}
		if !table.add(num, rec, found) {
			return nil, nil
		}
	}
	if err := it.Error(); err != nil {
		found.problem(0, "", "", "the first sheet cannot be read: %v", err)
		return nil, nil
	}
	if len(table.rows) == 0 {
		found.problem(0, "", "", "the first sheet has no rows")
		return nil, nil
	}
	return table.rows, nil
}

// sheetRows gathers a table's non-blank rows, for CSV and XLSX alike. The first one is kept as
// the header so that a problem in a later cell can name its column before the header is mapped.
type sheetRows struct {
	rows   []sheetRow
	header []string
	max    int
	unit   string // "file" or "sheet", as the row limit's message calls the table
}

// add keeps a row unless it is blank. Past the row limit it logs a problem and returns false:
// the file is refused rather than imported cut short.
func (t *sheetRows) add(num int, cells []string, found *findings) bool {
	if blankRow(cells) {
		return true
	}
	if t.header == nil {
		t.header = cells
	}
	if len(t.rows) > t.max {
		found.problem(num, "", "", "the %s has more than %d rows; split it into smaller files", t.unit, t.max)
		return false
	}
	t.rows = append(t.rows, sheetRow{num: num, cells: cells})
	return true
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
