package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/upload"
)

// Files attached to RFQs: the buyer's drawings and specifications on the request, and files on
// a message or quotation. Each is checked by its content like a certificate scan, kept under
// rfq-files/ in the data directory with a random name, and served only through a thread its
// reader may open, as a download.

// checkedFile is an attachment read and checked, not yet stored.
type checkedFile struct {
	kind upload.Kind
	data []byte
	name string // as shown: models.CleanFileName of what the browser sent
}

// fileLink is an attachment as a page lists it.
type fileLink struct {
	Name, URL, Size string
}

// readAttachments reads and checks the files sent in field. Problems are written on the form
// under field, naming each file in the page's language, and readAttachments reports false; an
// error is the server's.
func (s *Server) readAttachments(c echo.Context, f *form, field string) ([]checkedFile, bool, error) {
	if !isUpload(c) {
		return nil, true, nil
	}
	lang := f.Lang
	mf, err := c.MultipartForm()
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			f.fail(field, s.views.messages.tr(lang, "rfq.files_too_large", "Size", s.fileSize(lang, tooBig.Limit),
				"Max", s.fileSize(lang, models.MaxRFQFilesSize)))
			return nil, false, nil
		}
		return nil, false, err
	}
	var headers []*multipart.FileHeader
	var total int64
	for _, fh := range mf.File[field] {
		// A file input left empty still sends a part without a name.
		if fh.Filename == "" && fh.Size == 0 {
			continue
		}
		headers = append(headers, fh)
		total += fh.Size
	}
	switch {
	case len(headers) > models.MaxRFQFiles:
		f.fail(field, s.views.messages.tr(lang, "rfq.files_too_many", "Count", len(headers), "Max", models.MaxRFQFiles))
		return nil, false, nil
	case total > models.MaxRFQFilesSize:
		f.fail(field, s.views.messages.tr(lang, "rfq.files_too_large", "Size", s.fileSize(lang, total),
			"Max", s.fileSize(lang, models.MaxRFQFilesSize)))
		return nil, false, nil
	}
	var out []checkedFile
	var problems []string
	for _, fh := range headers {
		name := models.CleanFileName(fh.Filename, "?")
		kind, data, err := checkAttachment(fh)
		var p *upload.Problem
		switch {
		case errors.As(err, &p):
			args := p.Args
			if p.Key == upload.KeyTooLarge {
				args = map[string]any{"Max": formatNumber(lang, models.MaxRFQFileBytes)}
			}
			problems = append(problems, s.views.messages.tr(lang, "rfq.file_problem", "File", name,
				"Problem", s.views.messages.tr(lang, p.Key, argsList(args)...)))
		case err != nil:
			return nil, false, err
		default:
			out = append(out, checkedFile{kind: kind, data: data, name: name})
		}
	}
	if len(problems) > 0 {
		f.fail(field, strings.Join(problems, " "))
		return nil, false, nil
	}
	return out, true, nil
}

func checkAttachment(fh *multipart.FileHeader) (upload.Kind, []byte, error) {
	r, err := fh.Open()
	if err != nil {
		return 0, nil, err
	}
	defer r.Close()
	return upload.CheckAttachment(fh.Filename, r, models.MaxRFQFileBytes)
}

// keepAttachments stores checked files under rfq-files/ with random names, readable by the
// portal only, and returns the rows that name them. On an error nothing stays stored.
func (s *Server) keepAttachments(files []checkedFile) ([]models.RFQFile, error) {
	if len(files) == 0 {
		return nil, nil
	}
	if err := os.MkdirAll(filepath.Join(s.dataDir, models.RFQFileDir), 0o700); err != nil {
		return nil, err
	}
	var out []models.RFQFile
	for _, cf := range files {
		var b [16]byte
		if _, err := rand.Read(b[:]); err != nil {
			s.removeAttachments(out)
			return nil, err
		}
		stored := models.RFQFileDir + "/" + hex.EncodeToString(b[:]) + cf.kind.Ext()
		if err := writeNew(filepath.Join(s.dataDir, filepath.FromSlash(stored)), cf.data); err != nil {
			s.removeAttachments(out)
			return nil, err
		}
		out = append(out, models.RFQFile{StoredName: stored, OriginalName: cf.name, ContentType: cf.kind.ContentType(),
			Size: int64(len(cf.data))})
	}
	return out, nil
}

// writeNew writes data to a file that must not exist yet.
func writeNew(name string, data []byte) error {
	file, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := file.Write(data); err != nil {
		file.Close()
		os.Remove(name)
		return err
	}
	return file.Close()
}

// removeAttachments deletes stored files whose request or message was not saved.
func (s *Server) removeAttachments(files []models.RFQFile) {
	for _, f := range files {
		if models.ValidRFQStoredName(f.StoredName) {
			os.Remove(filepath.Join(s.dataDir, filepath.FromSlash(f.StoredName)))
		}
	}
}

// fileSize writes a size in whole kilobytes, as the scans' list does.
func (s *Server) fileSize(lang string, size int64) string {
	return s.views.messages.tr(lang, "rfq.file_size", "KB", formatNumber(lang, int((size+1023)/1024)))
}

// fileLinks lists files for a page, each read through the thread.
func (s *Server) fileLinks(lang string, threadID uint, files []models.RFQFile) []fileLink {
	var out []fileLink
	for _, f := range files {
		out = append(out, fileLink{Name: f.OriginalName, Size: s.fileSize(lang, f.Size),
			URL: localPath(lang, fmt.Sprintf("/account/threads/%d/files/%d", threadID, f.ID))})
	}
	return out
}

// filesHint says what may be attached, in the page's language.
func (s *Server) filesHint(lang string) string {
	return s.views.messages.tr(lang, "rfq.files_hint", "Max", models.MaxRFQFiles, "Size", s.fileSize(lang, models.MaxRFQFileBytes))
}

// attachmentTypes are the media types attachments are served with; anything else goes out as
// bytes to save.
var attachmentTypes = []string{upload.PDF.ContentType(), upload.PNG.ContentType(), upload.JPEG.ContentType(),
	upload.STEP.ContentType(), upload.DXF.ContentType(), upload.DWG.ContentType()}

// rfqFile serves an attachment to those who may read the thread, as a download the browser may
// neither sniff nor run; anyone else finds nothing.
func (s *Server) rfqFile(c echo.Context) error {
	threadID, ok := idParam(c, "thread")
	if !ok {
		return echo.ErrNotFound
	}
	fileID, ok := idParam(c, "file")
	if !ok {
		return echo.ErrNotFound
	}
	f, err := s.store.RFQFile(c.Request().Context(), actorOf(c), threadID, fileID)
	if err != nil {
		return err
	}
	if !models.ValidRFQStoredName(f.StoredName) {
		return echo.ErrNotFound
	}
	data, err := os.ReadFile(filepath.Join(s.dataDir, filepath.FromSlash(f.StoredName)))
	if errors.Is(err, os.ErrNotExist) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	ct := "application/octet-stream"
	for _, t := range attachmentTypes {
		if f.ContentType == t {
			ct = t
		}
	}
	h := c.Response().Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Content-Disposition", attachmentDisposition(f.OriginalName, path.Ext(f.StoredName)))
	h.Set("Cache-Control", "private, no-store")
	return c.Blob(http.StatusOK, ct, data)
}

// attachmentDisposition makes a file a download under its name: plain ASCII for every browser,
// and the name as sent, in UTF-8 (RFC 6266, RFC 8187), for those that read it.
func attachmentDisposition(name, storedExt string) string {
	plain := asciiFileName(name, strings.ToLower(path.Ext(name)), "attachment"+storedExt)
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, plain, encodeRFC8187(name))
}

// encodeRFC8187 percent-encodes every byte of s but the attr-chars of RFC 8187.
func encodeRFC8187(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.IndexByte("!#$&+-.^_`|~", c) >= 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
