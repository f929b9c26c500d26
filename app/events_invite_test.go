package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/event"
)

// TestSupplierRegistersFromProfile: a member of a firm sees, on the firm's profile and on its
// account page, a link to register the firm for the open event; following it and sending the
// form as it comes registers the firm (two clicks); then the profile says how it stands. A
// buyer sees no such link.
func TestSupplierRegistersFromProfile(t *testing.T) {
	fx := newAuthzFixture(t)
	ctx := context.Background()
	staff, _ := fx.store.ActorFor(ctx, fx.users["staff"], "")
	ev, err := fx.store.CreateEvent(ctx, staff, testEventRecord(fx.store.Now()))
	if err != nil {
		t.Fatal(err)
	}
	var firmA uint
	fmt.Sscan(fx.ids["{firmA}"], &firmA)
	firm, err := fx.store.FirmByID(ctx, firmA)
	if err != nil {
		t.Fatal(err)
	}
	profile := "/suppliers/" + firm.Slug
	for _, lang := range []string{"/en", ""} {
		t.Run("Lang"+lang, func(t *testing.T) {
			sup := fx.as(t, "supplier of this firm")
			page := sup.get(lang + profile)
			expectStatus(t, page, 200)
			want := fmt.Sprintf("%s/events/%d/register?firm=%d", lang, ev.ID, firmA)
			link := page.Doc.Find(".event-invites a.button")
			href, _ := link.Attr("href")
			if href != want || !strings.Contains(link.Text(), ev.Name(strings.TrimPrefix(lang, "/"))) {
				t.Fatalf("invite %q → %q, want %q", link.Text(), href, want)
			}
			account := sup.get(lang + "/account")
			if got, _ := account.Doc.Find(".event-invites a.button").Attr("href"); got != want {
				t.Fatalf("account page invite %q, want %q", got, want)
			}
			if fx.as(t, "buyer").get(lang+profile).Doc.Find(".event-invites").Length() != 0 {
				t.Fatal("a buyer is invited to register a supplier")
			}
			// The fixture's event, where the firm is approved already, says so.
			if !strings.Contains(page.Doc.Find(".event-invites").Text(), map[string]string{"/en": "approved", "": "đã duyệt"}[lang]) {
				t.Errorf("the firm's approved registration is not shown: %q", page.Doc.Find(".event-invites").Text())
			}
			if lang != "" {
				return // registered once, in Vietnamese
			}
			form := sup.get(href)
			expectStatus(t, form, 200)
			values := formOf(t, form.Doc, "form.form")
			if values.Get("firm") != fmt.Sprint(firmA) {
				t.Fatalf("firm not chosen: %v", values)
			}
			expectStatus(t, sup.post(fmt.Sprintf("/events/%d/register", ev.ID), values), 303)
			regs, err := fx.store.Registrations(ctx, models.SystemActor("test"), ev.ID)
			if err != nil || len(regs) != 1 || regs[0].FirmID == nil || *regs[0].FirmID != firmA || regs[0].Status != event.Pending {
				t.Fatalf("registrations %+v, %v", regs, err)
			}
			after := sup.get(profile)
			if after.Doc.Find(".event-invites a.button").Length() != 0 || !strings.Contains(after.Doc.Find(".event-invites").Text(), "chờ duyệt") {
				t.Fatalf("after registering: %q", after.Doc.Find(".event-invites").Text())
			}
		})
	}
}
