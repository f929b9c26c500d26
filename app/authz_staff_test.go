package main

import (
	"context"
	"fmt"
	"net/url"

	"github.com/hanoi-cnht/portal/models"
)

// The staff area: staff and admins only, accounts admins only. Forms sent empty are refused
// with field errors, which is the route's own answer.
func init() {
	const staffOnly, adminOnly = "ldddaa", "ldddda"
	authzTables["staff"] = map[string]authzCase{
		"GET /staff":                              {Want: staffOnly},
		"GET /staff/queue":                        {Path: "/staff/queue?kind=claim", Want: staffOnly},
		"POST /staff/claims/:id":                  {Path: "/staff/claims/{claimA}", Want: staffOnly},
		"POST /staff/certificates/:cert":          {Path: "/staff/certificates/{certA}", Want: staffOnly},
		"POST /staff/firms/:firm/review":          {Path: "/staff/firms/{firmA}/review", Want: staffOnly},
		"GET /staff/firms/:firm":                  {Path: "/staff/firms/{firmA}", Want: staffOnly},
		"GET /staff/firms/:firm/history":          {Path: "/staff/firms/{firmA}/history", Want: staffOnly},
		"GET /staff/audit":                        {Path: "/staff/audit?firm={firmA}", Want: staffOnly},
		"GET /staff/audit.csv":                    {Want: staffOnly},
		"GET /staff/import":                       {Want: staffOnly},
		"POST /staff/import":                      {Want: staffOnly},
		"POST /staff/import/apply":                {Form: url.Values{"stored": {"../portal.db"}}, Want: staffOnly},
		"GET /staff/export":                       {Path: "/staff/export?format=csv", Want: staffOnly},
		"GET /staff/taxonomy":                     {Want: staffOnly},
		"GET /staff/taxonomy/:code":               {Path: "/staff/taxonomy/{term}", Want: staffOnly},
		"POST /staff/taxonomy/:code":              {Path: "/staff/taxonomy/{term}", Want: staffOnly},
		"GET /staff/reference":                    {Path: "/staff/reference?zone={zone}", Want: staffOnly},
		"POST /staff/reference/zones/:code":       {Path: "/staff/reference/zones/{zone}", Want: staffOnly},
		"POST /staff/reference/corridors/:code":   {Path: "/staff/reference/corridors/{corridor}", Want: staffOnly},
		"GET /staff/accounts":                     {Want: adminOnly},
		"POST /staff/accounts/invite":             {Want: adminOnly},
		"POST /staff/accounts/:user/role":         {Path: "/staff/accounts/{user0}/role", Want: adminOnly},
		"POST /staff/accounts/:user/disable":      {Path: "/staff/accounts/{user0}/disable", Want: adminOnly},
		"POST /staff/accounts/:user/sessions/end": {Path: "/staff/accounts/{user0}/sessions/end", Want: adminOnly},
	}
	authzSetups = append(authzSetups, func(ctx context.Context, fx *authzFixture) error {
		ref := fx.store.Reference()
		fx.ids["{term}"] = ref.TermsOfKind(models.KindSector)[0].Code
		fx.ids["{zone}"] = ref.Zones[0].Code
		fx.ids["{corridor}"] = ref.Corridors[0].Code
		// A claim by an applicant of its own, so the roles' accounts stay free to claim.
		applicant, err := fx.store.CreateUser(ctx, models.SystemActor("test"), models.UserInput{
			Email: "applicant@example.com", Name: "Applicant", Role: models.RoleSupplier, Verified: true})
		if err != nil {
			return err
		}
		fx.users["applicant"] = applicant
		a, err := fx.store.ActorFor(ctx, applicant, "127.0.0.1")
		if err != nil {
			return err
		}
		var firmA uint
		fmt.Sscan(fx.ids["{firmA}"], &firmA)
		claim, err := fx.store.ClaimFirm(ctx, a, firmA, models.ClaimByPhone, "", "We make the moulds.")
		if err != nil {
			return err
		}
		fx.ids["{claimA}"] = fmt.Sprint(claim.ID)
		return nil
	})
}
