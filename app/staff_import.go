package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/exchange"
	"github.com/hanoi-cnht/portal/models/upload"
)

// importLimit is the largest import file the browser may send.
const importLimit = 20 << 20

// storedImport names an uploaded file kept between the preview and the apply: 32 random hex
// digits and the extension, so the form cannot name any other file.
var storedImport = regexp.MustCompile(`^[0-9a-f]{32}\.(csv|xlsx)$`)

// problemView is one finding about an import file in the page's language.
type problemView struct {
	Row    int
	Column string
	Value  string
	Text   string
}

// findingsView is a table of findings: its id on the page and its rows.
type findingsView struct {
	Lang, ID string
	List     []problemView
}

// mappingView is an entry of a taxonomy column and what it was read as, in the page's language.
type mappingView struct {
	Row      int
	Column   string
	Value    string
	MappedTo string
	Free     string
}

type firmDiff struct {
	TaxCode string
	Changes []models.FieldChange
}

type staffImportData struct {
	staffPage
	// Stage is "form", "preview" or "result".
	Stage        string
	FileName     string
	Stored       string
	Report       *exchange.ImportReport
	Diffs        []firmDiff
	ProblemTable findingsView
	WarningTable findingsView
	Mappings     []mappingView
	Applied      bool
	AuditURL     string
}

func (s *Server) importRender(c echo.Context, status int, d *staffImportData) error {
	return s.staffRender(c, status, "staff_import", "staff_import.title", d)
}

func (s *Server) staffImportPage(c echo.Context) error {
	return s.importRender(c, http.StatusOK, &staffImportData{staffPage: s.staffPageOf(c, nil), Stage: "form"})
}

// staffImportPreview checks the uploaded file, keeps it under imports/ and shows what importing
// it would do: every problem by row and column, the warnings, and the firms it would create and
// change, field by field. Nothing is written to the database.
func (s *Server) staffImportPreview(c echo.Context) error {
	f := s.newForm(c)
	d := &staffImportData{staffPage: s.staffPageOf(c, f), Stage: "form"}
	fh, err := c.FormFile("file")
	if err != nil {
		f.fail("file", s.tr(c, "staff.import.no_file"))
		return s.importRender(c, http.StatusUnprocessableEntity, d)
	}
	src, err := fh.Open()
	if err != nil {
		return err
	}
	defer src.Close()
	data, err := upload.CheckSpreadsheet(fh.Filename, src, importLimit)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			err = &upload.Problem{Key: upload.KeyTooLarge, Args: map[string]any{"Max": importLimit}}
		}
		if s.setErrors(f, err) {
			return s.importRender(c, http.StatusUnprocessableEntity, d)
		}
		return err
	}
	ext := strings.ToLower(filepath.Ext(fh.Filename))
	stored, err := s.keepImport(data, ext)
	if err != nil {
		return err
	}
	rep, err := exchange.Import(c.Request().Context(), s.store, bytes.NewReader(data), "upload"+ext,
		exchange.ImportOptions{DryRun: true, Actor: actorOf(c), MaxBytes: importLimit, Concepts: s.cellConcepts()})
	d.Stage, d.FileName = "preview", fh.Filename
	s.fillReport(c, d, rep)
	if err != nil || len(rep.Problems) > 0 {
		// A file with problems cannot be applied; it is not kept.
		s.dropImport(stored)
		if rep == nil || len(rep.Problems) == 0 {
			return err
		}
		return s.importRender(c, http.StatusUnprocessableEntity, d)
	}
	d.Stored = stored
	return s.importRender(c, http.StatusOK, d)
}

// staffImportApply imports the file the preview kept, all or nothing, every firm written audited
// under one correlation id; the file is deleted afterwards.
func (s *Server) staffImportApply(c echo.Context) error {
	f := s.newForm(c)
	d := &staffImportData{staffPage: s.staffPageOf(c, f), Stage: "form"}
	stored := c.FormValue("stored")
	if !storedImport.MatchString(stored) {
		f.fail("file", s.tr(c, "staff.import.expired"))
		return s.importRender(c, http.StatusUnprocessableEntity, d)
	}
	path := filepath.Join(s.importDir(), stored)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		f.fail("file", s.tr(c, "staff.import.expired"))
		return s.importRender(c, http.StatusUnprocessableEntity, d)
	}
	if err != nil {
		return err
	}
	defer s.dropImport(stored)
	correlation := newImportID()
	rep, err := exchange.Import(c.Request().Context(), s.store, bytes.NewReader(data), stored,
		exchange.ImportOptions{Actor: actorOf(c), CorrelationID: correlation, MaxBytes: importLimit, Concepts: s.cellConcepts()})
	d.Stage = "result"
	s.fillReport(c, d, rep)
	if err != nil {
		if rep == nil || len(rep.Problems) == 0 {
			return err
		}
		return s.importRender(c, http.StatusUnprocessableEntity, d)
	}
	d.Applied = true
	d.AuditURL = localPath(pageLang(c), "/staff/audit") + "?correlation=" + correlation
	return s.importRender(c, http.StatusOK, d)
}

func (s *Server) fillReport(c echo.Context, d *staffImportData, rep *exchange.ImportReport) {
	if rep == nil {
		return
	}
	d.Report = rep
	lang := pageLang(c)
	view := func(list []exchange.RowProblem) []problemView {
		out := make([]problemView, len(list))
		for i, p := range list {
			out[i] = problemView{Row: p.Row, Column: p.Column, Value: p.Value, Text: findingText(s.views.messages, lang, p)}
		}
		return out
	}
	d.ProblemTable = findingsView{Lang: lang, ID: "problems", List: view(rep.Problems)}
	d.WarningTable = findingsView{Lang: lang, ID: "warnings", List: view(rep.Warnings)}
	for _, m := range rep.Mappings {
		d.Mappings = append(d.Mappings, mappingView{Row: m.Row, Column: m.Column, Value: m.Value,
			MappedTo: mappingText(s.views.messages, lang, m), Free: freeText(m.Free)})
	}
	for tax, ch := range rep.Diffs {
		d.Diffs = append(d.Diffs, firmDiff{TaxCode: tax, Changes: ch})
	}
	sort.Slice(d.Diffs, func(i, j int) bool { return d.Diffs[i].TaxCode < d.Diffs[j].TaxCode })
}

// cellConcepts reads the taxonomy cells of imports and exports with the index's concept matcher.
func (s *Server) cellConcepts() exchange.ConceptFinder {
	if s.index == nil {
		return nil
	}
	return indexConcepts(s.index)
}

func (s *Server) importDir() string { return filepath.Join(s.dataDir, "imports") }

// importKeep is how long a previewed file waits to be applied before a later upload removes it.
const importKeep = 24 * time.Hour

// keepImport stores an uploaded file under a random name until it is applied. Files previewed
// but never applied are removed a day later, when another file is uploaded.
func (s *Server) keepImport(data []byte, ext string) (string, error) {
	if err := os.MkdirAll(s.importDir(), 0o700); err != nil {
		return "", err
	}
	if entries, err := os.ReadDir(s.importDir()); err == nil {
		for _, e := range entries {
			if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > importKeep {
				s.dropImport(e.Name())
			}
		}
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	name := hex.EncodeToString(b) + ext
	if err := os.WriteFile(filepath.Join(s.importDir(), name), data, 0o600); err != nil {
		return "", err
	}
	return name, nil
}

func (s *Server) dropImport(name string) {
	if storedImport.MatchString(name) {
		os.Remove(filepath.Join(s.importDir(), name))
	}
}

// newImportID names one import from the browser in the audit log.
func newImportID() string {
	b := make([]byte, 4)
	rand.Read(b)
	return "import-" + time.Now().UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b)
}

// staffExport downloads every firm as CSV or XLSX, in the import's columns.
func (s *Server) staffExport(c echo.Context) error {
	format := c.QueryParam("format")
	var ctype string
	switch format {
	case "csv":
		ctype = "text/csv; charset=utf-8"
	case "xlsx":
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	default:
		return echo.NewHTTPError(http.StatusBadRequest, "format must be csv or xlsx")
	}
	var buf bytes.Buffer
	if err := exchange.Export(c.Request().Context(), s.store, &buf, format, exchange.WithConcepts(s.cellConcepts())); err != nil {
		return err
	}
	name := fmt.Sprintf("firms-%s.%s", time.Now().In(models.Hanoi).Format("20060102"), format)
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Blob(http.StatusOK, ctype, buf.Bytes())
}
