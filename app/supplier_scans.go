package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/upload"
)

// maxScanBytes is the largest certificate or registration scan accepted.
const maxScanBytes = 10 << 20

// evidenceName is how stored evidence is named, relative to the data directory: a random name
// under evidence/, never anything the user sent.
var evidenceName = regexp.MustCompile(`^evidence/[0-9a-f]{32}\.(pdf|png|jpg)$`)

// storedUpload is a checked file kept in the data directory.
type storedUpload struct {
	Name        string // relative to the data directory: "evidence/<32 hex>.pdf"
	Original    string
	ContentType string
	Size        int64
}

// saveEvidence checks the uploaded file in field and keeps it under dataDir/evidence with a
// random name, readable by the portal only. A problem with the file is an *upload.Problem.
func (s *Server) saveEvidence(c echo.Context, field string) (*storedUpload, error) {
	fh, err := c.FormFile(field)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &upload.Problem{Key: upload.KeyTooLarge, Args: map[string]any{"Max": maxScanBytes}}
		}
		return nil, &upload.Problem{Key: upload.KeyEmpty}
	}
	r, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	kind, data, err := upload.Check(fh.Filename, r, maxScanBytes)
	if err != nil {
		return nil, err
	}
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	name := "evidence/" + hex.EncodeToString(b[:]) + kind.Ext()
	dir := filepath.Join(s.dataDir, "evidence")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	file, err := os.OpenFile(filepath.Join(s.dataDir, filepath.FromSlash(name)), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	if _, err := file.Write(data); err != nil {
		file.Close()
		return nil, err
	}
	if err := file.Close(); err != nil {
		return nil, err
	}
	return &storedUpload{Name: name, Original: safeFileName(fh.Filename, kind.Ext()), ContentType: kind.ContentType(),
		Size: int64(len(data))}, nil
}

func (s *Server) removeEvidence(name string) {
	if evidenceName.MatchString(name) {
		os.Remove(filepath.Join(s.dataDir, filepath.FromSlash(name)))
	}
}

// safeFileName keeps the letters, digits and a few marks of a name the browser sent (without
// any folder), so it can be shown and sent back in a header.
func safeFileName(name, ext string) string { return asciiFileName(name, ext, "scan"+ext) }

// asciiFileName is safeFileName with fallback for a name that keeps nothing, or not ext.
func asciiFileName(name, ext, fallback string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			b.WriteRune(r)
		case b.Len() > 0 && r == ' ':
			b.WriteByte('_')
		}
		if b.Len() >= 100 {
			break
		}
	}
	out := strings.Trim(b.String(), "._")
	if out == "" || !strings.HasSuffix(strings.ToLower(out), strings.TrimPrefix(ext, ".")) {
		out = fallback
	}
	return out
}

// uploadScan adds a scan to one of the firm's certificates.
func (s *Server) uploadScan(c echo.Context) error {
	firm, err := s.editFirm(c)
	if err != nil {
		return err
	}
	certID, ok := idParam(c, "cert")
	if !ok {
		return echo.ErrNotFound
	}
	if !containsCert(firm, certID) {
		// The certificate is another firm's: whatever the actor may do there, not through this
		// firm's page.
		return echo.ErrNotFound
	}
	field := "scan_" + strconv.FormatUint(uint64(certID), 10)
	up, err := s.saveEvidence(c, field)
	if err != nil {
		var p *upload.Problem
		if !errors.As(err, &p) {
			return err
		}
		f := s.newForm(c)
		var rows profileRows
		f.Values, rows = profileValues(s.store.Reference(), models.ProfileUpdateOf(firm))
		f.fail(field, s.views.messages.tr(f.Lang, p.Key, argsList(p.Args)...))
		return s.renderEdit(c, http.StatusUnprocessableEntity, firm, f, rows)
	}
	_, err = s.store.AddScan(c.Request().Context(), actorOf(c), certID, models.CertificateScan{StoredName: up.Name,
		OriginalName: up.Original, ContentType: up.ContentType, Size: up.Size})
	if err != nil {
		s.removeEvidence(up.Name)
		return forbidden(err)
	}
	return c.Redirect(http.StatusSeeOther, firmPath(c, firm.ID, "/edit")+"?done=scan_added#scans")
}

func containsCert(f *models.Firm, certID uint) bool {
	for _, c := range f.Certificates {
		if c.ID == certID {
			return true
		}
	}
	return false
}

// scanFile serves a scan to the firm's members and staff only, as a download the browser may
// neither sniff nor run.
func (s *Server) scanFile(c echo.Context) error {
	id, ok := idParam(c, "scan")
	if !ok {
		return echo.ErrNotFound
	}
	sc, err := s.store.Scan(c.Request().Context(), actorOf(c), id)
	if err != nil {
		return err
	}
	if !evidenceName.MatchString(sc.StoredName) {
		return echo.ErrNotFound
	}
	data, err := os.ReadFile(filepath.Join(s.dataDir, filepath.FromSlash(sc.StoredName)))
	if errors.Is(err, os.ErrNotExist) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	ct := sc.ContentType
	switch ct {
	case "application/pdf", "image/png", "image/jpeg":
	default:
		ct = "application/octet-stream"
	}
	h := c.Response().Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, safeFileName(sc.OriginalName, path.Ext(sc.StoredName))))
	h.Set("Cache-Control", "private, no-store")
	return c.Blob(http.StatusOK, ct, data)
}
