package main

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/hanoi-cnht/portal/models"
)

const tinySTEP = "ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('bracket'),'2;1');\nFILE_NAME('bracket.step','2026-03-02',(''),(''),'','','');\n" +
	"FILE_SCHEMA(('AUTOMOTIVE_DESIGN'));\nENDSEC;\nDATA;\n#1=CARTESIAN_POINT('',(0.,0.,0.));\nENDSEC;\nEND-ISO-10303-21;\n"

func init() {
	authzTables["rfq_files"] = map[string]authzCase{
		// The thread is the buyer's with firm A, neither reported nor forwarded: staff find nothing.
		"GET /account/threads/:thread/files/:file": {Path: "/account/threads/{threadFiles}/files/{fileA}", Want: "laannn"},
	}
	authzSetups = append(authzSetups, func(ctx context.Context, fx *authzFixture) error {
		buyer, err := fx.store.ActorFor(ctx, fx.users["buyer"], "")
		if err != nil {
			return err
		}
		files, err := storeTestAttachments(fx, "ban-ve.pdf")
		if err != nil {
			return err
		}
		var firmA uint
		fmt.Sscan(fx.ids["{firmA}"], &firmA)
		r, err := fx.store.SendRFQ(ctx, buyer, models.RFQInput{Title: "Khuôn dập", Description: "Bản vẽ kèm theo",
			FirmIDs: []uint{firmA}, Files: files})
		if err != nil {
			return err
		}
		sum, err := fx.store.RFQ(ctx, buyer, r.ID)
		if err != nil {
			return err
		}
		fx.ids["{threadFiles}"] = itoa(int(sum.Threads[0].Thread.ID))
		fx.ids["{fileA}"] = itoa(int(sum.Files[0].ID))
		return nil
	})
}

// storeTestAttachments keeps small PDFs under rfq-files/, as an upload would, and returns their
// rows.
func storeTestAttachments(fx *authzFixture, names ...string) ([]models.RFQFile, error) {
	var out []checkedFile
	for _, n := range names {
		out = append(out, checkedFile{kind: 1, data: []byte(tinyPDF), name: n})
	}
	return fx.srv.keepAttachments(out)
}

// sentFile is a file a test attaches to a form.
type sentFile struct {
	name string
	data []byte
}

// postFiles sends a form with files in field, as a browser sends a form of enctype
// multipart/form-data.
func (cl *staffClient) postFiles(path string, form url.Values, field string, files ...sentFile) *uiResponse {
	cl.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.WriteField(csrfField, cl.csrf)
	for k, vs := range form {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	for _, f := range files {
		fw, err := w.CreateFormFile(field, f.name)
		if err != nil {
			cl.t.Fatal(err)
		}
		fw.Write(f.data)
	}
	w.Close()
	req := httptest.NewRequest(http.MethodPost, cl.fx.path(path), &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return cl.do(req)
}

// storedRFQFiles lists the files under rfq-files/ of the fixture's data directory.
func storedRFQFiles(t *testing.T, fx *authzFixture) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(fx.srv.dataDir, models.RFQFileDir))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, models.RFQFileDir+"/"+e.Name())
	}
	return out
}

// fileLinksOn lists the attachment links of a page: name → address.
func fileLinksOn(r *uiResponse, scope string) map[string]string {
	out := map[string]string{}
	r.Doc.Find(scope + ` .rfq-files a`).Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		out[a.Text()] = href
	})
	return out
}

// TestRFQAttachments: a buyer attaches drawings to an RFQ to two firms, each firm reads them in
// its thread, one firm quotes with a file of its own that only the buyer and that firm can
// read; names are shown escaped and the files stored under random names.
func TestRFQAttachments(t *testing.T) {
	fx := newAuthzFixture(t)
	before := len(storedRFQFiles(t, fx))
	buyer := fx.as(t, "buyer")
	firmA, firmB := fx.firm(t, "{firmA}"), fx.firm(t, "{firmB}")

	form := buyer.get("/en/account/rfqs/new?firm=" + itoa(int(firmA.ID)) + "&firm=" + itoa(int(firmB.ID)))
	expectStatus(t, form, http.StatusOK)
	if enc, _ := form.Doc.Find("form.rfq-form").Attr("enctype"); enc != "multipart/form-data" {
		t.Fatalf("the RFQ form's enctype is %q", enc)
	}
	if form.Doc.Find(`input#f-attachments[type=file][multiple]`).Length() != 1 ||
		!strings.Contains(form.Doc.Find("#f-attachments-hint").Text(), "STEP, DXF or DWG") {
		t.Fatal("the RFQ form offers no attachments")
	}

	const evil = `..\..\<img src=x onerror=alert(1)>.step`
	sent := buyer.postFiles("/en/account/rfqs", url.Values{"firm": {itoa(int(firmA.ID)), itoa(int(firmB.ID))},
		"title": {"AC bracket"}, "description": {"SPCC 1.2 mm, zinc plated"}}, "attachments",
		sentFile{"bracket drawing.pdf", []byte(tinyPDF)}, sentFile{evil, []byte(tinySTEP)})
	expectStatus(t, sent, http.StatusSeeOther)
	stored := storedRFQFiles(t, fx)
	if len(stored) != before+2 {
		t.Fatalf("%d files stored, want %d", len(stored), before+2)
	}
	random := regexp.MustCompile(`^rfq-files/[0-9a-f]{32}\.(pdf|step)$`)
	for _, name := range stored {
		if !random.MatchString(name) {
			t.Errorf("stored as %s, not under a random name", name)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(fx.srv.dataDir), "<img src=x onerror=alert(1)>.step")); err == nil {
		t.Error("a file was written outside the data directory")
	}

	rfqPath := strings.SplitN(sent.Header.Get("Location"), "?", 2)[0]
	threads := fx.threadsOf(t, rfqPath)
	rfqPage := buyer.get(rfqPath)
	expectStatus(t, rfqPage, http.StatusOK)
	links := fileLinksOn(rfqPage, ".rfq-facts")
	shown := "<img src=x onerror=alert(1)>.step"
	if len(links) != 2 || links["bracket drawing.pdf"] == "" || links[shown] == "" {
		t.Fatalf("the RFQ page lists %v", links)
	}
	if strings.Contains(rfqPage.Body, "<img src=x") || !strings.Contains(rfqPage.Body, "&lt;img src=x onerror=alert(1)&gt;.step") {
		t.Error("the file's name is not escaped")
	}

	t.Run("BuyerDownloads", func(t *testing.T) {
		r := buyer.get(links["bracket drawing.pdf"])
		expectStatus(t, r, http.StatusOK)
		if r.Body != tinyPDF || r.Header.Get("Content-Type") != "application/pdf" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("download: %q, %v", r.Header.Get("Content-Type"), r.Header)
		}
		if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="bracket_drawing.pdf"; filename*=UTF-8''bracket%20drawing.pdf` {
			t.Errorf("Content-Disposition: %s", cd)
		}
		r = buyer.get(links[shown])
		expectStatus(t, r, http.StatusOK)
		cd := r.Header.Get("Content-Disposition")
		if r.Body != tinySTEP || r.Header.Get("Content-Type") != "model/step" || !strings.HasPrefix(cd, `attachment; filename="img_srcx_onerroralert1.step"; filename*=UTF-8''`) ||
			strings.ContainsAny(strings.TrimPrefix(cd, "attachment;"), `<>\`) {
			t.Errorf("download of the oddly named file: %s, %s", r.Header.Get("Content-Type"), cd)
		}
	})

	// Firm A reads the drawings in its thread and quotes with a file of its own.
	supplier := fx.as(t, "supplier of this firm")
	inbox := supplier.get("/account/firms/" + itoa(int(firmA.ID)) + "/inbox")
	threadA, _ := inbox.Doc.Find(`.rfq-answers a[href^="/account/threads/"]`).First().Attr("href")
	th := supplier.get(threadA)
	expectStatus(t, th, http.StatusOK)
	got := fileLinksOn(th, ".rfq-facts")
	if len(got) != 2 {
		t.Fatalf("firm A's thread lists %v", got)
	}
	expectStatus(t, supplier.get(got["bracket drawing.pdf"]), http.StatusOK)
	if enc, _ := th.Doc.Find(`#f-quote_files`).Closest("form").Attr("enctype"); enc != "multipart/form-data" {
		t.Fatalf("the quotation form's enctype is %q", enc)
	}
	q := supplier.postFiles(threadA, url.Values{"kind": {"quote"}, "price": {"9500"}, "currency": {"VND"}}, "quote_files",
		sentFile{"báo giá.pdf", []byte(tinyPDF)})
	expectStatus(t, q, http.StatusSeeOther)
	th = supplier.get(threadA)
	quoteFile := fileLinksOn(th, ".message-quote")["báo giá.pdf"]
	if quoteFile == "" {
		t.Fatalf("the quotation lists no file: %s", th.Doc.Find(".messages").Text())
	}
	r := buyer.get(quoteFile)
	expectStatus(t, r, http.StatusOK)
	if cd := r.Header.Get("Content-Disposition"); !strings.HasSuffix(cd, `filename*=UTF-8''b%C3%A1o%20gi%C3%A1.pdf`) {
		t.Errorf("Content-Disposition of a Vietnamese name: %s", cd)
	}

	t.Run("ErrOthersGetNothing", func(t *testing.T) {
		fx.users["another buyer"] = addAccount(t, fx, "mua2@honda.example", models.RoleBuyer)
		otherBuyer := fx.as(t, "another buyer")
		// Firm B's thread shows the request's drawings, not firm A's quotation.
		firmBThread := "/account/threads/" + threads[firmB.ID]
		for _, tc := range []struct {
			who  string
			cl   *staffClient
			path string
			want int
		}{
			{"another buyer", otherBuyer, quoteFile, http.StatusNotFound},
			{"another buyer, the drawing", otherBuyer, links["bracket drawing.pdf"], http.StatusNotFound},
			{"firm B, firm A's thread", fx.as(t, "supplier of another firm"), quoteFile, http.StatusNotFound},
			{"firm B, firm A's quotation through its own thread", fx.as(t, "supplier of another firm"),
				strings.Replace(quoteFile, "/threads/"+threads[firmA.ID]+"/", "/threads/"+threads[firmB.ID]+"/", 1), http.StatusNotFound},
			{"staff, the thread not reported", fx.as(t, "staff"), quoteFile, http.StatusNotFound},
			{"admin, the drawing", fx.as(t, "admin"), links[shown], http.StatusNotFound},
		} {
			if r := tc.cl.get(tc.path); r.Status != tc.want {
				t.Errorf("%s: %s answers %d, want %d", tc.who, tc.path, r.Status, tc.want)
			}
		}
		b := fx.as(t, "supplier of another firm").get(firmBThread)
		expectStatus(t, b, http.StatusOK)
		if got := fileLinksOn(b, ".thread"); len(got) != 2 || got["báo giá.pdf"] != "" {
			t.Errorf("firm B's thread lists %v", got)
		}
		if r := fx.as(t, "supplier of another firm").get(fileLinksOn(b, ".rfq-facts")["bracket drawing.pdf"]); r.Status != http.StatusOK {
			t.Errorf("firm B reads the request's drawing through its thread: %d", r.Status)
		}
	})
	t.Run("StaffReadReportedThread", func(t *testing.T) {
		expectStatus(t, supplier.post(threadA+"/report", url.Values{"reason": {"Thư rác"}}), http.StatusSeeOther)
		if r := fx.as(t, "staff").get(quoteFile); r.Status != http.StatusOK {
			t.Errorf("staff read a file of a reported thread: %d", r.Status)
		}
	})
}

// threadsOf gives the ids of the threads of the buyer's RFQ at rfqPath by firm.
func (fx *authzFixture) threadsOf(t *testing.T, rfqPath string) map[uint]string {
	t.Helper()
	ctx := context.Background()
	buyer, err := fx.store.ActorFor(ctx, fx.users["buyer"], "")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := fx.store.RFQ(ctx, buyer, uint(atoiT(t, rfqPath[strings.LastIndex(rfqPath, "/")+1:])))
	if err != nil {
		t.Fatal(err)
	}
	out := map[uint]string{}
	for _, th := range sum.Threads {
		out[th.Thread.FirmID] = itoa(int(th.Thread.ID))
	}
	return out
}

// TestRFQAttachmentsRefused: a file of the wrong type, too large, or too many files, is named
// in the page's language on the field, and nothing is stored or sent.
func TestRFQAttachmentsRefused(t *testing.T) {
	fx := newAuthzFixture(t)
	buyer := fx.as(t, "buyer")
	firmA := fx.firm(t, "{firmA}")
	before := len(storedRFQFiles(t, fx))
	exe := []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xffThis program cannot be run in DOS mode.")
	big := append([]byte(tinyPDF), bytes.Repeat([]byte(" "), models.MaxRFQFileBytes)...)
	half := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte(" "), models.MaxRFQFileBytes/2)...)
	half = append(half, "\n%%EOF\n"...)
	six := make([]sentFile, models.MaxRFQFiles+1)
	for i := range six {
		six[i] = sentFile{fmt.Sprintf("ban-ve-%d.pdf", i), []byte(tinyPDF)}
	}
	tests := []struct {
		name, lang string
		files      []sentFile
		want       []string
	}{
		{"ErrExecutableNamedPDF", "vi", []sentFile{{"ban-ve.pdf", []byte(tinyPDF)}, {"drawing.pdf", exe}},
			[]string{"drawing.pdf: Chỉ nhận tệp PDF, PNG, JPEG, STEP, DXF, DWG."}},
		{"ErrExecutableNamedPDFInEnglish", "en", []sentFile{{"drawing.pdf", exe}},
			[]string{"drawing.pdf: Only PDF, PNG, JPEG, STEP, DXF, DWG files are accepted."}},
		{"ErrExeExtension", "en", []sentFile{{"setup.exe", exe}}, []string{"setup.exe: Only PDF"}},
		{"ErrTextNamedDWG", "en", []sentFile{{"khuon.dwg", []byte("AC1015, trust me")}}, []string{"khuon.dwg: Only PDF"}},
		{"ErrSTEPNamedDXF", "vi", []sentFile{{"gia-do.dxf", []byte(tinySTEP)}},
			[]string{"gia-do.dxf: Nội dung tệp là STEP nhưng tên tệp kết thúc bằng .dxf."}},
		{"ErrTooLarge", "en", []sentFile{{"scan.pdf", big}}, []string{"scan.pdf: The file is too large (at most 10,485,760 bytes)."}},
		{"ErrTooLargeInVietnamese", "vi", []sentFile{{"scan.pdf", big}}, []string{"scan.pdf: Tệp quá lớn (tối đa 10.485.760 byte)."}},
		{"ErrTooMany", "en", six, []string{"Attach at most 5 files; you chose 6."}},
		{"ErrTooManyInVietnamese", "vi", six, []string{"Chỉ được đính kèm tối đa 5 tệp; bạn đã chọn 6 tệp."}},
		{"ErrTooLargeTogether", "en", []sentFile{{"a.pdf", half}, {"b.pdf", half}, {"c.pdf", half}, {"d.pdf", half}},
			[]string{"The files together are 20,481 KB; at most 20,480 KB go with one request."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := buyer.postFiles(localPath(tt.lang, "/account/rfqs"), url.Values{"firm": {itoa(int(firmA.ID))},
				"title": {"Khuôn"}, "description": {"Khuôn ép"}}, "attachments", tt.files...)
			expectStatus(t, r, http.StatusUnprocessableEntity)
			if r.Doc.Find(`#f-attachments[aria-invalid=true]`).Length() != 1 {
				t.Error("the attachments field is not marked")
			}
			msg := r.Doc.Find("#f-attachments-error").Text()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q; want it to say %q", msg, w)
				}
			}
			if !strings.Contains(r.Doc.Find(".error-summary").Text(), tt.want[0]) {
				t.Error("the summary does not name the problem")
			}
			if n := len(storedRFQFiles(t, fx)); n != before {
				t.Errorf("%d files stored after a refused request, want %d", n, before)
			}
		})
	}
	t.Run("ErrBodyBeyondTheLimit", func(t *testing.T) {
		five := []sentFile{{"a.pdf", half}, {"b.pdf", half}, {"c.pdf", half}, {"d.pdf", half}, {"e.pdf", half}}
		r := buyer.postFiles("/account/rfqs", url.Values{"firm": {itoa(int(firmA.ID))}, "title": {"Khuôn"}, "description": {"Khuôn ép"}},
			"attachments", five...)
		expectStatus(t, r, http.StatusRequestEntityTooLarge)
		if !strings.Contains(r.Doc.Find("main").Text(), "vượt giới hạn 20 MB") {
			t.Errorf("the page does not say why: %s", r.Doc.Find("main").Text())
		}
		if n := len(storedRFQFiles(t, fx)); n != before {
			t.Errorf("%d files stored, want %d", n, before)
		}
	})
	t.Run("ErrOtherFieldsNamedToo", func(t *testing.T) {
		r := buyer.postFiles("/en/account/rfqs", url.Values{"firm": {itoa(int(firmA.ID))}}, "attachments", sentFile{"x.pdf", exe})
		expectStatus(t, r, http.StatusUnprocessableEntity)
		for _, f := range []string{"title", "description", "attachments"} {
			if r.Doc.Find("#f-"+f+"[aria-invalid=true]").Length() != 1 {
				t.Errorf("%s is not marked", f)
			}
		}
	})
	t.Run("ErrStoreRefusesRemovesFiles", func(t *testing.T) {
		r := buyer.postFiles("/en/account/rfqs", url.Values{"firm": {itoa(int(firmA.ID))}, "title": {"Khuôn"}},
			"attachments", sentFile{"ban-ve.pdf", []byte(tinyPDF)})
		expectStatus(t, r, http.StatusUnprocessableEntity)
		if n := len(storedRFQFiles(t, fx)); n != before {
			t.Errorf("%d files stored after the store refused the request, want %d", n, before)
		}
	})
	t.Run("ErrQuotationFile", func(t *testing.T) {
		supplier := fx.as(t, "supplier of this firm")
		path := "/en/account/threads/{threadFiles}"
		r := supplier.postFiles(path, url.Values{"kind": {"quote"}, "price": {"100"}, "currency": {"USD"}}, "quote_files",
			sentFile{"quote.pdf", exe})
		expectStatus(t, r, http.StatusUnprocessableEntity)
		if r.Doc.Find(`#f-quote_files[aria-invalid=true]`).Length() != 1 || r.Doc.Find(`#f-message_files[aria-invalid=true]`).Length() != 0 ||
			!strings.Contains(r.Doc.Find("#f-quote_files-error").Text(), "quote.pdf: Only PDF") {
			t.Errorf("the quotation's file is not named on its field: %q", r.Doc.Find(".error-summary").Text())
		}
		if r.Doc.Find(`#f-price`).AttrOr("value", "") != "100" {
			t.Error("the quotation's other fields are not kept")
		}
		six := make([]sentFile, 6)
		for i := range six {
			six[i] = sentFile{"a.pdf", []byte(tinyPDF)}
		}
		r = supplier.postFiles(path, url.Values{"kind": {"message"}, "message_body": {"Xem tệp"}}, "message_files", six...)
		expectStatus(t, r, http.StatusUnprocessableEntity)
		if !strings.Contains(r.Doc.Find("#f-message_files-error").Text(), "Attach at most 5 files") {
			t.Errorf("too many files on a message: %q", r.Doc.Find(".error-summary").Text())
		}
		if n := len(storedRFQFiles(t, fx)); n != before {
			t.Errorf("%d files stored after refused replies, want %d", n, before)
		}
	})
}
