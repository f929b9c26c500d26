package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"github.com/hanoi-cnht/portal/models"
)

// tinyPDF is the smallest file upload.Check accepts as a PDF.
const tinyPDF = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" +
	"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

func init() {
	authzTables["supplier"] = map[string]authzCase{
		"GET /account/firms/:firm/edit": {Path: "/account/firms/{firmA}/edit", Want: "ldadaa"},
		// A form the store refuses (no name): the matrix checks who gets through, not a save.
		"POST /account/firms/:firm/edit":                     {Path: "/account/firms/{firmA}/edit", Form: url.Values{"name_vi": {""}}, Want: "ldadaa"},
		"POST /account/firms/:firm/certificates/:cert/scans": {Path: "/account/firms/{firmA}/certificates/{certA}/scans", Want: "ldadaa"},
		"GET /account/scans/:scan":                           {Path: "/account/scans/{scanA}", Want: "lnanaa"},
		"GET /account/firms/:firm/members":                   {Path: "/account/firms/{firmA}/members", Want: "ldadaa"},
		"POST /account/firms/:firm/members":                  {Path: "/account/firms/{firmA}/members", Form: url.Values{"email": {"nobody@example.com"}}, Want: "ldadaa"},
		// The buyer is no member of firm A: those past the guard find no membership to end.
		"POST /account/firms/:firm/members/:user/remove": {Path: "/account/firms/{firmA}/members/{user0}/remove", Want: "ldndnn"},
		"GET /account/firms/:firm/history":               {Path: "/account/firms/{firmA}/history", Want: "ldadaa"},
		"GET /account/claims/new":                        {Path: "/account/claims/new?firm={slugA}", Want: "ldaaaa"},
		// Staff pass the route's guard but may not claim firms: the store refuses them.
		"POST /account/claims":         {Form: url.Values{"firm": {"co-khi-an-phu"}, "method": {"none"}}, Want: "ldaadd"},
		"GET /account/claims/confirm":  {Path: "/account/claims/confirm?token=bad", Want: "nnnnnn"},
		"POST /account/claims/confirm": {Form: url.Values{"token": {"bad"}}, Want: "nnnnnn"},
		"GET /account/propose":         {Want: "ldaaaa"},
		"POST /account/propose":        {Form: url.Values{"tax_code": {"bad"}}, Want: "ldaadd"},
	}
	authzSetups = append(authzSetups, func(ctx context.Context, fx *authzFixture) error {
		scan, err := storeTestScan(ctx, fx, fx.ids["{certA}"])
		if err != nil {
			return err
		}
		fx.ids["{scanA}"] = fmt.Sprint(scan.ID)
		return nil
	})
}

// storeTestScan keeps a PDF as a scan of the certificate, as an upload would.
func storeTestScan(ctx context.Context, fx *authzFixture, certID string) (*models.CertificateScan, error) {
	dir := filepath.Join(fx.srv.dataDir, "evidence")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	name := fmt.Sprintf("evidence/%032x.pdf", len(certID)*7919+int(certID[0]))
	if err := os.WriteFile(filepath.Join(fx.srv.dataDir, name), []byte(tinyPDF), 0o600); err != nil {
		return nil, err
	}
	var id uint
	fmt.Sscan(certID, &id)
	return fx.store.AddScan(ctx, models.SystemActor("test"), id, models.CertificateScan{StoredName: name,
		OriginalName: "iso.pdf", ContentType: "application/pdf", Size: int64(len(tinyPDF))})
}
