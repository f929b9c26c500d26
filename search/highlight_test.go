package search

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSnippetWindow(t *testing.T) {
	filler := strings.Repeat("Công ty chuyên sản xuất linh kiện cho ngành ô tô. ", 10)
	tests := []struct {
		name, text string
		terms      []string
		want       []string // substrings of the snippet
		head, tail bool     // ellipsis expected before / after
	}{
		{"Middle", filler + "Nhận gia công khuôn mẫu chính xác. " + filler, []string{"khuon", "khuôn", "mau", "mẫu"},
			[]string{"<mark>khuôn</mark> <mark>mẫu</mark>"}, true, true},
		{"Start", "Khuôn mẫu ép nhựa. " + filler, []string{"khuon"}, []string{"<mark>Khuôn</mark> mẫu"}, false, true},
		{"End", filler + "Cuối cùng là khuôn", []string{"khuon"}, []string{"là <mark>khuôn</mark>"}, true, false},
		{"Short", "Ép <b>nhựa</b> & khuôn", []string{"nhua"}, []string{"Ép &lt;b&gt;<mark>nhựa</mark>&lt;/b&gt; &amp; khuôn"}, false, false},
		{"BestWindow", "khuôn " + filler + "khuôn mẫu khuôn", []string{"khuon", "mau"},
			[]string{"<mark>khuôn</mark> <mark>mẫu</mark> <mark>khuôn</mark>"}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			terms := map[string]bool{}
			for _, term := range tt.terms {
				terms[term] = true
			}
			text := []byte(tt.text)
			marks := markWords(text, true, viMatcher(terms))
			if len(marks) == 0 {
				t.Fatal("nothing marked")
			}
			got := snippet(text, marks)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("snippet %q lacks %q", got, w)
				}
			}
			if strings.HasPrefix(got, ellipsis) != tt.head || strings.HasSuffix(got, ellipsis) != tt.tail {
				t.Errorf("ellipses of %q: want before %v, after %v", got, tt.head, tt.tail)
			}
			plain := strings.NewReplacer("<mark>", "", "</mark>", "", ellipsis, "").Replace(got)
			if n := utf8.RuneCountInString(plain); n > snippetRunes+len("&lt;b&gt;&lt;/b&gt;&amp;") {
				t.Errorf("snippet of %d characters: %q", n, got)
			}
			if tt.head && strings.HasPrefix(plain, " ") {
				t.Errorf("snippet starts inside a word or at a space: %q", got)
			}
		})
	}
}
