package search

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"golang.org/x/text/unicode/norm"
)

// analyzed returns "position:term" for every token an analyzer makes of text, shingles marked
// with a leading "~".
func analyzed(t *testing.T, analyzer, text string) []string {
	t.Helper()
	a := newMapping().AnalyzerNamed(analyzer)
	if a == nil {
		t.Fatalf("analyzer %s is not registered", analyzer)
	}
	var out []string
	for _, tok := range a.Analyze([]byte(text)) {
		prefix := ""
		if tok.Type == analysis.Shingle {
			prefix = "~"
		}
		out = append(out, prefix+strconv.Itoa(tok.Position)+":"+string(tok.Term))
	}
	return out
}

func TestVietnameseAnalyzer(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // tokens that must be present
		absent     []string // tokens that must not be
	}{
		{"FoldKeepsOriginal", "cơ khí", []string{"1:cơ", "1:co", "2:khí", "2:khi", "~1:co khi"}, nil},
		{"NoDiacriticsSameFoldedTokens", "co khi chinh xac", []string{"1:co", "2:khi", "3:chinh", "4:xac", "~1:co khi", "~3:chinh xac"}, nil},
		{"UpperCase", "CƠ KHÍ", []string{"1:cơ", "1:co", "2:khí", "2:khi"}, []string{"1:CƠ"}},
		{"DStroke", "Đông Anh đúc", []string{"1:đông", "1:dong", "2:anh", "3:đúc", "3:duc", "~1:dong anh", "~2:anh duc"}, nil},
		{"NFD", norm.NFD.String("khuôn mẫu"), []string{"1:khuôn", "1:khuon", "2:mẫu", "2:mau", "~1:khuon mau"}, nil},
		{"NoShingleAcrossPunctuation", "khuôn mẫu, đồ gá", []string{"~1:khuon mau", "~4:do ga"}, []string{"~2:mau do", "~3:mau do"}},
		{"NoShingleAcrossHyphen", "Hà Nội-Hải Phòng", []string{"~1:ha noi", "~4:hai phong"}, []string{"~2:noi hai"}},
		{"ASCIIWordOnce", "ISO 9001", []string{"1:iso", "2:9001", "~1:iso 9001"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := analyzed(t, AnalyzerVI, tt.text)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("missing %q in %q", w, got)
				}
			}
			for _, w := range tt.absent {
				if slices.Contains(got, w) {
					t.Errorf("unexpected %q in %q", w, got)
				}
			}
		})
	}
	t.Run("NFCAndNFDAlike", func(t *testing.T) {
		text := "Công ty TNHH Khuôn mẫu Đức Giang"
		nfc := analyzed(t, AnalyzerVI, norm.NFC.String(text))
		nfd := analyzed(t, AnalyzerVI, norm.NFD.String(text))
		if !slices.Equal(nfc, nfd) {
			t.Errorf("NFC %q\nNFD %q", nfc, nfd)
		}
	})
	t.Run("ASCIITokenNotDoubled", func(t *testing.T) {
		got := analyzed(t, AnalyzerVI, "nhua")
		if len(got) != 1 {
			t.Errorf("got %q, want one token", got)
		}
	})
}

func TestEnglishAnalyzer(t *testing.T) {
	tests := []struct {
		name, a, b string // a and b must share at least one token
	}{
		{"StampingMeetsStamped", "stamping", "stamped parts"},
		{"PlatingMeetsPlated", "plating", "nickel plated"},
		{"Possessive", "Honda's suppliers", "honda supplier"},
		{"Plural", "moulds", "mould"},
		{"Folded", "Đông Anh", "dong anh"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			terms := func(s string) []string {
				var out []string
				for _, tok := range analyzed(t, AnalyzerEN, s) {
					out = append(out, tok[strings.Index(tok, ":")+1:])
				}
				return out
			}
			ta, tb := terms(tt.a), terms(tt.b)
			if !slices.ContainsFunc(ta, func(s string) bool { return slices.Contains(tb, s) }) {
				t.Errorf("%q → %q and %q → %q share no token", tt.a, ta, tt.b, tb)
			}
		})
	}
	t.Run("StopWordsDropped", func(t *testing.T) {
		got := analyzed(t, AnalyzerEN, "parts for the car")
		for _, tok := range got {
			if strings.HasSuffix(tok, ":for") || strings.HasSuffix(tok, ":the") {
				t.Errorf("stop word kept: %q", got)
			}
		}
	})
}
