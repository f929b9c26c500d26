package models

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
)

// Files attached to requests for quotation: the buyer's drawings and specifications on the
// request, shared by every thread of the RFQ, and files on a message or quotation of one thread.
// The portal keeps them under the data directory with random names; only the thread's parties
// read them.

// Limits of attachments: per file as for a certificate scan, and together what one upload
// request may carry.
const (
	MaxRFQFiles     = 5
	MaxRFQFileBytes = 10 << 20
	MaxRFQFilesSize = 20 << 20
	MaxRFQFileName  = 200
)

// RFQFileDir is the folder under the data directory that holds the attachments.
const RFQFileDir = "rfq-files"

// rfqStoredName is how a stored attachment is named, relative to the data directory: never
// anything the user sent.
var rfqStoredName = regexp.MustCompile(`^` + RFQFileDir + `/[0-9a-f]{32}\.(pdf|png|jpg|step|dxf|dwg)$`)

// ValidRFQStoredName reports whether name is one the portal gives an attachment, so that a
// stored row can never point outside rfq-files/.
func ValidRFQStoredName(name string) bool { return rfqStoredName.MatchString(name) }

// RFQFile is a file attached to an RFQ (MessageID nil: the request's own) or to one message of a
// thread.
type RFQFile struct {
	ID           uint `gorm:"primaryKey"`
	RFQID        uint `gorm:"column:rfq_id"`
	MessageID    *uint
	StoredName   string
	OriginalName string
	ContentType  string
	Size         int64
	UploadedBy   *uint
	CreatedAt    time.Time
}

// TableName is the attachments' table.
func (RFQFile) TableName() string { return "rfq_files" }

// String names the file for the audit log: its name and size.
func (f RFQFile) String() string { return fmt.Sprintf("%s (%d bytes)", f.OriginalName, f.Size) }

// CleanFileName is the name a browser sent for a file, as the portal shows it: without any
// folder (browsers of old sent C:\…), control characters or surrounding spaces, at most
// MaxRFQFileName characters; fallback when nothing is left. Pages escape it like any text.
func CleanFileName(name, fallback string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return -1
		}
		return r
	}, name))
	if r := []rune(name); len(r) > MaxRFQFileName {
		name = string(r[len(r)-MaxRFQFileName:])
	}
	if name == "" || name == "." || name == ".." {
		return fallback
	}
	return name
}

// checkFiles checks the attachments of a request or message, already stored by the caller.
func checkFiles(p *problems, field string, files []RFQFile) {
	if len(files) > MaxRFQFiles {
		p.add(field, "validation.too_many", Args{"Count": len(files), "Max": MaxRFQFiles})
	}
	for _, f := range files {
		if !ValidRFQStoredName(f.StoredName) {
			p.add(field, "validation.stored_file", Args{"Value": quoted(f.StoredName)})
		}
	}
}
