package main

import (
	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
)

// staffMessageIDs are the message ids the staff pages build in code (not literal in a template
// or a tr call), so the start-up check and the locale tests know them.
func staffMessageIDs() []string {
	var ids []string
	for _, k := range store.ReviewKinds {
		ids = append(ids, "staff.kind."+k)
	}
	for _, m := range models.VerificationMethods {
		ids = append(ids, "staff.method."+m)
	}
	for _, m := range []models.ClaimMethod{models.ClaimByDomainEmail, models.ClaimByRegistration, models.ClaimByPhone} {
		ids = append(ids, "staff.claim_method."+string(m))
	}
	for _, st := range []models.CertificateStatus{models.CertClaimed, models.CertVerified, models.CertRejected, models.CertRevoked, models.CertExpired} {
		ids = append(ids, "staff.cert_state."+string(st))
	}
	return ids
}
