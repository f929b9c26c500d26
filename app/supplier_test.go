package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/hanoi-cnht/portal/models"
)

// Roles of the fixture, by their names in authzRoles.
const (
	asOwner = "supplier of this firm"
	asOther = "supplier of another firm"
	asStaff = "staff"
	asBuyer = "buyer"
	asAnon  = "anonymous"
)

// sent is one answer of the server to a test request.
type sent struct {
	*httptest.ResponseRecorder
	doc *goquery.Document
}

// do makes one request as role with a fresh session; a form body gets the session's token.
func (fx *authzFixture) do(t *testing.T, role, method, path string, form url.Values, file *testFile) sent {
	t.Helper()
	var cookies []*http.Cookie
	token := ""
	if u := fx.users[role]; u != nil {
		tok, sess, err := fx.store.CreateSession(context.Background(), u, "127.0.0.1", "test", fx.srv.sessionLimits)
		if err != nil {
			t.Fatal(err)
		}
		cookies, token = append(cookies, &http.Cookie{Name: sessionCookie, Value: tok}), sess.CSRFToken
	} else {
		token = "anonymous-form-token-0123456789abcdef0123"
		cookies = append(cookies, &http.Cookie{Name: anonCSRFCookie, Value: token})
	}
	var req *http.Request
	switch {
	case method == http.MethodGet:
		req = httptest.NewRequest(method, path, nil)
	case file != nil:
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		w.WriteField(csrfField, token)
		for k, vs := range form {
			for _, v := range vs {
				w.WriteField(k, v)
			}
		}
		fw, err := w.CreateFormFile(file.field, file.name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(file.data)
		w.Close()
		req = httptest.NewRequest(method, path, &b)
		req.Header.Set("Content-Type", w.FormDataContentType())
	default:
		body := url.Values{}
		for k, v := range form {
			body[k] = v
		}
		body.Set(csrfField, token)
		req = httptest.NewRequest(method, path, strings.NewReader(body.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	fx.srv.ServeHTTP(rec, req)
	out := sent{ResponseRecorder: rec}
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(rec.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		out.doc = doc
	}
	return out
}

type testFile struct {
	field, name string
	data        []byte
}

// formOf is what a browser would send from the form: inputs with their values, ticked boxes
// only, the selected option of each select, the text of each textarea; no buttons or files.
func formOf(t testing.TB, doc *goquery.Document, selector string) url.Values {
	t.Helper()
	form := doc.Find(selector)
	if form.Length() == 0 {
		t.Fatalf("no form %s on the page", selector)
	}
	v := url.Values{}
	form.Find("input[name], select[name], textarea[name]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		if name == csrfField {
			return
		}
		switch goquery.NodeName(s) {
		case "textarea":
			v.Add(name, strings.TrimPrefix(s.Text(), "\n"))
		case "select":
			opt := s.Find("option[selected]")
			if opt.Length() == 0 {
				opt = s.Find("option").First()
			}
			val, _ := opt.Attr("value")
			v.Add(name, val)
		default:
			typ, _ := s.Attr("type")
			val, _ := s.Attr("value")
			switch typ {
			case "checkbox", "radio":
				if _, on := s.Attr("checked"); on {
					v.Add(name, val)
				}
			case "file", "submit":
			default:
				v.Add(name, val)
			}
		}
	})
	return v
}

func (fx *authzFixture) firm(t *testing.T, key string) *models.Firm {
	t.Helper()
	var id uint
	fmt.Sscan(fx.ids[key], &id)
	f, err := fx.store.FirmByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// editForm loads firm A's edit form as the owner and returns what the browser would send back.
func (fx *authzFixture) editForm(t *testing.T) url.Values {
	t.Helper()
	r := fx.do(t, asOwner, http.MethodGet, fx.path("/account/firms/{firmA}/edit"), nil, nil)
	if r.Code != http.StatusOK {
		t.Fatalf("edit page: status %d", r.Code)
	}
	return formOf(t, r.doc, "form.profile-form")
}

func TestProfileEdit(t *testing.T) {
	fx := newAuthzFixture(t)
	edit := fx.path("/account/firms/{firmA}/edit")

	t.Run("UnchangedFormSaves", func(t *testing.T) {
		r := fx.do(t, asOwner, http.MethodPost, edit, fx.editForm(t), nil)
		if r.Code != http.StatusSeeOther {
			t.Fatalf("status %d, want 303; errors: %s", r.Code, r.doc.Find(".error-summary").Text())
		}
	})

	t.Run("ChangeShowsOnPublicPage", func(t *testing.T) {
		v := fx.editForm(t)
		v.Set("name_en", "An Phu Mechanical Co., Ltd")
		v.Set("equipment[1].machine_type", "Máy dập 200 tấn")
		v.Set("equipment[1].count", "4")
		v.Set("equipment[1].spec", "200 t, bàn 1.200 × 800 mm")
		v.Set("monthly_capacity", "200.000 chi tiết dập")
		v.Set("lead_time_days", "21")
		v.Set("export_markets", "Japan\nKorea")
		r := fx.do(t, asOwner, http.MethodPost, edit, v, nil)
		if r.Code != http.StatusSeeOther || !strings.HasSuffix(r.Header().Get("Location"), "/edit?done=profile_saved") {
			t.Fatalf("status %d to %q; errors: %s", r.Code, r.Header().Get("Location"), r.doc.Find(".error-summary").Text())
		}
		back := fx.do(t, asOwner, http.MethodGet, r.Header().Get("Location"), nil, nil)
		if back.doc.Find(".notice-done").Length() == 0 {
			t.Error("the edit page does not confirm the save")
		}
		pub := fx.do(t, asAnon, http.MethodGet, fx.path("/en/suppliers/{slugA}"), nil, nil)
		text := pub.doc.Find("main").Text()
		for _, want := range []string{"An Phu Mechanical Co., Ltd", "Máy dập 200 tấn", "200 t, bàn 1.200 × 800 mm", "200.000 chi tiết dập", "21 days"} {
			if !strings.Contains(text, want) {
				t.Errorf("the public page lacks %q", want)
			}
		}
		found := fx.do(t, asAnon, http.MethodGet, "/en/search?q=Mechanical", nil, nil)
		if !strings.Contains(found.doc.Find("main").Text(), "An Phu Mechanical") {
			t.Error("the search does not find the edited name")
		}
	})

	t.Run("UnknownSelectValueKept", func(t *testing.T) {
		v := fx.editForm(t)
		v.Set("district", "999")
		r := fx.do(t, asOwner, http.MethodPost, edit, v, nil)
		if r.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", r.Code)
		}
		if got, _ := r.doc.Find(`[id="f-district"] option[selected]`).Attr("value"); got != "999" {
			t.Errorf("the district select came back with %q chosen", got)
		}
	})

	t.Run("AddAnotherSiteWithoutJavaScript", func(t *testing.T) {
		v := fx.editForm(t)
		rows := v.Get("site_rows")
		v.Set("add", "site")
		v.Set("name_vi", "Tên đang gõ dở")
		r := fx.do(t, asOwner, http.MethodPost, edit, v, nil)
		if r.Code != http.StatusOK {
			t.Fatalf("status %d", r.Code)
		}
		n := 0
		fmt.Sscan(rows, &n)
		if r.doc.Find(fmt.Sprintf(`[id="f-sites[%d].address"]`, n+1)).Length() != 1 {
			t.Errorf("no blank row %d after adding a site (had %s)", n+1, rows)
		}
		if got, _ := r.doc.Find(`[id="f-name_vi"]`).Attr("value"); got != "Tên đang gõ dở" {
			t.Errorf("the form lost what was typed: %q", got)
		}
		if fx.firm(t, "{firmA}").NameVI == "Tên đang gõ dở" {
			t.Error("adding a row saved the profile")
		}
	})

	t.Run("RemoveCertificateByEmptyingIt", func(t *testing.T) {
		v := fx.editForm(t)
		for _, k := range []string{"standard", "standard_other", "edition", "number", "issuer", "accreditation_body", "scope", "issued_on", "expires"} {
			v.Set("certifications[1]."+k, "")
		}
		v.Set("certifications[2].standard", "ISO 14001")
		r := fx.do(t, asOwner, http.MethodPost, edit, v, nil)
		if r.Code != http.StatusSeeOther {
			t.Fatalf("status %d; errors: %s", r.Code, r.doc.Find(".error-summary").Text())
		}
		certs := fx.firm(t, "{firmA}").Certificates
		if len(certs) != 1 || certs[0].Standard != "ISO 14001" {
			t.Errorf("certificates after the edit: %+v", certs)
		}
	})
}

func TestProfileEditRefusesHostileInput(t *testing.T) {
	fx := newAuthzFixture(t)
	edit := fx.path("/account/firms/{firmA}/edit")
	long := strings.Repeat("x", 100_000)
	var many []string
	for i := range 101 {
		many = append(many, fmt.Sprintf("Customer %d", i))
	}
	tests := []struct {
		name  string
		set   map[string]string
		field string // the input the error must stand beside
	}{
		{"LongDescription", map[string]string{"description_vi": long}, "description_vi"},
		{"LongShortName", map[string]string{"short_name": long}, "short_name"},
		{"ControlCharacterInName", map[string]string{"name_vi": "An Phú\x01"}, "name_vi"},
		{"InvalidUTF8", map[string]string{"name_en": "An Ph\xff\xfe"}, "name_en"},
		{"EmptyName", map[string]string{"name_vi": "  "}, "name_vi"},
		{"NotANumber", map[string]string{"employees": "many"}, "employees"},
		{"NegativeEmployees", map[string]string{"employees": "-5"}, "employees"},
		{"HugeYear", map[string]string{"founded_year": "99999999999"}, "founded_year"},
		{"UnknownTerm", map[string]string{"sector": "no-such-code"}, "terms"},
		{"ScriptAsTerm", map[string]string{"product": "<script>alert(1)</script>"}, "terms"},
		{"NegativeMachineCount", map[string]string{"equipment[1].machine_type": "Máy tiện", "equipment[1].count": "-3"}, "equipment[1]"},
		{"MachineCountNotANumber", map[string]string{"equipment[1].machine_type": "Máy tiện", "equipment[1].count": "3.5"}, "equipment[1].count"},
		{"NegativeLeadTime", map[string]string{"lead_time_days": "-1"}, "lead_time_days"},
		{"LatitudeNaN", map[string]string{"latitude": "NaN", "longitude": "105.8"}, "latitude"},
		{"LatitudeOutOfRange", map[string]string{"latitude": "91", "longitude": "105.8"}, "latitude"},
		{"UnknownDistrictOnSecondSite", map[string]string{"site_rows": "2", "sites[2].address": "Số 1", "sites[2].district": "999"}, "sites[2].district"},
		{"BadDate", map[string]string{"certifications[1].issued_on": "2020-13-45"}, "certifications[1].issued_on"},
		{"CertificateWithoutStandard", map[string]string{"cert_rows": "2", "certifications[2].number": "Q-2"}, "certifications[2]"},
		{"ScriptWebsite", map[string]string{"website": "javascript:alert(1)"}, "website"},
		{"TooManyCustomers", map[string]string{"key_customers": strings.Join(many, "\n")}, "key_customers"},
		{"ControlCharacterInFreeTerm", map[string]string{"free_process": "Gia công đặc biệt\x07"}, "free_process"},
		{"LongRecognition", map[string]string{"spcncl_years[1].year": "2020", "spcncl_years[1].product": long}, "spcncl_years[1]"},
		{"RecognitionYearBeforeProgramme", map[string]string{"spcncl_years[1].year": "1990", "spcncl_years[1].product": "Khuôn"}, "spcncl_years[1]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := fx.firm(t, "{firmA}")
			v := fx.editForm(t)
			for k, val := range tt.set {
				v.Set(k, val)
			}
			r := fx.do(t, asOwner, http.MethodPost, edit, v, nil)
			if r.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.Code)
			}
			if r.doc.Find(fmt.Sprintf(`[id="f-%s-error"]`, tt.field)).Length() != 1 {
				t.Errorf("no error beside %s; summary: %s", tt.field, strings.Join(strings.Fields(r.doc.Find(".error-summary").Text()), " "))
			}
			// html/template escapes the brackets of the fragment; browsers decode it to find the id.
			href, _ := r.doc.Find(".error-summary a").FilterFunction(func(_ int, s *goquery.Selection) bool {
				h, _ := s.Attr("href")
				h, _ = url.PathUnescape(h)
				return h == "#f-"+tt.field
			}).Attr("href")
			if href == "" || r.doc.Find(fmt.Sprintf(`[id="f-%s"]`, tt.field)).Length() != 1 {
				t.Errorf("the error summary does not link to the %s input", tt.field)
			}
			if r.doc.Find("script:not([src])").FilterFunction(func(_ int, s *goquery.Selection) bool {
				return strings.Contains(s.Text(), "alert(1)")
			}).Length() > 0 {
				t.Error("typed script came back as a script element")
			}
			after := fx.firm(t, "{firmA}")
			if !after.UpdatedAt.Equal(before.UpdatedAt) || after.NameVI != before.NameVI {
				t.Error("a refused form changed the stored firm")
			}
		})
	}

	t.Run("KeepsWhatWasTyped", func(t *testing.T) {
		v := fx.editForm(t)
		v.Set("employees", "many")
		v.Set("description_en", "Typed before the error")
		r := fx.do(t, asOwner, http.MethodPost, edit, v, nil)
		if got, _ := r.doc.Find(`[id="f-employees"]`).Attr("value"); got != "many" {
			t.Errorf("employees came back as %q", got)
		}
		if got := r.doc.Find(`[id="f-description_en"]`).Text(); got != "Typed before the error" {
			t.Errorf("description came back as %q", got)
		}
		if _, ok := r.doc.Find(`[id="f-employees"]`).Attr("aria-describedby"); !ok {
			t.Error("the refused input does not point to its error")
		}
	})

	t.Run("ScriptTagsAreTextNotCode", func(t *testing.T) {
		v := fx.editForm(t)
		v.Set("name_en", `<script>alert("x")</script>`)
		if r := fx.do(t, asOwner, http.MethodPost, edit, v, nil); r.Code != http.StatusSeeOther {
			t.Fatalf("status %d", r.Code)
		}
		pub := fx.do(t, asAnon, http.MethodGet, fx.path("/en/suppliers/{slugA}"), nil, nil)
		if !strings.Contains(pub.doc.Find("h1").Text(), `<script>alert("x")</script>`) {
			t.Error("the name is not shown as typed")
		}
		if strings.Contains(pub.Body.String(), `<script>alert("x")`) {
			t.Error("the name reached the page unescaped")
		}
	})
}

func TestOtherFirmCannotReachFirm(t *testing.T) {
	fx := newAuthzFixture(t)
	ownForm := fx.editForm(t)
	for _, tt := range []struct {
		name, method, path string
		form               url.Values
		file               *testFile
		want               int
	}{
		{"EditPage", http.MethodGet, "/account/firms/{firmA}/edit", nil, nil, http.StatusForbidden},
		{"EditSave", http.MethodPost, "/account/firms/{firmA}/edit", ownForm, nil, http.StatusForbidden},
		{"MembersPage", http.MethodGet, "/account/firms/{firmA}/members", nil, nil, http.StatusForbidden},
		{"MembersAdd", http.MethodPost, "/account/firms/{firmA}/members", url.Values{"email": {"role2@example.com"}}, nil, http.StatusForbidden},
		{"History", http.MethodGet, "/account/firms/{firmA}/history", nil, nil, http.StatusForbidden},
		{"ScanUpload", http.MethodPost, "/account/firms/{firmA}/certificates/{certA}/scans", nil,
			&testFile{"scan_{certA}", "iso.pdf", []byte(tinyPDF)}, http.StatusForbidden},
		{"ScanUploadToOwnFirmPath", http.MethodPost, "/account/firms/{firmB}/certificates/{certA}/scans", nil,
			&testFile{"scan_{certA}", "iso.pdf", []byte(tinyPDF)}, http.StatusNotFound},
		{"ScanDownload", http.MethodGet, "/account/scans/{scanA}", nil, nil, http.StatusNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.file != nil {
				tt.file.field = fx.path(tt.file.field)
			}
			r := fx.do(t, asOther, tt.method, fx.path(tt.path), tt.form, tt.file)
			if r.Code != tt.want {
				t.Errorf("status %d, want %d", r.Code, tt.want)
			}
		})
	}

	t.Run("ForgedCertificateIDInOwnForm", func(t *testing.T) {
		before := fx.firm(t, "{firmA}")
		r := fx.do(t, asOther, http.MethodGet, fx.path("/account/firms/{firmB}/edit"), nil, nil)
		v := formOf(t, r.doc, "form.profile-form")
		v.Set("certifications[1].id", fx.ids["{certA}"])
		v.Set("certifications[1].number", "FORGED")
		r = fx.do(t, asOther, http.MethodPost, fx.path("/account/firms/{firmB}/edit"), v, nil)
		if r.Code != http.StatusForbidden {
			t.Errorf("status %d, want 403", r.Code)
		}
		after := fx.firm(t, "{firmA}")
		if after.Certificates[0].Number != before.Certificates[0].Number || !after.UpdatedAt.Equal(before.UpdatedAt) {
			t.Error("the other firm's certificate changed")
		}
	})

	t.Run("NothingStoredFromRefusedUploads", func(t *testing.T) {
		scans, err := fx.store.Scans(context.Background(), models.SystemActor("test"), fx.firm(t, "{firmA}").ID)
		if err != nil || len(scans) != 1 {
			t.Errorf("firm A has %d scans (%v), want the fixture's one", len(scans), err)
		}
	})
}

// pngClaiming is a valid 1×1 PNG whose header claims w×h pixels: a decompression bomb's shape.
func pngClaiming(t *testing.T, w, h uint32) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	binary.BigEndian.PutUint32(data[16:20], w)
	binary.BigEndian.PutUint32(data[20:24], h)
	binary.BigEndian.PutUint32(data[29:33], crc32.ChecksumIEEE(data[12:29]))
	return data
}

func TestScanUpload(t *testing.T) {
	fx := newAuthzFixture(t)
	upload := fx.path("/account/firms/{firmA}/certificates/{certA}/scans")
	field := fx.path("scan_{certA}")
	evidence := filepath.Join(fx.srv.dataDir, "evidence")
	countFiles := func() int {
		entries, _ := os.ReadDir(evidence)
		return len(entries)
	}
	big := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("0"), maxScanBytes)...)
	big = append(big, "\n%%EOF\n"...)
	for _, tt := range []struct {
		name, file string
		data       []byte
	}{
		{"RenamedScript", "certificate.pdf", []byte("<script>alert(document.cookie)</script>")},
		{"SVG", "certificate.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`)},
		{"HTML", "certificate.html", []byte("<!DOCTYPE html><p>%PDF-1.4</p><script>alert(1)</script>\n%%EOF")},
		{"OverTenMegabytes", "certificate.pdf", big},
		{"DecompressionBomb", "certificate.png", pngClaiming(t, 100_000, 100_000)},
		{"Empty", "certificate.pdf", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n := countFiles()
			r := fx.do(t, asOwner, http.MethodPost, upload, nil, &testFile{field, tt.file, tt.data})
			if r.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", r.Code)
			}
			if r.doc.Find(fmt.Sprintf(`[id="f-%s-error"]`, field)).Length() != 1 {
				t.Error("no error beside the file input")
			}
			if countFiles() != n {
				t.Error("a refused file was kept")
			}
		})
	}

	t.Run("PDFStoredAndServedToMembersAndStaffOnly", func(t *testing.T) {
		r := fx.do(t, asOwner, http.MethodPost, upload, nil, &testFile{field, `C:\scans\ISO 9001 "final".pdf`, []byte(tinyPDF)})
		if r.Code != http.StatusSeeOther {
			t.Fatalf("status %d, want 303", r.Code)
		}
		scans, err := fx.store.Scans(context.Background(), models.SystemActor("test"), fx.firm(t, "{firmA}").ID)
		if err != nil || len(scans) != 2 {
			t.Fatalf("scans: %v %v", scans, err)
		}
		sc := scans[len(scans)-1]
		if !regexp.MustCompile(`^evidence/[0-9a-f]{32}\.pdf$`).MatchString(sc.StoredName) {
			t.Errorf("stored as %q", sc.StoredName)
		}
		info, err := os.Stat(filepath.Join(fx.srv.dataDir, sc.StoredName))
		if err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("stored file: %v, mode %v", err, info)
		}
		url := fmt.Sprintf("/account/scans/%d", sc.ID)
		for _, role := range []string{asOwner, asStaff, "admin"} {
			got := fx.do(t, role, http.MethodGet, url, nil, nil)
			if got.Code != http.StatusOK || got.Body.String() != tinyPDF {
				t.Errorf("%s: status %d", role, got.Code)
				continue
			}
			for h, want := range map[string]string{
				"Content-Type":            "application/pdf",
				"X-Content-Type-Options":  "nosniff",
				"Content-Security-Policy": "default-src 'none'; sandbox",
				"Content-Disposition":     `attachment; filename="ISO_9001_final.pdf"`,
				"Cache-Control":           "private, no-store",
			} {
				if got.Header().Get(h) != want {
					t.Errorf("%s: %s is %q, want %q", role, h, got.Header().Get(h), want)
				}
			}
		}
		for _, role := range []string{asOther, asBuyer} {
			if got := fx.do(t, role, http.MethodGet, url, nil, nil); got.Code != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", role, got.Code)
			}
		}
		if got := fx.do(t, asAnon, http.MethodGet, url, nil, nil); got.Code != http.StatusSeeOther {
			t.Errorf("anonymous: status %d, want the login", got.Code)
		}
		if got := fx.do(t, asAnon, http.MethodGet, "/static/"+sc.StoredName, nil, nil); got.Code != http.StatusNotFound {
			t.Errorf("the scan is reachable as a static file: %d", got.Code)
		}
		page := fx.do(t, asOwner, http.MethodGet, fx.path("/account/firms/{firmA}/edit"), nil, nil)
		if page.doc.Find(fmt.Sprintf(`#scans a[href="%s"]`, url)).Length() != 1 {
			t.Error("the edit page does not list the scan")
		}
	})
}

func TestCertificateWordingOnPublicPage(t *testing.T) {
	fx := newAuthzFixture(t)
	ctx := context.Background()
	page := func() string {
		r := fx.do(t, asAnon, http.MethodGet, fx.path("/en/suppliers/{slugA}"), nil, nil)
		return strings.Join(strings.Fields(r.doc.Find("main").Text()), " ")
	}
	if p := page(); !strings.Contains(p, "Declared by the firm") {
		t.Errorf("a claimed certificate is not said to be declared: %s", p)
	}
	var certID uint
	fmt.Sscan(fx.ids["{certA}"], &certID)
	staff := models.Actor{UserID: fx.users[asStaff].ID, Name: "Staff", Role: models.RoleStaff}
	v := fx.editForm(t)
	v.Set("certifications[1].expires", time.Now().AddDate(1, 0, 0).Format(time.DateOnly))
	if r := fx.do(t, asOwner, http.MethodPost, fx.path("/account/firms/{firmA}/edit"), v, nil); r.Code != http.StatusSeeOther {
		t.Fatalf("status %d", r.Code)
	}
	if err := fx.store.DecideCertificate(ctx, staff, certID, models.CertificateDecision{Action: "verify", Method: "register"}); err != nil {
		t.Fatal(err)
	}
	if p := page(); !strings.Contains(p, "Verified by the Department on") || !strings.Contains(p, "valid until") {
		t.Errorf("a verified certificate does not say what was checked: %s", p)
	}
	if err := fx.store.ReviewProfile(ctx, staff, fx.firm(t, "{firmA}").ID, true, ""); err != nil {
		t.Fatal(err)
	}
	if p := page(); !strings.Contains(p, "Profile verified") {
		t.Errorf("the verified profile is not marked: %s", p)
	}
	if err := fx.store.DecideCertificate(ctx, staff, certID, models.CertificateDecision{Action: "revoke", Note: "withdrawn by the issuer"}); err != nil {
		t.Fatal(err)
	}
	if p := page(); strings.Contains(p, "ISO 9001") {
		t.Errorf("a revoked certificate is still shown: %s", p)
	}
}

func TestMembers(t *testing.T) {
	fx := newAuthzFixture(t)
	members := fx.path("/account/firms/{firmA}/members")
	r := fx.do(t, asOwner, http.MethodPost, members, url.Values{"email": {"nobody@example.com"}}, nil)
	if r.Code != http.StatusUnprocessableEntity || r.doc.Find(`[id="f-email-error"]`).Length() != 1 {
		t.Errorf("unknown address: status %d", r.Code)
	}
	r = fx.do(t, asOwner, http.MethodPost, members, url.Values{"email": {fx.users[asOther].Email}}, nil)
	if r.Code != http.StatusSeeOther {
		t.Fatalf("add: status %d", r.Code)
	}
	page := fx.do(t, asOwner, http.MethodGet, members, nil, nil)
	if !strings.Contains(page.doc.Find("table").Text(), fx.users[asOther].Email) {
		t.Error("the new editor is not listed")
	}
	// The editor may edit but not manage members or read the history.
	if got := fx.do(t, asOther, http.MethodGet, fx.path("/account/firms/{firmA}/edit"), nil, nil); got.Code != http.StatusOK {
		t.Errorf("editor's edit page: %d", got.Code)
	}
	if got := fx.do(t, asOther, http.MethodGet, fx.path("/account/firms/{firmA}/history"), nil, nil); got.Code != http.StatusForbidden {
		t.Errorf("editor's history: %d, want 403", got.Code)
	}
	history := fx.do(t, asOwner, http.MethodGet, fx.path("/en/account/firms/{firmA}/history"), nil, nil)
	if !strings.Contains(history.doc.Find("ol.history").Text(), "Member added") {
		t.Error("the history does not show the new member")
	}
	r = fx.do(t, asOwner, http.MethodPost, fx.path(fmt.Sprintf("/account/firms/{firmA}/members/%d/remove", fx.users[asOther].ID)), nil, nil)
	if r.Code != http.StatusSeeOther {
		t.Errorf("remove: status %d", r.Code)
	}
	if got := fx.do(t, asOther, http.MethodGet, fx.path("/account/firms/{firmA}/edit"), nil, nil); got.Code != http.StatusForbidden {
		t.Errorf("removed editor's edit page: %d, want 403", got.Code)
	}
}

func TestClaimByDomainEmail(t *testing.T) {
	fx := newAuthzFixture(t)
	ctx := context.Background()
	pub := fx.do(t, asOther, http.MethodGet, fx.path("/suppliers/{slugA}"), nil, nil)
	href, _ := pub.doc.Find(".profile-actions a").Attr("href")
	if href != fx.path("/account/claims/new?firm={slugA}") {
		t.Fatalf("the manage link leads to %q", href)
	}
	anon := fx.do(t, asAnon, http.MethodGet, fx.path("/suppliers/{slugA}"), nil, nil)
	if h, _ := anon.doc.Find(".profile-actions a").Attr("href"); !strings.HasPrefix(h, "/login?next=") {
		t.Errorf("a visitor's manage link leads to %q", h)
	}
	form := fx.do(t, asOther, http.MethodGet, href, nil, nil)
	v := formOf(t, form.doc, "form")
	v.Set("evidence_email", "lan@gmail.com")
	r := fx.do(t, asOther, http.MethodPost, "/account/claims", v, nil)
	if r.Code != http.StatusUnprocessableEntity || r.doc.Find(`[id="f-evidence_email-error"]`).Length() != 1 {
		t.Fatalf("an address off the domain: status %d", r.Code)
	}
	v.Set("evidence_email", "lan@anphu.example.vn")
	r = fx.do(t, asOther, http.MethodPost, "/account/claims", v, nil)
	if r.Code != http.StatusSeeOther {
		t.Fatalf("claim: status %d", r.Code)
	}
	mails, err := fx.store.DueMails(ctx, time.Now().Add(time.Hour), 100)
	if err != nil {
		t.Fatal(err)
	}
	var link string
	for _, m := range mails {
		if m.Recipient == "lan@anphu.example.vn" {
			link = regexp.MustCompile(`/account/claims/confirm\?token=[^\s]+`).FindString(m.Body)
		}
	}
	if link == "" {
		t.Fatal("no link was mailed to the domain address")
	}
	page := fx.do(t, asAnon, http.MethodGet, link, nil, nil)
	if page.Code != http.StatusOK {
		t.Fatalf("link page: status %d", page.Code)
	}
	confirm := formOf(t, page.doc, "main form")
	if got := fx.do(t, asAnon, http.MethodPost, "/account/claims/confirm", confirm, nil); got.Code != http.StatusOK {
		t.Fatalf("confirm: status %d", got.Code)
	}
	if got := fx.do(t, asAnon, http.MethodPost, "/account/claims/confirm", confirm, nil); got.Code != http.StatusNotFound {
		t.Errorf("the link worked twice: %d", got.Code)
	}
	claims, err := fx.store.ClaimsOf(ctx, models.Actor{UserID: fx.users[asOther].ID})
	if err != nil || len(claims) != 1 || claims[0].Status != models.ClaimEmailConfirmed {
		t.Fatalf("claims: %+v %v", claims, err)
	}
	list := fx.do(t, asOther, http.MethodGet, "/en/account/propose", nil, nil)
	if !strings.Contains(list.doc.Find("table").Text(), "E-mail confirmed") {
		t.Error("the claim's status is not listed")
	}
}

func TestProposeFirm(t *testing.T) {
	fx := newAuthzFixture(t)
	page := fx.do(t, asOther, http.MethodGet, "/account/propose", nil, nil)
	v := formOf(t, page.doc, "form.profile-form")
	v.Set("tax_code", "0101234567")
	v.Set("name_vi", "Công ty TNHH Mới")
	r := fx.do(t, asOther, http.MethodPost, "/account/propose", v, nil)
	if r.Code != http.StatusUnprocessableEntity || r.doc.Find(`[id="f-tax_code-error"]`).Length() != 1 {
		t.Errorf("a listed tax code: status %d", r.Code)
	}
	v.Set("tax_code", "0109999999")
	v.Set("employees", "x")
	r = fx.do(t, asOther, http.MethodPost, "/account/propose", v, nil)
	if r.Code != http.StatusUnprocessableEntity || r.doc.Find(`[id="f-employees-error"]`).Length() != 1 {
		t.Errorf("a bad number: status %d", r.Code)
	}
	v.Set("employees", "40")
	r = fx.do(t, asOther, http.MethodPost, "/account/propose", v, nil)
	if r.Code != http.StatusSeeOther {
		t.Fatalf("status %d: %s", r.Code, r.doc.Find(".error-summary").Text())
	}
	claims, _ := fx.store.ClaimsOf(context.Background(), models.Actor{UserID: fx.users[asOther].ID})
	if len(claims) != 1 || claims[0].FirmID != nil || !strings.Contains(claims[0].Proposal, "Công ty TNHH Mới") {
		t.Errorf("claims: %+v", claims)
	}
}

func TestClaimByRegistrationScan(t *testing.T) {
	fx := newAuthzFixture(t)
	form := url.Values{"firm": {fx.ids["{slugA}"]}, "method": {"registration"}}
	r := fx.do(t, asOther, http.MethodPost, "/account/claims", form, &testFile{"registration", "dkkd.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)})
	if r.Code != http.StatusUnprocessableEntity || r.doc.Find(`[id="f-registration-error"]`).Length() != 1 {
		t.Fatalf("an SVG: status %d", r.Code)
	}
	if got, _ := r.doc.Find(`#f-method-registration`).Attr("checked"); got != "checked" && !r.doc.Find(`#f-method-registration[checked]`).Is("input") {
		t.Error("the chosen proof was not kept")
	}
	r = fx.do(t, asOther, http.MethodPost, "/account/claims", form, &testFile{"registration", "dkkd.pdf", []byte(tinyPDF)})
	if r.Code != http.StatusSeeOther {
		t.Fatalf("a PDF: status %d", r.Code)
	}
	claims, err := fx.store.ClaimsOf(context.Background(), models.Actor{UserID: fx.users[asOther].ID})
	if err != nil || len(claims) != 1 || claims[0].Method != models.ClaimByRegistration {
		t.Fatalf("claims: %+v %v", claims, err)
	}
	if !evidenceName.MatchString(claims[0].Evidence) {
		t.Fatalf("the scan is kept as %q", claims[0].Evidence)
	}
	if b, err := os.ReadFile(filepath.Join(fx.srv.dataDir, claims[0].Evidence)); err != nil || string(b) != tinyPDF {
		t.Errorf("the stored scan: %v", err)
	}
	r = fx.do(t, asOther, http.MethodPost, "/account/claims", url.Values{"firm": {fx.ids["{slugA}"]}, "method": {"phone"}}, nil)
	if r.Code != http.StatusUnprocessableEntity || r.doc.Find(`[id="f-method-error"]`).Length() != 1 {
		t.Errorf("a second waiting claim: status %d", r.Code)
	}
}

func TestProfileFormOffersListedWards(t *testing.T) {
	fx := newAuthzFixture(t)
	r := fx.as(t, "supplier of this firm").get("/en/account/firms/{firmA}/edit")
	expectStatus(t, r, http.StatusOK)
	if n := r.Doc.Find("datalist#wards option").Length(); n != len(fx.store.Reference().Wards) || n == 0 {
		t.Errorf("%d wards offered, %d listed", n, len(fx.store.Reference().Wards))
	}
	if list, _ := r.Doc.Find(`input[name$="ward"]`).First().Attr("list"); list != "wards" {
		t.Errorf("the ward input has list %q", list)
	}
}
