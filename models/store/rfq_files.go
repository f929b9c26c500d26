package store

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/hanoi-cnht/portal/models"
)

// Attachments of RFQs. The caller checks and stores each file under rfq-files/ before the row
// that names it is written, in the same transaction as the request or message it goes with; a
// file is read through a thread, by whoever may read that thread.

// threadFiles selects the files a thread shows: the RFQ's own (arguments: the RFQ's id) and
// those of the thread's messages (the thread's id).
const threadFiles = "rfq_id = ? AND (message_id IS NULL OR message_id IN (SELECT id FROM rfq_messages WHERE thread_id = ?))"

// addFiles records the files of a request (messageID nil) or of a message.
func addFiles(tx *gorm.DB, now time.Time, a models.Actor, rfqID uint, messageID *uint, files []models.RFQFile) error {
	for _, f := range files {
		f.ID, f.RFQID, f.MessageID, f.CreatedAt = 0, rfqID, messageID, now
		f.UploadedBy = nil
		if a.UserID != 0 && !a.System {
			uid := a.UserID
			f.UploadedBy = &uid
		}
		if err := tx.Create(&f).Error; err != nil {
			return err
		}
	}
	return nil
}

// filesChange is the audit log's line for attached files, none when there are none.
func filesChange(files []models.RFQFile) models.FieldChanges {
	if len(files) == 0 {
		return nil
	}
	names := make([]string, len(files))
	for i, f := range files {
		names[i] = f.String()
	}
	return models.FieldChanges{{Field: "attachments", New: strings.Join(names, "; ")}}
}

// RFQFile returns a file shown in a thread, if the actor may read the thread: the buyer who
// sent the RFQ, a supplier member of the firm, or staff once the thread is reported or
// forwarded. A file of another thread, or of a thread the actor may not read, is not found; the
// buyer's files are models.ErrForbidden to the firm while it has not accepted the NDA the RFQ
// asks for.
// Staff's readings are audited, as they read what was meant for the parties.
func (s *Store) RFQFile(ctx context.Context, a models.Actor, threadID, fileID uint) (*models.RFQFile, error) {
	now := s.now().UTC()
	var out *models.RFQFile
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var ths []models.RFQThread
		if err := tx.Where("id = ?", threadID).Limit(1).Find(&ths).Error; err != nil {
			return err
		}
		if len(ths) == 0 {
			return models.ErrNotFound
		}
		side, err := threadSide(tx, a, &ths[0])
		if err != nil {
			return err
		}
		var files []models.RFQFile
		if err := tx.Where("id = ?", fileID).Where(threadFiles, ths[0].RFQID, threadID).Limit(1).Find(&files).Error; err != nil {
			return err
		}
		if len(files) == 0 {
			return models.ErrNotFound
		}
		out = &files[0]
		if side == models.SideSupplier {
			withheld, err := ndaWithholds(tx, &ths[0], out)
			if err != nil {
				return err
			}
			if withheld {
				return models.ErrForbidden
			}
		}
		if side != models.SideStaff {
			return nil
		}
		return writeAudit(tx, now, a, models.AuditEvent{Action: "rfq.file_read", EntityType: "rfq_thread",
			EntityID: idText(threadID), Changes: models.FieldChanges{{Field: "attachment", New: out.String()}}})
	})
	return out, err
}
