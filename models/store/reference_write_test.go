package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hanoi-cnht/portal/models"
)

func TestUpdateTerm(t *testing.T) {
	ctx := context.Background()
	x := newTwoFirms(t)
	code := x.s.Reference().TermsOfKind(models.KindSector)[0].Code
	term, _ := x.s.Reference().Term(code)
	update := models.TermUpdate{LabelVI: term.LabelVI, LabelEN: "Moulds and dies", SynonymsVI: []string{" khuôn ép ", "Khuôn ép", ""},
		SynonymsEN: term.SynonymsEN}

	t.Run("ErrForbiddenSupplier", func(t *testing.T) {
		if _, err := x.s.UpdateTerm(ctx, x.ownerA, code, update); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := x.s.UpdateTerm(ctx, x.staffer, "no-such-term", update); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrLabelRequired", func(t *testing.T) {
		bad := update
		bad.LabelVI = "  "
		_, err := x.s.UpdateTerm(ctx, x.staffer, code, bad)
		var ve *models.ValidationError
		if !errors.As(err, &ve) || !ve.Has("label_vi") || ve.Fields[0].Key != "validation.required" {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("AuditedAndReloaded", func(t *testing.T) {
		changes, err := x.s.UpdateTerm(ctx, x.staffer, code, update)
		if err != nil {
			t.Fatal(err)
		}
		if len(changes) != 2 || changes[0].Field != "label_en" || changes[1].Field != "synonyms_vi" || changes[1].New != "khuôn ép" {
			t.Fatalf("changes: %+v", changes)
		}
		if got, _ := x.s.Reference().Term(code); got.LabelEN != "Moulds and dies" {
			t.Errorf("the reference in force has %q", got.LabelEN)
		}
		if found, ok := x.s.Reference().ResolveTerm(models.KindSector, "khuon ep"); !ok || found.Code != code {
			t.Error("the new synonym does not resolve")
		}
		events, _ := x.s.AuditEvents(ctx, x.staffer, AuditFilter{EntityType: "term", EntityID: code})
		if len(events) != 1 || len(events[0].Changes) != 2 || *events[0].ActorID != x.staffer.UserID {
			t.Fatalf("audit: %+v", events)
		}
		again, err := x.s.UpdateTerm(ctx, x.staffer, code, update)
		if err != nil || len(again) != 0 {
			t.Fatalf("an unchanged update wrote %v, %v", again, err)
		}
	})
}

func TestUpdateZoneAndCorridor(t *testing.T) {
	ctx := context.Background()
	x := newTwoFirms(t)
	ref := x.s.Reference()
	zone, corridor := ref.Zones[0], ref.Corridors[0]

	t.Run("ErrUnknownDistrict", func(t *testing.T) {
		_, err := x.s.UpdateZone(ctx, x.staffer, zone.Code, models.ZoneUpdate{NameVI: zone.NameVI, Districts: []string{"999"}})
		var ve *models.ValidationError
		if !errors.As(err, &ve) || !ve.Has("districts") || ve.Fields[0].Key != "validation.unknown_district" {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrControlCharacter", func(t *testing.T) {
		_, err := x.s.UpdateZone(ctx, x.staffer, zone.Code, models.ZoneUpdate{NameVI: zone.NameVI, Note: "a\x1bb"})
		var ve *models.ValidationError
		if !errors.As(err, &ve) || !ve.Has("note") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ZoneAudited", func(t *testing.T) {
		changes, err := x.s.UpdateZone(ctx, x.staffer, zone.Code, models.ZoneUpdate{NameVI: zone.NameVI, NameEN: zone.NameEN,
			Districts: []string{"017", "018"}, Status: "operating", Note: zone.Note})
		if err != nil {
			t.Fatal(err)
		}
		fields := []string{}
		for _, c := range changes {
			fields = append(fields, c.Field)
		}
		if strings.Join(fields, ",") != "districts,status" {
			t.Errorf("changed fields %v", fields)
		}
		if z, _ := x.s.Reference().Zone(zone.Code); z.Status != "operating" || len(z.Districts) != 2 {
			t.Errorf("zone in force: %+v", z)
		}
	})
	t.Run("CorridorDistricts", func(t *testing.T) {
		_, err := x.s.UpdateCorridor(ctx, x.staffer, corridor.Code, models.CorridorUpdate{LabelVI: corridor.LabelVI, LabelEN: corridor.LabelEN,
			Roads: corridor.Roads, Description: corridor.DescriptionEN, Districts: []string{"017"}})
		if err != nil {
			t.Fatal(err)
		}
		var on []string
		for _, d := range x.s.Reference().Districts {
			for _, c := range d.Corridors {
				if c == corridor.Code {
					on = append(on, d.Code)
				}
			}
		}
		if strings.Join(on, ",") != "017" {
			t.Errorf("the corridor runs through %v", on)
		}
		events, _ := x.s.AuditEvents(ctx, x.staffer, AuditFilter{EntityType: "corridor", EntityID: corridor.Code})
		if len(events) != 1 {
			t.Errorf("audit: %+v", events)
		}
	})
}
