package search

import (
	"slices"
	"strings"
	"testing"
)

func TestKeyTermsEN(t *testing.T) {
	ix, _, _ := fixtureIndex(t)
	got := ix.KeyTermsEN("Gia công bánh răng, trục cho máy nông nghiệp; nhiệt luyện, mạ kẽm. Bánh răng thẳng và bánh răng côn.")
	if len(got) < 3 {
		t.Fatalf("key terms %v", got)
	}
	joined := strings.Join(got, " | ")
	for _, want := range []string{"gear", "agricultural", "heat treatment"} {
		if !strings.Contains(strings.ToLower(joined), want) {
			t.Errorf("key terms %q lack %q", joined, want)
		}
	}
	seen := map[string]bool{}
	for _, k := range got {
		if seen[k] {
			t.Errorf("%q listed twice in %v", k, got)
		}
		seen[k] = true
	}
	if k := ix.KeyTermsEN("Công ty chúng tôi luôn lắng nghe khách hàng."); slices.Contains(k, "") {
		t.Errorf("empty term in %v", k)
	}
}
