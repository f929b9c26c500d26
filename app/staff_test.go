package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
	"github.com/hanoi-cnht/portal/search"
)

// staffClient is a signed-in browser of one fixture account.
type staffClient struct {
	t     *testing.T
	fx    *authzFixture
	token string
	csrf  string
}

func (fx *authzFixture) as(t *testing.T, role string) *staffClient {
	t.Helper()
	token, sess, err := fx.store.CreateSession(context.Background(), fx.users[role], "127.0.0.1", "staff test", fx.srv.sessionLimits)
	if err != nil {
		t.Fatal(err)
	}
	return &staffClient{t: t, fx: fx, token: token, csrf: sess.CSRFToken}
}

func (cl *staffClient) do(req *http.Request) *uiResponse {
	cl.t.Helper()
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cl.token})
	rec := httptest.NewRecorder()
	cl.fx.srv.ServeHTTP(rec, req)
	body := rec.Body.String()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		cl.t.Fatal(err)
	}
	if rec.Code >= 500 {
		cl.t.Errorf("%s %s: status %d", req.Method, req.URL, rec.Code)
	}
	return &uiResponse{Status: rec.Code, Header: rec.Header(), Body: body, Doc: doc}
}

func (cl *staffClient) get(path string) *uiResponse {
	return cl.do(httptest.NewRequest(http.MethodGet, cl.fx.path(path), nil))
}

func (cl *staffClient) post(path string, form url.Values) *uiResponse {
	body := url.Values{csrfField: {cl.csrf}}
	for k, v := range form {
		body[k] = v
	}
	req := httptest.NewRequest(http.MethodPost, cl.fx.path(path), strings.NewReader(body.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return cl.do(req)
}

// upload sends a file as the import form does.
func (cl *staffClient) upload(path, filename string, data []byte) *uiResponse {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.WriteField(csrfField, cl.csrf)
	fw, err := w.CreateFormFile("file", filename)
	if err != nil {
		cl.t.Fatal(err)
	}
	fw.Write(data)
	w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return cl.do(req)
}

// path fills the fixture's ids into a path.
func (fx *authzFixture) path(p string) string {
	for k, v := range fx.ids {
		p = strings.ReplaceAll(p, k, v)
	}
	return p
}

func (fx *authzFixture) id(t *testing.T, name string) uint {
	t.Helper()
	var n uint
	if _, err := fmt.Sscan(fx.ids[name], &n); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return n
}

func expectStatus(t *testing.T, r *uiResponse, want int) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("status %d, want %d; body:\n%.2000s", r.Status, want, r.Body)
	}
}

func TestStaffImportPreviewAndApply(t *testing.T) {
	fx := newAuthzFixture(t)
	staff := fx.as(t, "staff")
	sector := fx.store.Reference().TermsOfKind(models.KindSector)[0]

	t.Run("ProblemsByRowAndColumn", func(t *testing.T) {
		bad := "tax_code,name_vi,sectors,district,employees\n" +
			"0101234567,Công ty TNHH Cơ khí An Phú,," + sector.LabelVI + ",017,12\n" +
			"01234,Công ty mã số thuế sai," + sector.LabelVI + ",017,10\n" +
			"0109999999,Công ty C," + sector.LabelVI + ",017,abc\n"
		r := staff.upload("/en/staff/import", "firms.csv", []byte(bad))
		expectStatus(t, r, http.StatusUnprocessableEntity)
		found := map[string]bool{}
		r.Doc.Find("#problems tbody tr").Each(func(_ int, s *goquery.Selection) {
			found[strings.TrimSpace(s.Find(".row").Text())+"/"+strings.TrimSpace(s.Find(".column").Text())] = true
		})
		for _, want := range []string{"3/tax_code", "4/employees"} {
			if !found[want] {
				t.Errorf("no problem at row/column %s; found %v", want, found)
			}
		}
		if r.Doc.Find(`input[name=stored]`).Length() != 0 {
			t.Error("a file with problems can be applied")
		}
		if left, _ := os.ReadDir(filepath.Join(fx.srv.dataDir, "imports")); len(left) != 0 {
			t.Errorf("a refused file was kept: %v", left)
		}
	})

	t.Run("PreviewThenApply", func(t *testing.T) {
		good := "tax_code,name_vi,sectors,district,employees\n" +
			"0101234567,Công ty TNHH Cơ khí An Phú Mới," + sector.LabelVI + ",017,120\n" +
			"0109999999,Công ty TNHH Khuôn mẫu Sao Mai," + sector.LabelVI + ",017,40\n"
		r := staff.upload("/staff/import", "firms.csv", []byte(good))
		expectStatus(t, r, http.StatusOK)
		for id, want := range map[string]string{"#created": "1", "#updated": "1", "#unchanged": "0"} {
			if got := strings.TrimSpace(r.Doc.Find(id).Text()); got != want {
				t.Errorf("%s = %q, want %q", id, got, want)
			}
		}
		diff := r.Doc.Find(`table.diff[data-tax-code="0101234567"]`)
		if !strings.Contains(diff.Text(), "Công ty TNHH Cơ khí An Phú Mới") || !strings.Contains(diff.Text(), "name_vi") {
			t.Errorf("the diff of the updated firm is missing: %q", diff.Text())
		}
		stored, _ := r.Doc.Find(`input[name=stored]`).Attr("value")
		if !storedImport.MatchString(stored) {
			t.Fatalf("stored file name %q", stored)
		}
		path := filepath.Join(fx.srv.dataDir, "imports", stored)
		if _, err := os.Stat(path); err != nil {
			t.Fatalf("the previewed file is not kept: %v", err)
		}
		if f, _ := fx.store.FirmByTaxCode(context.Background(), "0109999999"); f != nil {
			t.Fatal("the preview wrote a firm")
		}

		r = staff.post("/staff/import/apply", url.Values{"stored": {stored}})
		expectStatus(t, r, http.StatusOK)
		link, ok := r.Doc.Find(`a[href*="/staff/audit?correlation="]`).Attr("href")
		if !ok {
			t.Fatal("no link to the audit log of the import")
		}
		u, _ := url.Parse(link)
		correlation := u.Query().Get("correlation")
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("the applied file was not removed: %v", err)
		}
		ctx := context.Background()
		created, err := fx.store.FirmByTaxCode(ctx, "0109999999")
		if err != nil {
			t.Fatal(err)
		}
		events, err := fx.store.AuditEvents(ctx, models.SystemActor("test"), store.AuditFilter{CorrelationID: correlation})
		if err != nil {
			t.Fatal(err)
		}
		firms := map[uint]bool{}
		for _, ev := range events {
			if ev.FirmID != nil {
				firms[*ev.FirmID] = true
			}
			if ev.ActorID == nil || *ev.ActorID != fx.users["staff"].ID {
				t.Errorf("event %d is not by the staff account: %+v", ev.ID, ev.ActorID)
			}
		}
		if !firms[fx.id(t, "{firmA}")] || !firms[created.ID] || len(firms) != 2 {
			t.Errorf("firms audited under %s: %v", correlation, firms)
		}
		audit := staff.get("/staff/audit?correlation=" + url.QueryEscape(correlation))
		expectStatus(t, audit, http.StatusOK)
		if n := audit.Doc.Find("table.audit tbody tr").Length(); n != len(events) {
			t.Errorf("the audit page lists %d events of the import, want %d", n, len(events))
		}

		again := staff.post("/staff/import/apply", url.Values{"stored": {stored}})
		expectStatus(t, again, http.StatusUnprocessableEntity)
	})
}

// bombXLSX is a workbook whose one part unpacks a thousand times larger than it is stored.
func bombXLSX(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for name, data := range map[string][]byte{
		"[Content_Types].xml":        []byte(`<?xml version="1.0"?><Types/>`),
		"xl/workbook.xml":            []byte(`<?xml version="1.0"?><workbook/>`),
		"xl/worksheets/sheet1.xml":   bytes.Repeat([]byte{' '}, 16<<20),
		"xl/_rels/workbook.xml.rels": []byte(`<?xml version="1.0"?><Relationships/>`),
	} {
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		f.Write(data)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestStaffImportRefusesHostileFiles(t *testing.T) {
	fx := newAuthzFixture(t)
	staff := fx.as(t, "staff")
	elf := append([]byte("\x7fELF\x02\x01\x01\x00"), bytes.Repeat([]byte{0}, 512)...)
	for _, tc := range []struct {
		name, filename string
		data           []byte
	}{
		{"ZipBomb", "firms.xlsx", bombXLSX(t)},
		{"ExecutableAsCSV", "firms.csv", elf},
		{"ExecutableAsXLSX", "firms.xlsx", elf},
		{"Executable", "setup.exe", elf},
		{"Empty", "firms.csv", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := staff.upload("/en/staff/import", tc.filename, tc.data)
			expectStatus(t, r, http.StatusUnprocessableEntity)
			field := r.Doc.Find(".field-error").Has("#f-file")
			if strings.TrimSpace(field.Find("#f-file-error").Text()) == "" {
				t.Errorf("no error beside the file field:\n%.1500s", r.Body)
			}
			if v, _ := r.Doc.Find("#f-file").Attr("aria-invalid"); v != "true" {
				t.Error("the file field is not marked invalid")
			}
		})
	}
	if left, _ := os.ReadDir(filepath.Join(fx.srv.dataDir, "imports")); len(left) != 0 {
		t.Errorf("refused files were kept: %d", len(left))
	}
}

func TestStaffAuditCSV(t *testing.T) {
	fx := newAuthzFixture(t)
	admin := fx.as(t, "admin")
	r := admin.post("/staff/accounts/{user0}/disable", url.Values{"reason": {`=HYPERLINK("http://evil.example","click")`}})
	expectStatus(t, r, http.StatusSeeOther)
	req := httptest.NewRequest(http.MethodGet, "/staff/audit.csv?action=user.disable", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: admin.token})
	rec := httptest.NewRecorder()
	fx.srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("content type %q", ct)
	}
	if cd := rec.Header().Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
		t.Errorf("content disposition %q", cd)
	}
	body := rec.Body.Bytes()
	if !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) {
		t.Fatal("no byte order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0][0] != "id" {
		t.Fatalf("rows: %q", rows)
	}
	head := map[string]int{}
	for i, h := range rows[0] {
		head[h] = i
	}
	row := rows[1]
	if row[head["action"]] != "user.disable" || row[head["entity_id"]] != fx.ids["{user0}"] {
		t.Errorf("row: %q", row)
	}
	if got := row[head["reason"]]; got != `'=HYPERLINK("http://evil.example","click")` {
		t.Errorf("the formula was not neutralised: %q", got)
	}
	for _, cell := range row {
		if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
			t.Errorf("cell %q starts a formula", cell)
		}
	}

	t.Run("FilteredByFirmAndDate", func(t *testing.T) {
		today := time.Now().In(models.Hanoi).Format(time.DateOnly)
		r := admin.get("/en/staff/audit?firm={firmA}&from=" + today + "&until=" + today)
		expectStatus(t, r, http.StatusOK)
		if r.Doc.Find("table.audit tbody tr").Length() == 0 {
			t.Error("the firm's events of today are not listed")
		}
		r = admin.get("/en/staff/firms/{firmA}/history")
		expectStatus(t, r, http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != "/en/staff/audit?firm="+fx.ids["{firmA}"] {
			t.Errorf("history goes to %q", loc)
		}
	})
}

func TestStaffVerifiesCertificateFromQueue(t *testing.T) {
	fx := newAuthzFixture(t)
	ctx := context.Background()
	certID := fx.id(t, "{certA}")
	scan, err := fx.store.AddScan(ctx, models.SystemActor("test"), certID, models.CertificateScan{StoredName: "scan.pdf",
		OriginalName: "iso9001.pdf", ContentType: "application/pdf", Size: 2048})
	if err != nil {
		t.Fatal(err)
	}
	staff := fx.as(t, "staff")
	q := staff.get("/en/staff/queue?kind=certificate")
	expectStatus(t, q, http.StatusOK)
	item := q.Doc.Find(fmt.Sprintf("#cert-%d", certID))
	if item.Length() != 1 {
		t.Fatalf("the certificate is not in the queue:\n%.3000s", q.Body)
	}
	if href, _ := item.Find(`a[href$="/account/scans/` + fmt.Sprint(scan.ID) + `"]`).Attr("href"); href == "" {
		t.Error("the scan is not linked")
	}
	action, _ := item.Find("form").Attr("action")

	refused := staff.post(action, url.Values{"decision": {"verify"}})
	expectStatus(t, refused, http.StatusUnprocessableEntity)
	if refused.Doc.Find(fmt.Sprintf("#f-cert-%d-method-error", certID)).Length() != 1 {
		t.Error("verifying without a method is not refused beside the method")
	}

	r := staff.post(action, url.Values{"decision": {"verify"}, "method": {"register"}, "note": {"Checked on the BoA register."}})
	expectStatus(t, r, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); !strings.Contains(loc, "done=certificate_decided") {
		t.Errorf("redirect to %q", loc)
	}
	page := uiGet(t, fx.srv, "/en/suppliers/"+fx.ids["{slugA}"])
	cert := page.Doc.Find(".cert-verified")
	if cert.Length() == 0 {
		t.Fatal("the certificate is not shown as verified")
	}
	want := "Verified by the Department on " + formatDate("en", time.Now())
	if got := strings.TrimSpace(cert.Text()); !strings.Contains(got, want) {
		t.Errorf("the verified certificate says %q, want %q", got, want)
	}
	if q := staff.get("/staff/queue?kind=certificate"); q.Doc.Find(fmt.Sprintf("#cert-%d", certID)).Length() != 0 {
		t.Error("the decided certificate still waits")
	}
}

func TestStaffDecidesClaim(t *testing.T) {
	fx := newAuthzFixture(t)
	ctx := context.Background()
	staff := fx.as(t, "staff")
	home := staff.get("/staff")
	expectStatus(t, home, http.StatusOK)
	if got := strings.TrimSpace(home.Doc.Find(`tr[data-kind="claim"] .count`).Text()); got != "1" {
		t.Errorf("claims waiting = %q, want 1", got)
	}

	r := staff.post("/staff/claims/{claimA}", url.Values{"decision": {"reject"}, "reason": {"   "}})
	expectStatus(t, r, http.StatusUnprocessableEntity)
	if r.Doc.Find("#f-claim-"+fx.ids["{claimA}"]+"-reason-error").Length() != 1 {
		t.Error("a rejection without a reason is not refused beside the reason")
	}

	r = staff.post("/staff/claims/{claimA}?kind=claim", url.Values{"decision": {"approve"}})
	expectStatus(t, r, http.StatusSeeOther)
	applicant := fx.users["applicant"]
	a, err := fx.store.ActorFor(ctx, applicant, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := a.Firms[fx.id(t, "{firmA}")]; !ok {
		t.Errorf("the applicant is not a member of the firm: %v", a.Firms)
	}
	mails, err := fx.store.DueMails(ctx, time.Now().Add(time.Hour), 50)
	if err != nil {
		t.Fatal(err)
	}
	told := false
	for _, m := range mails {
		told = told || m.Recipient == applicant.Email
	}
	if !told {
		t.Error("the applicant was not told")
	}
	again := staff.post("/staff/claims/{claimA}", url.Values{"decision": {"approve"}})
	if again.Status != http.StatusUnprocessableEntity && again.Status != http.StatusConflict {
		t.Errorf("deciding twice: status %d", again.Status)
	}
}

func TestStaffReviewsProfileEdit(t *testing.T) {
	fx := newAuthzFixture(t)
	ctx := context.Background()
	firmA := fx.id(t, "{firmA}")
	owner, _ := fx.store.ActorFor(ctx, fx.users["supplier of this firm"], "")
	f, _ := fx.store.FirmByID(ctx, firmA)
	p := models.ProfileUpdateOf(f)
	p.NameEN = "An Phu Mechanical"
	if _, err := fx.store.UpdateProfile(ctx, owner, firmA, p); err != nil {
		t.Fatal(err)
	}
	staff := fx.as(t, "staff")
	q := staff.get("/staff/queue?kind=edit")
	item := q.Doc.Find(fmt.Sprintf("#firm-%d", firmA))
	if !strings.Contains(item.Find("table.diff").Text(), "An Phu Mechanical") {
		t.Fatalf("the edit is not shown as a diff:\n%.3000s", q.Body)
	}
	r := staff.post("/staff/firms/{firmA}/review", url.Values{"decision": {"changes"}})
	expectStatus(t, r, http.StatusUnprocessableEntity)
	r = staff.post("/staff/firms/{firmA}/review", url.Values{"decision": {"verify"}})
	expectStatus(t, r, http.StatusSeeOther)
	f, _ = fx.store.FirmByID(ctx, firmA)
	if f.VerifiedAt == nil {
		t.Error("the profile is not verified")
	}
	if q := staff.get("/staff/queue?kind=edit"); q.Doc.Find(fmt.Sprintf("#firm-%d", firmA)).Length() != 0 {
		t.Error("the reviewed edit still waits")
	}
}

func TestAdminInvitesAccount(t *testing.T) {
	fx := newAuthzFixture(t)
	admin := fx.as(t, "admin")
	woken := 0
	fx.srv.wakeMail = func() { woken++ }
	r := admin.post("/staff/accounts/invite", url.Values{"email": {"Lan.Nguyen@SoCongThuong.Hanoi.gov.vn"}, "name": {"Nguyễn Thị Lan"},
		"role": {"staff"}, "lang": {"vi"}})
	expectStatus(t, r, http.StatusSeeOther)
	if woken != 1 {
		t.Errorf("the mail worker was woken %d times", woken)
	}
	ctx := context.Background()
	u, err := fx.store.UserByEmail(ctx, "lan.nguyen@socongthuong.hanoi.gov.vn")
	if err != nil {
		t.Fatal(err)
	}
	if u.Role != models.RoleStaff || u.PasswordHash != "" {
		t.Errorf("invited account: %+v", u)
	}
	mails, err := fx.store.DueMails(ctx, time.Now().Add(time.Hour), 50)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range mails {
		if m.Recipient == u.Email && strings.Contains(m.Body, "/password/reset?token=") {
			found = true
		}
	}
	if !found {
		t.Errorf("no invitation mail queued: %+v", mails)
	}
	page := admin.get("/en/staff/accounts")
	if row := page.Doc.Find(`tr[data-email="` + u.Email + `"]`); !strings.Contains(row.Find(".state").Text(), "not confirmed") {
		t.Errorf("the invited account's state: %q", row.Text())
	}
	if sel := page.Doc.Find(`tr[data-email="` + u.Email + `"] select[name=role] option[selected]`); sel.AttrOr("value", "") != "staff" {
		t.Errorf("the role form does not start from the account's role: %q", sel.AttrOr("value", ""))
	}
	dup := admin.post("/staff/accounts/invite", url.Values{"email": {u.Email}, "name": {"Lan"}, "role": {"staff"}})
	expectStatus(t, dup, http.StatusUnprocessableEntity)
	if dup.Doc.Find("#f-invite-email-error").Length() != 1 {
		t.Error("a taken address is not refused beside the e-mail")
	}
}

func TestStaffTermEditReindexes(t *testing.T) {
	fx := newAuthzFixture(t)
	ctx := context.Background()
	term := fx.ids["{term}"]
	staff := fx.as(t, "staff")
	form := staff.get("/staff/taxonomy/" + term)
	expectStatus(t, form, http.StatusOK)
	labelVI, _ := form.Doc.Find("#f-label_vi").Attr("value")
	labelEN, _ := form.Doc.Find("#f-label_en").Attr("value")
	synVI := form.Doc.Find("#f-synonyms_vi").Text()
	r := staff.post("/staff/taxonomy/"+term, url.Values{"label_vi": {labelVI}, "label_en": {labelEN},
		"synonyms_vi": {synVI + "\r\nkhuôn zyxwvut\r\n"}, "synonyms_en": {"zyxwvut moulds"}})
	expectStatus(t, r, http.StatusSeeOther)
	fx.srv.reindex.wait()

	events, err := fx.store.AuditEvents(ctx, models.SystemActor("test"), store.AuditFilter{EntityType: "term", EntityID: term})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 || events[0].Action != "term.update" {
		t.Fatalf("audit: %+v", events)
	}
	fields := map[string]models.FieldChange{}
	for _, ch := range events[0].Changes {
		fields[ch.Field] = ch
	}
	if ch := fields["synonyms_vi"]; !strings.Contains(ch.New, "khuôn zyxwvut") || strings.Contains(ch.Old, "zyxwvut") {
		t.Errorf("synonyms_vi change: %+v", ch)
	}
	if _, ok := fields["label_vi"]; ok {
		t.Error("an unchanged label is in the diff")
	}
	if syn := fx.store.Reference(); !strings.Contains(strings.Join(mustTerm(t, syn, term).SynonymsEN, "|"), "zyxwvut moulds") {
		t.Error("the reference data in force was not reloaded")
	}
	res, err := fx.srv.index.Search(ctx, search.Query{Text: "zyxwvut", Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total == 0 {
		t.Error("the rebuilt index does not know the new synonym")
	}

	t.Run("RebuildingNotice", func(t *testing.T) {
		fx.srv.reindex.running = true
		defer func() { fx.srv.reindex.running = false }()
		if staff.get("/en/staff/taxonomy").Doc.Find("#rebuilding").Length() != 1 {
			t.Error("no notice while the index is rebuilt")
		}
	})
}

func mustTerm(t *testing.T, ref *models.Reference, code string) models.Term {
	t.Helper()
	term, ok := ref.Term(code)
	if !ok {
		t.Fatalf("no term %s", code)
	}
	return term
}

func TestStaffReferenceEdits(t *testing.T) {
	fx := newAuthzFixture(t)
	staff := fx.as(t, "staff")
	zone := fx.ids["{zone}"]
	r := staff.post("/staff/reference/zones/"+zone, url.Values{"name_vi": {"KCN Thăng Long (mở rộng)"}, "name_en": {"Thang Long IP"},
		"districts": {"017, Gia Lâm"}, "status": {"operating"}, "note": {"checked 2026"}})
	expectStatus(t, r, http.StatusSeeOther)
	fx.srv.reindex.wait()
	z, _ := fx.store.Reference().Zone(zone)
	if z.NameVI != "KCN Thăng Long (mở rộng)" || len(z.Districts) != 2 {
		t.Errorf("zone after the edit: %+v", z)
	}
	corridor := fx.ids["{corridor}"]
	r = staff.post("/staff/reference/corridors/"+corridor, url.Values{"label_vi": {"Hành lang thử"}, "districts": {"017"}})
	expectStatus(t, r, http.StatusSeeOther)
	fx.srv.reindex.wait()
	if got := corridorDistricts(fx.store.Reference(), corridor); len(got) != 1 || got[0] != "017" {
		t.Errorf("the corridor's districts: %v", got)
	}
	events, _ := fx.store.AuditEvents(context.Background(), models.SystemActor("test"), store.AuditFilter{EntityType: "corridor"})
	if len(events) != 1 {
		t.Errorf("corridor edits audited: %d", len(events))
	}
}

// TestStaffFormsRefuseHostileInput sends every staff form values it must refuse: control
// characters, invalid UTF-8, overlong text, unknown choices. Each is answered with field
// errors, never a server error.
func TestStaffFormsRefuseHostileInput(t *testing.T) {
	fx := newAuthzFixture(t)
	ctx := context.Background()
	// A scan and an edit put the certificate and the firm in the queue, beside the claim.
	if _, err := fx.store.AddScan(ctx, models.SystemActor("test"), fx.id(t, "{certA}"), models.CertificateScan{StoredName: "s.pdf",
		OriginalName: "s.pdf", ContentType: "application/pdf", Size: 10}); err != nil {
		t.Fatal(err)
	}
	owner, _ := fx.store.ActorFor(ctx, fx.users["supplier of this firm"], "")
	f, _ := fx.store.FirmByID(ctx, fx.id(t, "{firmA}"))
	p := models.ProfileUpdateOf(f)
	p.NameEN = "An Phu"
	if _, err := fx.store.UpdateProfile(ctx, owner, f.ID, p); err != nil {
		t.Fatal(err)
	}
	admin := fx.as(t, "admin")
	long := strings.Repeat("ư", 5000)
	nul, bad := "a\x00b", "\xff\xfe"
	for _, tc := range []struct {
		name, path string
		form       url.Values
		field      string // the id of the field whose error must show
	}{
		{"ClaimDecision", "/staff/claims/{claimA}", url.Values{"decision": {"<script>"}}, "f-claim-{claimA}-decision"},
		{"ClaimReasonControl", "/staff/claims/{claimA}", url.Values{"decision": {"reject"}, "reason": {nul}}, "f-claim-{claimA}-reason"},
		{"ClaimReasonLong", "/staff/claims/{claimA}", url.Values{"decision": {"reject"}, "reason": {long}}, "f-claim-{claimA}-reason"},
		{"CertificateAction", "/staff/certificates/{certA}", url.Values{"decision": {"delete"}}, "f-cert-{certA}-decision"},
		{"CertificateMethod", "/staff/certificates/{certA}", url.Values{"decision": {"verify"}, "method": {"'; DROP TABLE"}}, "f-cert-{certA}-method"},
		{"CertificateNote", "/staff/certificates/{certA}", url.Values{"decision": {"reject"}, "note": {bad}}, "f-cert-{certA}-note"},
		{"ReviewDecision", "/staff/firms/{firmA}/review", url.Values{"decision": {"x"}}, "f-firm-{firmA}-decision"},
		{"ReviewReason", "/staff/firms/{firmA}/review", url.Values{"decision": {"changes"}, "reason": {long}}, "f-firm-{firmA}-reason"},
		{"InviteEmail", "/staff/accounts/invite", url.Values{"email": {"not an address\r\nBcc: x@y.z"}, "name": {"A"}, "role": {"staff"}}, "f-invite-email"},
		{"InviteName", "/staff/accounts/invite", url.Values{"email": {"a@example.com"}, "name": {nul}, "role": {"staff"}}, "f-invite-name"},
		{"InviteRole", "/staff/accounts/invite", url.Values{"email": {"a@example.com"}, "name": {"A"}, "role": {"root"}}, "f-invite-role"},
		{"Role", "/staff/accounts/{user0}/role", url.Values{"role": {"superuser"}}, "f-user-{user0}-role"},
		{"LastAdmin", "/staff/accounts/{user4}/role", url.Values{"role": {"buyer"}}, "f-user-{user4}-role"},
		{"DisableReason", "/staff/accounts/{user0}/disable", url.Values{"reason": {bad}}, "f-user-{user0}-reason"},
		{"DisableSelf", "/staff/accounts/{user4}/disable", url.Values{"reason": {"testing"}}, "f-user-{user4}-reason"},
		{"TermLabel", "/staff/taxonomy/{term}", url.Values{"label_vi": {""}, "label_en": {long}}, "f-label_vi"},
		{"TermSynonyms", "/staff/taxonomy/{term}", url.Values{"label_vi": {"A"}, "label_en": {"B"}, "synonyms_vi": {"ok\n" + nul}}, "f-synonyms_vi"},
		{"ZoneDistricts", "/staff/reference/zones/{zone}", url.Values{"name_vi": {"KCN"}, "districts": {"Atlantis"}}, "f-districts"},
		{"ZoneNote", "/staff/reference/zones/{zone}", url.Values{"name_vi": {"KCN"}, "note": {bad}}, "f-note"},
		{"CorridorName", "/staff/reference/corridors/{corridor}", url.Values{"label_vi": {nul}}, "f-label_vi"},
		{"ImportStored", "/staff/import/apply", url.Values{"stored": {"../../etc/passwd"}}, "f-file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := admin.post(tc.path, tc.form)
			if r.Status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422:\n%.2000s", r.Status, r.Body)
			}
			id := fx.path(tc.field)
			if r.Doc.Find("#"+id+"-error").Length() != 1 {
				t.Errorf("no error beside #%s:\n%.3000s", id, r.Body)
			}
			if r.Doc.Find(".error-summary a[href='#"+id+"']").Length() != 1 {
				t.Errorf("the error summary does not link to #%s", id)
			}
		})
	}
	for _, q := range []string{"firm=abc", "actor=-1", "from=2026-13-45", "until=yesterday", "correlation=%01x", "action=" + strings.Repeat("a", 300)} {
		t.Run("Audit "+q, func(t *testing.T) {
			for _, p := range []string{"/staff/audit?", "/staff/audit.csv?"} {
				r := admin.get(p + q)
				if r.Status != http.StatusBadRequest || r.Doc.Find(".error-message").Length() == 0 {
					t.Errorf("%s%s: status %d, errors %d", p, q, r.Status, r.Doc.Find(".error-message").Length())
				}
			}
		})
	}
}

func TestStaffApprovesProposedFirm(t *testing.T) {
	fx := newAuthzFixture(t)
	ctx := context.Background()
	applicant, _ := fx.store.ActorFor(ctx, fx.users["supplier of another firm"], "")
	c, err := fx.store.ProposeFirm(ctx, applicant, &models.Firm{TaxCode: "0105556667", NameVI: "Công ty TNHH Linh kiện Mới",
		Website: "https://linhkienmoi.example.vn"}, "Xin bổ sung")
	if err != nil {
		t.Fatal(err)
	}
	staff := fx.as(t, "staff")
	q := staff.get("/en/staff/queue?kind=proposal")
	item := q.Doc.Find(fmt.Sprintf("#claim-%d", c.ID))
	if !strings.Contains(item.Text(), "0105556667") || !strings.Contains(item.Text(), "linhkienmoi.example.vn") {
		t.Fatalf("the proposal is not shown with its facts:\n%.3000s", q.Body)
	}
	action, _ := item.Find("form").Attr("action")
	r := staff.post(action, url.Values{"decision": {"approve"}})
	expectStatus(t, r, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); loc != "/en/staff/queue?kind=proposal&done=claim_decided" {
		t.Errorf("redirect to %q", loc)
	}
	if _, err := fx.store.FirmByTaxCode(ctx, "0105556667"); err != nil {
		t.Fatalf("the approved firm is not listed: %v", err)
	}
}

func TestStaffRevokesVerifiedCertificate(t *testing.T) {
	fx := newAuthzFixture(t)
	ctx := context.Background()
	certID := fx.id(t, "{certA}")
	if err := fx.store.DecideCertificate(ctx, models.SystemActor("test"), certID,
		models.CertificateDecision{Action: "verify", Method: "original"}); err != nil {
		t.Fatal(err)
	}
	staff := fx.as(t, "staff")
	page := staff.get("/en/staff/firms/{firmA}")
	expectStatus(t, page, http.StatusOK)
	item := page.Doc.Find(fmt.Sprintf("#cert-%d", certID))
	if state, _ := item.Attr("data-state"); state != "verified" {
		t.Fatalf("the certificate's state is %q:\n%.3000s", state, page.Body)
	}
	action, _ := item.Find("form").Attr("action")

	refused := staff.post(action, url.Values{"decision": {"revoke"}})
	expectStatus(t, refused, http.StatusUnprocessableEntity)
	if refused.Doc.Find(fmt.Sprintf("#f-cert-%d-note-error", certID)).Length() != 1 {
		t.Errorf("a revocation without a reason is not refused beside the note:\n%.3000s", refused.Body)
	}

	r := staff.post(action, url.Values{"decision": {"revoke"}, "note": {"The certification body withdrew it."}})
	expectStatus(t, r, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); loc != "/en/staff/firms/"+fx.ids["{firmA}"]+"?done=certificate_decided" {
		t.Errorf("redirect to %q", loc)
	}
	public := uiGet(t, fx.srv, "/en/suppliers/"+fx.ids["{slugA}"])
	if public.Doc.Find(".cert-verified").Length() != 0 {
		t.Error("the revoked certificate still shows as verified")
	}
}

func TestStaffExport(t *testing.T) {
	fx := newAuthzFixture(t)
	staff := fx.as(t, "staff")
	for _, tc := range []struct {
		format, ctype, starts string
	}{
		{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK\x03\x04"},
		{"csv", "text/csv; charset=utf-8", ""},
	} {
		t.Run(tc.format, func(t *testing.T) {
			r := staff.get("/staff/export?format=" + tc.format)
			expectStatus(t, r, http.StatusOK)
			if ct := r.Header.Get("Content-Type"); ct != tc.ctype {
				t.Errorf("content type %q", ct)
			}
			if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, "."+tc.format) {
				t.Errorf("content disposition %q", cd)
			}
			if !strings.HasPrefix(r.Body, tc.starts) {
				t.Errorf("the file starts %q", r.Body[:min(8, len(r.Body))])
			}
			if tc.format == "csv" && (!strings.Contains(r.Body, "0101234567") || !strings.Contains(r.Body, "0107654321")) {
				t.Error("the export misses a firm")
			}
		})
	}
	if r := staff.get("/staff/export?format=pdf"); r.Status != http.StatusBadRequest {
		t.Errorf("an unknown format: status %d", r.Status)
	}
}

// TestIndexRebuildCoalesces: edits made while a rebuild runs ask for one more rebuild, not one
// each, and the last edit is always indexed.
func TestIndexRebuildCoalesces(t *testing.T) {
	var r indexRebuild
	entered, release := make(chan struct{}), make(chan struct{})
	runs := 0
	rebuild := func(context.Context) error {
		runs++
		entered <- struct{}{}
		<-release
		return nil
	}
	r.start(rebuild)
	<-entered
	if !r.isRunning() {
		t.Fatal("not running during a rebuild")
	}
	r.start(rebuild)
	r.start(rebuild)
	release <- struct{}{}
	<-entered
	release <- struct{}{}
	r.wait()
	if runs != 2 {
		t.Errorf("%d rebuilds, want 2", runs)
	}
	if r.isRunning() {
		t.Error("still running after the rebuilds ended")
	}
}
