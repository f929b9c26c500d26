package exchange

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

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

	table := &sheetRows{max: opts.MaxRows, unit: "file"}
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
				col = headerName(table.header, i)
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
				found.problem(num, headerName(table.header, i), strings.ToValidUTF8(c, "\uFFFD"),
					"is not UTF-8 text (the file looks like Windows-1258 or Latin-1); save the file as CSV UTF-8 and import it again")
				return nil, nil
			}
			if len(c) > 1 && c[0] == '\'' {
				rec[i] = unguardFormula(c)
			}
		}
		if !table.add(num, rec, found) {
			return nil, nil
		}
	}
	if len(found.rep.Problems) > 0 {
		return nil, nil
	}
	if len(table.rows) == 0 {
		found.problem(0, "", "", "the file has no rows")
		return nil, nil
	}
	return table.rows, nil
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
