package main

import (
	"strings"

	"github.com/hanoi-cnht/portal/models"
)

// mailKeys are the mails the store queues; each has KEY.subject and KEY.body in both languages.
var mailKeys = []string{"mail.verify_email", "mail.reset_password", "mail.invite", "mail.change_email",
	"mail.claim_confirm", "mail.claim_approved", "mail.claim_rejected", "mail.certificate_verify",
	"mail.certificate_reject", "mail.certificate_revoke", "mail.certificate_expiring", "mail.profile_reviewed", "mail.profile_stale"}

// mailText words the store's mails from the locales, in the recipient's language; a link the
// store gives as a path is made absolute with origin, the portal's public address.
func (s *Server) mailText(origin string) func(lang, key string, args map[string]any) (string, string) {
	origin = strings.TrimSuffix(origin, "/")
	return func(lang, key string, args map[string]any) (string, string) {
		if link, ok := args["Link"].(string); ok && strings.HasPrefix(link, "/") {
			args["Link"] = origin + link
		}
		if files, ok := args["Files"].([]models.RFQFile); ok {
			delete(args, "Files")
			args["Attachments"] = s.attachmentLines(lang, files)
		}
		if _, ok := args["FirmID"]; ok {
			args["AccountLink"] = origin + localPath(lang, "/account")
		}
		list := argsList(args)
		return s.views.messages.tr(lang, key+".subject", list...), s.views.messages.tr(lang, key+".body", list...)
	}
}

// attachmentLines lists attached files for a mail, a line each with its size; "" for none.
func (s *Server) attachmentLines(lang string, files []models.RFQFile) string {
	var b strings.Builder
	for _, f := range files {
		b.WriteString("\n- " + f.OriginalName + " (" + s.fileSize(lang, f.Size) + ")")
	}
	return b.String()
}
