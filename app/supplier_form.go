package main

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
)

// The profile form names its inputs as the store names its fields, so a field error lands
// beside the input that caused it: "name_vi", "district" and "sites[2].district" (the main site
// has the import's plain names), "certifications[1].number", "equipment[2].count". Repeated
// groups come with a hidden count of the rows the form showed.

// maxFormRows bounds the rows read of each repeated group, whatever count the form claims.
const maxFormRows = 101

// profileRows are the rows of each repeated group the form shows.
type profileRows struct {
	Sites, Certs, Equipment, Recognitions int
}

// rowMap maps the position of a kept row (blank rows are dropped) to the form row it came from,
// both counted from 1.
type rowMap struct {
	sites, certs, equipment, recognitions []int
}

// freeTermField is the input of a kind's free text; the store names its errors "products".
func freeTermField(k models.TermKind) string { return "free_" + string(k) }

func sitePrefix(row int) string {
	if row <= 1 {
		return ""
	}
	return fmt.Sprintf("sites[%d].", row)
}

func certKey(row int) string  { return fmt.Sprintf("certifications[%d]", row) }
func equipKey(row int) string { return fmt.Sprintf("equipment[%d]", row) }
func recogKey(row int) string { return fmt.Sprintf("spcncl_years[%d]", row) }

var siteInputs = []string{"address", "ward", "district", "industrial_zone", "latitude", "longitude"}

// profileValues are the form's values for a stored profile, named as readProfileForm reads them.
func profileValues(ref *models.Reference, p models.ProfileUpdate) (url.Values, profileRows) {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	num := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	set("name_vi", p.NameVI)
	set("name_en", p.NameEN)
	set("short_name", p.ShortName)
	set("description_vi", p.DescriptionVI)
	set("description_en", p.DescriptionEN)
	set("founded_year", num(p.FoundedYear))
	set("employees", num(p.Employees))
	set("ownership", string(p.Ownership))
	set("website", p.Website)
	set("email", p.Email)
	set("phone", p.Phone)
	set("contact_name", p.ContactName)
	set("monthly_capacity", p.MonthlyCapacity)
	set("lot_sizes", p.LotSizes)
	set("capacity_notes", p.CapacityNotes)
	set("lead_time_days", num(p.LeadTimeDays))
	set("key_customers", strings.Join(p.KeyCustomers, "\n"))
	set("export_markets", strings.Join(p.ExportMarkets, "\n"))
	for _, code := range p.TermCodes {
		if t, ok := ref.Term(code); ok {
			v.Add(string(t.Kind), code)
		}
	}
	for _, k := range models.TermKinds {
		set(freeTermField(k), strings.Join(models.FreeTermList(p.FreeTerms).Texts(k), "\n"))
	}
	for i, st := range p.Sites {
		pre := sitePrefix(i + 1)
		set(pre+"address", st.Address)
		set(pre+"ward", st.Ward)
		set(pre+"district", st.District)
		set(pre+"industrial_zone", st.Zone)
		if st.Latitude != nil {
			set(pre+"latitude", strconv.FormatFloat(*st.Latitude, 'f', -1, 64))
		}
		if st.Longitude != nil {
			set(pre+"longitude", strconv.FormatFloat(*st.Longitude, 'f', -1, 64))
		}
	}
	for i, c := range p.Certificates {
		k := certKey(i+1) + "."
		if _, ok := ref.Standard(c.Standard); ok {
			set(k+"standard", c.Standard)
		} else {
			set(k+"standard_other", c.Standard)
		}
		set(k+"id", strconv.FormatUint(uint64(c.ID), 10))
		set(k+"edition", c.Edition)
		set(k+"number", c.Number)
		set(k+"issuer", c.Issuer)
		set(k+"accreditation_body", c.AccreditationBody)
		set(k+"scope", c.Scope)
		if c.IssuedOn != nil {
			set(k+"issued_on", c.IssuedOn.String())
		}
		if c.Expires != nil {
			set(k+"expires", c.Expires.String())
		}
	}
	for i, e := range p.Equipment {
		k := equipKey(i+1) + "."
		set(k+"machine_type", e.MachineType)
		set(k+"count", num(e.Count))
		set(k+"spec", e.Spec)
	}
	for i, r := range p.Recognitions {
		k := recogKey(i+1) + "."
		set(k+"year", num(r.Year))
		set(k+"product", r.Product)
	}
	// One blank row of each group to add to.
	rows := profileRows{Sites: len(p.Sites) + 1, Certs: len(p.Certificates) + 1, Equipment: len(p.Equipment) + 1,
		Recognitions: len(p.Recognitions) + 1}
	return v, rows
}

// rowCount reads a group's hidden row count, bounded.
func rowCount(v url.Values, name string) int {
	n, err := strconv.Atoi(v.Get(name))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, maxFormRows)
}

// readProfileForm reads the posted profile form into an update. Values that cannot be read
// (a number that is not one, a date not in YYYY-MM-DD) are failed on f; the rules of the
// profile itself are the store's to check.
func (s *Server) readProfileForm(c echo.Context, f *form) (models.ProfileUpdate, profileRows, rowMap) {
	v := f.Values
	var p models.ProfileUpdate
	var rm rowMap
	rows := profileRows{Sites: rowCount(v, "site_rows"), Certs: rowCount(v, "cert_rows"),
		Equipment: rowCount(v, "equipment_rows"), Recognitions: rowCount(v, "spcncl_rows")}
	text := func(name string) string { return strings.TrimSpace(v.Get(name)) }
	integer := func(name string) int {
		in := text(name)
		if in == "" {
			return 0
		}
		n, err := strconv.ParseInt(in, 10, 32)
		if err != nil {
			f.fail(name, s.tr(c, "edit.bad_number"))
		}
		return int(n)
	}
	decimal := func(name string) *float64 {
		in := text(name)
		if in == "" {
			return nil
		}
		x, err := strconv.ParseFloat(strings.ReplaceAll(in, ",", "."), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			f.fail(name, s.tr(c, "edit.bad_number"))
			return nil
		}
		return &x
	}
	date := func(name string) *models.Date {
		in := text(name)
		if in == "" {
			return nil
		}
		d, err := models.ParseDate(in)
		if err != nil {
			f.fail(name, s.tr(c, "edit.bad_date"))
			return nil
		}
		return d
	}
	p.NameVI, p.NameEN, p.ShortName = text("name_vi"), text("name_en"), text("short_name")
	p.DescriptionVI, p.DescriptionEN = v.Get("description_vi"), v.Get("description_en")
	p.FoundedYear, p.Employees = integer("founded_year"), integer("employees")
	p.Ownership = models.Ownership(text("ownership"))
	p.Website, p.Email, p.Phone, p.ContactName = text("website"), text("email"), text("phone"), text("contact_name")
	p.MonthlyCapacity, p.LotSizes, p.CapacityNotes = text("monthly_capacity"), text("lot_sizes"), v.Get("capacity_notes")
	p.LeadTimeDays = integer("lead_time_days")
	p.KeyCustomers, p.ExportMarkets = lines(v.Get("key_customers")), lines(v.Get("export_markets"))
	for _, k := range models.TermKinds {
		for _, code := range v[string(k)] {
			if !slices.Contains(p.TermCodes, code) {
				p.TermCodes = append(p.TermCodes, code)
			}
		}
		for _, t := range lines(v.Get(freeTermField(k))) {
			p.FreeTerms = append(p.FreeTerms, models.FreeTerm{Kind: k, Text: t})
		}
	}
	for r := 1; r <= rows.Sites; r++ {
		pre := sitePrefix(r)
		if blankRow(v, pre, siteInputs) {
			continue
		}
		p.Sites = append(p.Sites, models.Site{Address: text(pre + "address"), Ward: text(pre + "ward"),
			District: text(pre + "district"), Zone: text(pre + "industrial_zone"),
			Latitude: decimal(pre + "latitude"), Longitude: decimal(pre + "longitude")})
		rm.sites = append(rm.sites, r)
	}
	for r := 1; r <= rows.Certs; r++ {
		k := certKey(r) + "."
		if blankRow(v, k, []string{"standard", "standard_other", "edition", "number", "issuer", "accreditation_body", "scope", "issued_on", "expires"}) {
			continue
		}
		cc := models.CertificateClaim{Standard: cmpOr(text(k+"standard_other"), text(k+"standard")), Edition: text(k + "edition"),
			Number: text(k + "number"), Issuer: text(k + "issuer"), AccreditationBody: text(k + "accreditation_body"),
			Scope: text(k + "scope"), IssuedOn: date(k + "issued_on"), Expires: date(k + "expires")}
		if id := text(k + "id"); id != "" {
			n, err := strconv.ParseUint(id, 10, 32)
			if err != nil {
				f.fail(certKey(r), s.tr(c, "edit.bad_number"))
			}
			cc.ID = uint(n)
		}
		p.Certificates = append(p.Certificates, cc)
		rm.certs = append(rm.certs, r)
	}
	for r := 1; r <= rows.Equipment; r++ {
		k := equipKey(r) + "."
		if blankRow(v, k, []string{"machine_type", "count", "spec"}) {
			continue
		}
		p.Equipment = append(p.Equipment, models.Equipment{MachineType: text(k + "machine_type"), Count: integer(k + "count"),
			Spec: text(k + "spec"), Position: len(p.Equipment)})
		rm.equipment = append(rm.equipment, r)
	}
	for r := 1; r <= rows.Recognitions; r++ {
		k := recogKey(r) + "."
		if blankRow(v, k, []string{"year", "product"}) {
			continue
		}
		p.Recognitions = append(p.Recognitions, models.Recognition{Year: integer(k + "year"), Product: text(k + "product")})
		rm.recognitions = append(rm.recognitions, r)
	}
	return p, rows, rm
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func blankRow(v url.Values, prefix string, names []string) bool {
	for _, n := range names {
		if strings.TrimSpace(v.Get(prefix+n)) != "" {
			return false
		}
	}
	return true
}

var indexedField = regexp.MustCompile(`^(sites|certifications|equipment|spcncl_years)\[(\d+)\](.*)$`)

// formFieldOf names the input of the form that a store's field error is about: rows dropped as
// blank shift the store's numbering, the main site's plain names may belong to a later row, and
// free text errors are named after the kind's plural.
func (rm rowMap) formFieldOf(field string) string {
	for _, k := range models.TermKinds {
		if field == k.Column() {
			return freeTermField(k)
		}
	}
	if slices.Contains(siteInputs, field) || field == "corridors" {
		return sitePrefix(rowAt(rm.sites, 1)) + field
	}
	m := indexedField.FindStringSubmatch(field)
	if m == nil {
		return field
	}
	n, _ := strconv.Atoi(m[2])
	switch m[1] {
	case "sites":
		return sitePrefix(rowAt(rm.sites, n)) + strings.TrimPrefix(m[3], ".")
	case "certifications":
		return certKey(rowAt(rm.certs, n)) + m[3]
	case "equipment":
		return equipKey(rowAt(rm.equipment, n)) + m[3]
	}
	return recogKey(rowAt(rm.recognitions, n)) + m[3]
}

func rowAt(rows []int, n int) int {
	if n >= 1 && n <= len(rows) {
		return rows[n-1]
	}
	return n
}

// setProfileErrors shows a validation error of the store on the form's inputs.
func (s *Server) setProfileErrors(f *form, err error, rm rowMap) bool {
	var ve *models.ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	for _, fe := range ve.Fields {
		f.fail(rm.formFieldOf(fe.Field), s.views.messages.tr(f.Lang, fe.Key, argsList(fe.Args)...))
	}
	return true
}
