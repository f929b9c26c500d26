package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/search"
)

// TestSampleEventsThroughPages opens a new database filled with the sample set, as `go run
// ./app` does, and tries the events there: both are listed; the past event's results show
// registrations, meetings held, no-shows, check-ins and outcomes; a buyer registers for the
// upcoming one.
func TestSampleEventsThroughPages(t *testing.T) {
	ctx := context.Background()
	cfg := Config{DataDir: t.TempDir(), Sample: true}
	db, err := openStore(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	index, err := search.Open(indexDir(cfg), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { index.Close() })
	srv, err := NewServer(db, index)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	fx := &authzFixture{srv: srv, store: db, users: map[string]*models.User{}, ids: map[string]string{}}
	sys := models.SystemActor("test")
	for i, r := range []models.Role{models.RoleStaff, models.RoleBuyer} {
		u, err := db.CreateUser(ctx, sys, models.UserInput{Email: fmt.Sprintf("try%d@example.com", i), Name: "Try " + string(r),
			Role: r, Lang: "en", Verified: true})
		if err != nil {
			t.Fatal(err)
		}
		fx.users[string(r)] = u
	}
	evs, err := db.Events(ctx)
	if err != nil || len(evs) != 2 {
		t.Fatalf("events %v %v", evs, err)
	}
	past, next := evs[0], evs[1]
	if next.RegistrationOpen(db.Now()) == past.RegistrationOpen(db.Now()) {
		t.Fatal("want one past event and one open for registration")
	}
	if past.RegistrationOpen(db.Now()) {
		past, next = next, past
	}
	staffC, buyerC := fx.as(t, "staff"), fx.as(t, "buyer")
	list := buyerC.get("/en/events")
	for _, ev := range evs {
		if !strings.Contains(list.Body, ev.NameEN) {
			t.Errorf("the events page lacks %q", ev.NameEN)
		}
	}

	res := staffC.get(fmt.Sprintf("/en/staff/events/%d/results", past.ID))
	expectStatus(t, res, 200)
	figures := map[string]string{}
	res.Doc.Find(".results-summary tr").Each(func(_ int, row *goquery.Selection) {
		figures[strings.TrimSpace(row.Find("th").Text())] = strings.TrimSpace(row.Find("td").Text())
	})
	for _, label := range []string{"Meetings held", "No-shows", "Participants checked in", "Meeting requests made",
		"Quotation requested", "Further contact"} {
		first, _, _ := strings.Cut(figures[label], " ")
		if n, err := strconv.Atoi(first); err != nil || n == 0 {
			t.Errorf("%s: %q", label, figures[label])
		}
	}
	if res.Doc.Find("#by-country tbody tr").Length() < 3 {
		t.Errorf("results by country:\n%s", res.Doc.Find("main").Text())
	}

	form := buyerC.get(fmt.Sprintf("/en/events/%d/register", next.ID))
	expectStatus(t, form, 200)
	values := formOf(t, form.Doc, "form.form")
	values.Set("company", "Example Assembly Vietnam")
	values.Set("requirement", "Die-cast aluminium housings")
	expectStatus(t, buyerC.post(fmt.Sprintf("/en/events/%d/register", next.ID), values), 303)
	mine, err := db.MyRegistrations(ctx, models.Actor{UserID: fx.users["buyer"].ID, Role: models.RoleBuyer}, next.ID)
	if err != nil || len(mine) != 1 {
		t.Fatalf("the buyer's registration: %v %v", mine, err)
	}
}
