package main

import (
	"go/build"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/hanoi-cnht/portal"

// TestImportsRunOneWay keeps the layout the README describes: nothing imports app; models and
// search know nothing of Echo; models knows nothing of search; only models/store (and its test
// helper) imports GORM, and only app depends on it.
func TestImportsRunOneWay(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	imports := map[string][]string{} // package path → its non-test imports
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
			return filepath.SkipDir
		}
		pkg, err := build.ImportDir(path, 0)
		if err != nil {
			return nil // no Go files here
		}
		rel, _ := filepath.Rel(root, path)
		imports[filepath.ToSlash(filepath.Join(module, rel))] = pkg.Imports
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	deps := func(pkg string) []string {
		seen := map[string]bool{}
		var walk func(string)
		walk = func(p string) {
			for _, imp := range imports[p] {
				if !seen[imp] {
					seen[imp] = true
					walk(imp)
				}
			}
		}
		walk(pkg)
		var out []string
		for p := range seen {
			out = append(out, p)
		}
		slices.Sort(out)
		return out
	}
	if len(imports) < 6 {
		t.Fatalf("found only %d packages under %s", len(imports), root)
	}
	for pkg := range imports {
		if pkg == module+"/app" {
			continue
		}
		for _, d := range deps(pkg) {
			switch {
			case d == module+"/app":
				t.Errorf("%s depends on app", pkg)
			case strings.HasPrefix(d, "github.com/labstack/echo"):
				t.Errorf("%s depends on Echo (%s)", pkg, d)
			case !strings.HasPrefix(pkg, module+"/models/store") && (strings.HasPrefix(d, "gorm.io/") || d == module+"/models/store"):
				t.Errorf("%s depends on %s; only models/store may know the database", pkg, d)
			case strings.HasPrefix(pkg, module+"/models") && (d == module+"/search" || strings.HasPrefix(d, module+"/search/")):
				t.Errorf("%s depends on %s; the domain knows nothing of search (models/exchange takes a ConceptFinder)", pkg, d)
			}
		}
	}
}
