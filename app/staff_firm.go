package main

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
)

// firmCertView is one of a firm's certificates as staff see it, with its decision form's key.
type firmCertView struct {
	Key         string
	Cert        models.Certificate
	Status      string
	StatusText  string
	MethodLabel string
	Scans       []models.CertificateScan
}

type staffFirmData struct {
	staffPage
	Firm    *models.Firm
	Certs   []firmCertView
	Methods []kindOption
	Target  string
}

// staffFirm shows a firm's certificates with their decisions and scans, each with the form
// that verifies, rejects or revokes it: a verified certificate is revoked from here.
func (s *Server) staffFirm(c echo.Context) error {
	id, ok := firmParam(c)
	if !ok {
		return echo.ErrNotFound
	}
	return s.renderStaffFirm(c, http.StatusOK, id, s.newForm(c), "")
}

// renderStaffFirm shows firm id's page; target names the certificate whose form f belongs to.
func (s *Server) renderStaffFirm(c echo.Context, status int, id uint, f *form, target string) error {
	ctx := c.Request().Context()
	firm, err := s.store.FirmByID(ctx, id)
	if err != nil {
		return err
	}
	scans, err := s.store.Scans(ctx, actorOf(c), id)
	if err != nil {
		return err
	}
	d := &staffFirmData{staffPage: s.staffPageOf(c, f), Firm: firm, Target: target}
	for _, m := range models.VerificationMethods {
		d.Methods = append(d.Methods, kindOption{Value: m, Label: s.tr(c, "staff.method."+m)})
	}
	now := s.now()
	for _, cert := range firm.Certificates {
		st := cert.Status(now)
		v := firmCertView{Key: fmt.Sprintf("cert-%d", cert.ID), Cert: cert, Status: string(st),
			StatusText: s.tr(c, "staff.cert_state."+string(st))}
		if cert.VerificationMethod != "" {
			v.MethodLabel = s.tr(c, "staff.method."+cert.VerificationMethod)
		}
		for _, sc := range scans {
			if sc.CertificateID == cert.ID {
				v.Scans = append(v.Scans, sc)
			}
		}
		d.Certs = append(d.Certs, v)
	}
	return s.staffRender(c, status, "staff_firm", "staff_firm.title", d)
}

// certificateBack is where a certificate decision returns to: the firm's staff page when the
// form came from there, else the queue.
func certificateBack(c echo.Context) (path string, firm uint) {
	if n, err := strconv.ParseUint(c.QueryParam("firm"), 10, 32); err == nil && n > 0 {
		return fmt.Sprintf("/staff/firms/%d", n), uint(n)
	}
	return queueBack(c), 0
}
