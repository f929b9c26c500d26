package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models/store/storetest"
)

// buildPortal compiles the real program once per test binary run.
func buildPortal(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "portal")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("build the portal: %v", err)
	}
	return bin
}

var readyLine = regexp.MustCompile(`portal ready"? addr=(\S+)`)

// startPortal runs the binary on a loopback port chosen by the kernel and returns its base URL
// once the portal says it is ready. On the PostgreSQL pass, give --database-url in more.
func startPortal(t testing.TB, bin, dataDir string, more ...string) (string, *exec.Cmd) {
	t.Helper()
	args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dataDir, "--sync-interval", "200ms"}, more...)
	cmd := exec.Command(bin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := readyLine.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	select {
	case a := <-addr:
		return "http://" + a, cmd
	case <-time.After(3 * time.Minute):
		t.Fatal("the portal did not start listening")
	}
	return "", nil
}

// databaseArgs are the flags that point the portal at the test's database: none on SQLite (the
// data directory holds it), --database-url on the PostgreSQL pass.
func databaseArgs(t testing.TB) []string {
	if url := storetest.DatabaseURL(t); url != "" {
		return []string{"--database-url", url}
	}
	return nil
}

// waitFor polls cond until it holds, failing the test after limit.
func waitFor(t testing.TB, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.After(limit)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-deadline:
			t.Fatalf("condition not met within %s", limit)
		case <-tick.C:
		}
	}
}

func getJSON(t testing.TB, u string, wantStatus int, dst any) {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != wantStatus {
		t.Fatalf("GET %s: status %d, want %d: %s", u, res.StatusCode, wantStatus, body)
	}
	if dst != nil {
		if err := json.Unmarshal(body, dst); err != nil {
			t.Fatalf("GET %s: %v in %s", u, err, body)
		}
	}
}

// TestEndToEnd starts the real program with a new data directory, checks that it fills the
// sample set and answers over HTTP, stops it with SIGTERM, and starts it again on the same data.
func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real program")
	}
	bin := buildPortal(t)
	dataDir := t.TempDir()
	dbArgs := databaseArgs(t)
	base, cmd := startPortal(t, bin, dataDir, dbArgs...)

	var health struct {
		Status  string `json:"status"`
		Indexed int    `json:"indexed"`
	}
	getJSON(t, base+"/healthz", 200, &health)
	if health.Status != "ok" || health.Indexed != sampleSize {
		t.Fatalf("healthz = %+v, want ok with %d firms indexed", health, sampleSize)
	}

	var found suppliersResponse
	getJSON(t, base+"/api/v1/suppliers?q=khu%C3%B4n&lang=en&per_page=5", 200, &found)
	if found.Total == 0 || len(found.Results) == 0 || len(found.Results) > 5 {
		t.Fatalf("search for khuôn: total %d, %d results", found.Total, len(found.Results))
	}
	first := found.Results[0]
	if !strings.HasPrefix(first.URL, "/en/suppliers/") {
		t.Fatalf("result url %q is not an English profile path", first.URL)
	}
	var profile map[string]any
	getJSON(t, base+"/api/v1/suppliers/"+url.PathEscape(first.TaxCode), 200, &profile)
	if profile["slug"] != first.Slug {
		t.Fatalf("profile by tax code has slug %v, want %s", profile["slug"], first.Slug)
	}
	getJSON(t, base+"/api/v1/suppliers?per_page=10000", 400, nil)
	getJSON(t, base+"/api/v1/suppliers/0000000000", 404, nil)

	res, err := http.Get(base + first.URL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("profile page %s: %d", first.URL, res.StatusCode)
	}

	// An import from the command line while the portal runs: the portal holds the index, so the
	// import writes the database and the portal picks the firm up by itself.
	csvFile := filepath.Join(t.TempDir(), "one.csv")
	os.WriteFile(csvFile, []byte("tax_code,name_vi,district\n0109990009,Công ty TNHH Zephyrcast Đông Anh,Đông Anh\n"), 0o644)
	out, err := exec.Command(bin, append([]string{"import", "--data-dir", dataDir, csvFile}, dbArgs...)...).CombinedOutput()
	// On SQLite the import finds the index held; on PostgreSQL it leaves indexes to the instances.
	if err != nil || !strings.Contains(string(out), "1 created") || (dbArgs == nil && !strings.Contains(string(out), "running portal")) {
		t.Fatalf("import beside the running portal: %v\n%s", err, out)
	}
	waitFor(t, 30*time.Second, func() bool {
		var r suppliersResponse
		getJSON(t, base+"/api/v1/suppliers?q=zephyrcast", 200, &r)
		return r.Total == 1
	})

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the portal did not shut down cleanly on SIGTERM: %v", err)
	}

	// Same data directory: no second sample fill, the index opens as it was.
	base, _ = startPortal(t, bin, dataDir, dbArgs...)
	getJSON(t, base+"/healthz", 200, &health)
	if health.Indexed != sampleSize+1 {
		t.Fatalf("after restart %d firms indexed, want the %d sample firms and the imported one", health.Indexed, sampleSize)
	}
}

func TestCommandLine(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	csvFile := filepath.Join(dir, "firms.csv")
	content := "tax_code,name_vi,district,products\n" +
		"0109990001,Công ty TNHH Khuôn mẫu Thử nghiệm,Đông Anh,khuôn mẫu\n" +
		"0109990002,Công ty TNHH Dập Kim loại Thử nghiệm,Huyện Sóc Sơn,\n"
	if err := os.WriteFile(csvFile, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	var out strings.Builder
	run := func(args ...string) error {
		out.Reset()
		return runCLI(ctx, args, &out)
	}

	if err := run("import", "--data-dir", data, "--sample=false", csvFile, "--dry-run"); err != nil {
		t.Fatalf("dry run: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "dry run, nothing written") {
		t.Fatalf("a --dry-run after the file was not seen: %q", out.String())
	}
	if err := run("import", "--data-dir", data, "--sample=false", csvFile); err != nil {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "2 created") {
		t.Fatalf("import said %q", out.String())
	}
	exported := filepath.Join(dir, "out.xlsx")
	if err := run("export", "--data-dir", data, "--format", "xlsx", exported); err != nil {
		t.Fatalf("export: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "exported 2 firms") {
		t.Fatalf("export said %q (the database must hold exactly the file's firms)", out.String())
	}
	if err := run("reindex", "--data-dir", data); err != nil || !strings.Contains(out.String(), "2 firms") {
		t.Fatalf("reindex: %v %q", err, out.String())
	}
	if err := run("sample", "--data-dir", data, "--count", "25"); err != nil || !strings.Contains(out.String(), "added 25") {
		t.Fatalf("sample: %v %q", err, out.String())
	}
	if err := run("export", "--data-dir", data, "--format", "pdf", exported); err == nil {
		t.Fatal("export accepted --format pdf")
	}
	if err := run("import", "--data-dir", data); err == nil {
		t.Fatal("import without a file succeeded")
	}
	if err := run("frobnicate"); err == nil {
		t.Fatal("an unknown command succeeded")
	}
	if err := run("serve", "--addr", "nowhere"); err == nil || !strings.Contains(err.Error(), "port") {
		t.Fatalf("a bad address was accepted: %v", err)
	}
	for _, name := range []string{"serve", "import", "export", "sample", "reindex"} {
		if err := run(name, "--help"); err != nil && err.Error() != "flag: help requested" {
			t.Fatalf("%s --help: %v", name, err)
		}
		if !strings.Contains(out.String(), "Usage: portal "+name) {
			t.Fatalf("%s --help printed %q", name, out.String())
		}
	}
}

// runCLI runs the command line in-process with one writer for both streams.
func runCLI(ctx context.Context, args []string, w io.Writer) error {
	return run(ctx, args, w, w)
}
