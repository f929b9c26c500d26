package main

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/search"
)

// What the API and the find-suppliers page share: matching a requirement, and writing its
// criteria and evidence in the page's language.

// matchRequirement resolves a requirement and ranks suppliers for it. A *models.ValidationError
// names every field at fault.
func (s *Server) matchRequirement(ctx context.Context, req models.Requirement, lang string, page, perPage int, nearMisses bool) (*search.MatchResult, models.Requirement, error) {
	if err := req.Resolve(s.store.Reference()); err != nil {
		return nil, req, err
	}
	res, err := s.index.Match(ctx, search.MatchQuery{Requirement: req, Lang: lang, Page: page, PerPage: perPage, NearMisses: nearMisses})
	return res, req, err
}

// criterionLabel names what a criterion asks for, in lang.
func (s *Server) criterionLabel(lang string, c models.Criterion) string {
	ref := s.store.Reference()
	tr := func(id string, args ...any) string { return s.views.messages.tr(lang, id, args...) }
	switch c.Kind {
	case models.CriterionSector, models.CriterionProduct, models.CriterionProcess, models.CriterionMaterial:
		if t, ok := ref.Term(c.Code); ok {
			return t.Label(lang)
		}
	case models.CriterionCert:
		if c.Verified {
			return tr("sourcing.cert_verified_label", "Standard", c.Code)
		}
		return c.Code
	case models.CriterionCorridor:
		if co, ok := ref.Corridor(c.Code); ok {
			return co.Label(lang)
		}
	case models.CriterionDistrict:
		if d, ok := ref.District(c.Code); ok {
			return d.Label(lang)
		}
	case models.CriterionZone:
		if z, ok := ref.Zone(c.Code); ok {
			return z.Label(lang)
		}
	case models.CriterionSize:
		return tr("size." + c.Code)
	case models.CriterionOwnership:
		return tr("ownership." + c.Code)
	case models.CriterionMarket:
		if co, ok := models.ResolveCountry(c.Code); ok {
			return co.Label(lang)
		}
	case models.CriterionSPCNCL:
		if c.Year != 0 {
			return tr("sourcing.spcncl_year", "Year", strconv.Itoa(c.Year))
		}
		return tr("sourcing.spcncl_any")
	case models.CriterionEquipment:
		if c.Equipment != nil {
			return c.Equipment.String()
		}
	case models.CriterionNear:
		if c.Near != nil {
			return tr("sourcing.near_label", "Km", strconv.FormatFloat(c.Near.Km, 'f', -1, 64),
				"Lat", strconv.FormatFloat(c.Near.Lat, 'f', -1, 64), "Lon", strconv.FormatFloat(c.Near.Lon, 'f', -1, 64))
		}
	}
	return c.Value
}

// evidenceText writes a criterion's evidence as one sentence in lang.
func (s *Server) evidenceText(lang string, evidence []search.Evidence) string {
	parts := make([]string, 0, len(evidence))
	for _, e := range evidence {
		args := make([]any, 0, 2*len(e.Args))
		for k, v := range e.Args {
			switch x := v.(type) {
			case search.MessageKey:
				v = s.views.messages.tr(lang, string(x))
			case *models.Date:
				v = ""
				if x != nil {
					v = formatDate(lang, x.Time)
				}
			case time.Time:
				v = formatDate(lang, x)
			}
			args = append(args, k, v)
		}
		parts = append(parts, s.views.messages.tr(lang, "evidence."+e.Key, args...))
	}
	return strings.Join(parts, "; ")
}

// evidenceKeys are the messages evidence is written with ("evidence." + key).
var evidenceKeys = []string{"term_listed", "term_via_product", "term_mentioned", "term_absent", "profile_silent",
	"cert_verified", "cert_verified_until", "cert_claimed", "cert_claimed_until", "cert_not_verified",
	"cert_expired", "cert_rejected", "cert_revoked", "cert_none", "site_in", "sites_elsewhere", "no_location",
	"site_km", "no_coordinates", "employees", "employees_unknown", "ownership_is", "ownership_unknown",
	"spcncl_title", "spcncl_none", "exports_to", "exports_elsewhere", "markets_unknown", "machine",
	"machine_below", "machine_unstated", "machine_none", "equipment_unknown",
	"where.own", "where.vi", "where.en", "where.name", "where.spcncl", "where.customers"}

// sourcingMessageIDs are the messages the sourcing code builds; newViews checks them.
func sourcingMessageIDs() []string {
	ids := []string{"sourcing.invalid_json", "sourcing.invalid_lang", "sourcing.cert_verified_label", "sourcing.spcncl_year", "sourcing.spcncl_any", "sourcing.near_label"}
	ids = append(ids, sourcingPageMessageIDs()...)
	for _, k := range evidenceKeys {
		ids = append(ids, "evidence."+k)
	}
	for _, k := range models.CriterionKinds {
		ids = append(ids, "sourcing.kind."+string(k), "sourcing.help."+string(k))
	}
	for _, st := range []search.Status{search.StatusMet, search.StatusPartly, search.StatusNotMet, search.StatusUnknown} {
		ids = append(ids, "sourcing.status."+string(st))
	}
	return ids
}
