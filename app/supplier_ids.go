package main

import "github.com/hanoi-cnht/portal/models"

// supplierMessageIDs are the message ids the supplier pages build in code (not literal in a
// template or a tr call), so the start-up check and the locale tests know them.
func supplierMessageIDs() []string {
	var ids []string
	for _, st := range []models.CertificateStatus{models.CertClaimed, models.CertVerified, models.CertRejected,
		models.CertRevoked, models.CertExpired} {
		ids = append(ids, "edit.cert_state."+string(st))
	}
	for _, r := range []models.MemberRole{models.MemberOwner, models.MemberEditor} {
		ids = append(ids, "members.role."+string(r))
	}
	for _, a := range historyActions {
		ids = append(ids, "history.action."+a)
	}
	for _, m := range claimMethods {
		ids = append(ids, "claim.method."+string(m))
	}
	for _, st := range []models.ClaimStatus{models.ClaimPending, models.ClaimEmailConfirmed, models.ClaimApproved, models.ClaimRejected} {
		ids = append(ids, "claim.status."+string(st))
	}
	return ids
}
