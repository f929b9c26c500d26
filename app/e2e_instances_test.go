package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/hanoi-cnht/portal/models/store/storetest"
)

// webUser is a person using a running portal over HTTP with a cookie jar, as a browser would.
type webUser struct {
	t    testing.TB
	base string
	http *http.Client
}

func newWebUser(t testing.TB, base string) *webUser {
	jar, _ := cookiejar.New(nil)
	// Redirects are not followed, so a test sees the 303 that answers a saved form.
	noFollow := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &webUser{t: t, base: base, http: &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: noFollow}}
}

// page fetches path and parses it.
func (u *webUser) page(path string) *goquery.Document {
	u.t.Helper()
	res, err := u.http.Get(u.base + path)
	if err != nil {
		u.t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(res.Body)
		u.t.Fatalf("GET %s: %d\n%s", path, res.StatusCode, body)
	}
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		u.t.Fatal(err)
	}
	return doc
}

// submit sends the form that selector picks on the page at path, with changes applied, and
// returns where the portal redirected to.
func (u *webUser) submit(path, selector string, changes url.Values) *http.Response {
	u.t.Helper()
	doc := u.page(path)
	form := formOf(u.t, doc, selector)
	token, _ := doc.Find(selector + ` input[name="_csrf"]`).Attr("value")
	form.Set(csrfField, token)
	for k, v := range changes {
		form[k] = v
	}
	action, _ := doc.Find(selector).Attr("action")
	res, err := u.http.PostForm(u.base+action, form)
	if err != nil {
		u.t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// cli runs a command of the program against the test's database.
func cli(t testing.TB, bin, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("portal %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func searchTotal(t testing.TB, base, q string) int {
	t.Helper()
	var r suppliersResponse
	getJSON(t, base+"/api/v1/suppliers?q="+url.QueryEscape(q), 200, &r)
	return r.Total
}

// TestTwoInstancesShareTheDatabase starts two portal processes on one PostgreSQL database, each
// with its own search index; a firm edits its profile through one, and the other's search finds
// the new words within two seconds. Then the second is stopped, more writes are made, and when it
// starts again on its old index it catches up before it says it is ready.
func TestTwoInstancesShareTheDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real program")
	}
	if !storetest.Postgres() {
		t.Skip("several instances share a PostgreSQL database; runs on the PostgreSQL pass")
	}
	bin := buildPortal(t)
	db := []string{"--database-url", storetest.DatabaseURL(t)}
	dirA, dirB := t.TempDir(), t.TempDir()
	csvFile := filepath.Join(t.TempDir(), "firms.csv")
	os.WriteFile(csvFile, []byte("tax_code,name_vi,district\n0109990011,Công ty TNHH Cơ khí Vân Nội,Đông Anh\n"+
		"0109990012,Công ty TNHH Nhựa Kim Chung,Đông Anh\n"), 0o644)
	cli(t, bin, "", append([]string{"import", "--data-dir", dirA, "--sample=false", csvFile}, db...)...)
	cli(t, bin, testPassword+"\n", append([]string{"user", "add", "--data-dir", dirA, "--email", "vannoi@example.vn",
		"--role", "supplier", "--firm", "0109990011"}, db...)...)

	a, _ := startPortal(t, bin, dirA, db...)
	b, cmdB := startPortal(t, bin, dirB, db...)
	if searchTotal(t, b, "Vân Nội") != 1 {
		t.Fatal("the second instance's new index lacks the imported firm")
	}

	owner := newWebUser(t, a)
	res := owner.submit("/login", "form.form", url.Values{"email": {"vannoi@example.vn"}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", res.StatusCode)
	}
	account := owner.page("/account")
	edit, ok := account.Find(`a[href$="/edit"]`).First().Attr("href")
	if !ok {
		t.Fatal("the account page links to no profile to edit")
	}
	written := time.Now()
	res = owner.submit(edit, "form.profile-form", url.Values{"description_vi": {"Gia công khuôn zephyrium cho ngành ô tô."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save the profile: %d", res.StatusCode)
	}
	if searchTotal(t, a, "zephyrium") != 1 {
		t.Fatal("the instance that took the edit does not find it")
	}
	waitFor(t, 2*time.Second, func() bool { return searchTotal(t, b, "zephyrium") == 1 })
	t.Logf("the other instance found the edit %s after it was saved", time.Since(written).Round(time.Millisecond))

	// The second instance is away while a firm is edited and another is imported.
	if err := cmdB.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	cmdB.Wait()
	owner.submit(edit, "form.profile-form", url.Values{"description_vi": {"Gia công khuôn quarkium cho xe máy."}})
	os.WriteFile(csvFile, []byte("tax_code,name_vi,district\n0109990013,Công ty TNHH Đúc Hải Bối,Đông Anh\n"), 0o644)
	cli(t, bin, "", append([]string{"import", "--data-dir", dirA, csvFile}, db...)...)

	b, _ = startPortal(t, bin, dirB, db...)
	var ready struct{ Status string }
	getJSON(t, b+"/readyz", 200, &ready)
	for q, want := range map[string]int{"quarkium": 1, "zephyrium": 0, "Hải Bối": 1} {
		if got := searchTotal(t, b, q); got != want {
			t.Errorf("after restarting, the second instance finds %d firms for %q, want %d", got, q, want)
		}
	}
}

// BenchmarkIndexLag measures, on two instances sharing a PostgreSQL database filled with the
// sample firms, how long after a profile edit is saved through one instance the other's search
// finds it, under a steady stream of four edits a second. Runs on the PostgreSQL pass:
//
//	PORTAL_TEST_DATABASE_URL=… go test ./app -run '^$' -bench IndexLag -benchtime 100x
func BenchmarkIndexLag(b *testing.B) {
	if !storetest.Postgres() {
		b.Skip("two instances share a PostgreSQL database")
	}
	bin := buildPortal(b)
	db := []string{"--database-url", storetest.DatabaseURL(b)}
	dirA, dirB := b.TempDir(), b.TempDir()
	csvFile := filepath.Join(b.TempDir(), "firm.csv")
	os.WriteFile(csvFile, []byte("tax_code,name_vi,district\n0109990021,Công ty TNHH Cơ khí Đo Độ Trễ,Đông Anh\n"), 0o644)
	cli(b, bin, "", append([]string{"import", "--data-dir", dirA, csvFile}, db...)...)
	cli(b, bin, testPassword+"\n", append([]string{"user", "add", "--data-dir", dirA, "--email", "lag@example.vn",
		"--role", "supplier", "--firm", "0109990021"}, db...)...)
	a, _ := startPortal(b, bin, dirA, db...)
	other, _ := startPortal(b, bin, dirB, db...)
	owner := newWebUser(b, a)
	owner.submit("/login", "form.form", url.Values{"email": {"lag@example.vn"}, "password": {testPassword}})
	edit, _ := owner.page("/account").Find(`a[href$="/edit"]`).First().Attr("href")

	const every = 250 * time.Millisecond
	lags := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		word := fmt.Sprintf("trexq%dz", i)
		if res := owner.submit(edit, "form.profile-form", url.Values{"description_vi": {"Gia công cơ khí " + word}}); res.StatusCode != http.StatusSeeOther {
			b.Fatalf("edit %d: %d", i, res.StatusCode)
		}
		saved := time.Now()
		for searchTotal(b, other, word) != 1 {
			if time.Since(saved) > 10*time.Second {
				b.Fatalf("edit %d not found by the other instance after 10 s", i)
			}
			time.Sleep(10 * time.Millisecond)
		}
		lags = append(lags, time.Since(saved))
		time.Sleep(every - time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lags)
	at := func(p float64) float64 { return float64(lags[int(p*float64(len(lags)-1))].Microseconds()) / 1000 }
	b.ReportMetric(at(0.5), "lag-p50-ms")
	b.ReportMetric(at(0.95), "lag-p95-ms")
	b.ReportMetric(at(1), "lag-max-ms")
}
