package auth

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckPolicy(t *testing.T) {
	const email, name = "Tran.Thi.Lan@congty.vn", "Trần Thị Lan"
	vietnamese := strings.Repeat("Đường", 25) + "Hội" // 128 runes, most of them 2 or 3 bytes
	tests := []struct {
		name     string
		password string
		key      string // "" means accepted
	}{
		{"Accepted", "ốc vít inox M8 giá tốt", ""},
		{"ErrSevenRunesOfMoreBytes", "ĐăngNhậ", "password.too_short"}, // 7 runes in 11 bytes
		{"AcceptedEightVietnameseRunes", "ĐăngNhập", ""},
		{"Accepted128VietnameseRunes", vietnamese, ""},
		{"ErrTooShort", "k8#vQz1", "password.too_short"},
		{"ErrEmpty", "", "password.too_short"},
		{"ErrTooLong129Runes", vietnamese + "a", "password.too_long"},
		{"ErrCommon", "password123", "password.common"},
		{"ErrCommonAnyCase", "PassWord123", "password.common"},
		{"ErrCommonVietnamese", "matkhau123", "password.common"},
		{"ErrCommonVietnameseLove", "AnhYeuEm", "password.common"},
		{"ErrCommonKeyboardWalk", "qwertyuiop", "password.common"},
		{"ErrEqualsEmail", "tran.thi.lan@congty.vn", "password.matches_email"},
		{"ErrEqualsEmailLocalPart", "TRAN.THI.LAN", "password.matches_email"},
		{"ErrEqualsName", "trần thị lan", "password.matches_name"},
		{"ErrEqualsNameWithoutSpaces", "TrầnThịLan", "password.matches_name"},
		{"ErrEqualsNameDecomposed", "Tra\u0302\u0300n Thi\u0323 Lan", "password.matches_name"},
		{"AcceptedContainsName", "Trần Thị Lan bán bulông", ""},
	}
	if n := utf8.RuneCountInString(vietnamese); n != 128 {
		t.Fatalf("test string has %d runes, want 128", n)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPolicy(tt.password, email, name)
			if tt.key == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var p *Problem
			if !errors.As(err, &p) {
				t.Fatalf("err = %v; want a *Problem", err)
			}
			if p.Key != tt.key {
				t.Errorf("key = %q; want %q", p.Key, tt.key)
			}
		})
	}
}

func TestCheckPolicyNoAccountDetails(t *testing.T) {
	if err := CheckPolicy("bulông và đai ốc", "", ""); err != nil {
		t.Errorf("refused with no e-mail and no name: %v", err)
	}
}

func TestCheckPolicyArgs(t *testing.T) {
	err := CheckPolicy("short", "", "")
	if !errors.Is(err, &Problem{Key: KeyPasswordTooShort}) {
		t.Fatalf("err = %v; want %s", err, KeyPasswordTooShort)
	}
	if got := err.(*Problem).Args["Min"]; got != MinPasswordLen {
		t.Errorf("Args[Min] = %v; want %d", got, MinPasswordLen)
	}
	if got, want := err.Error(), "The password must have at least 8 characters."; got != want {
		t.Errorf("Error() = %q; want %q", got, want)
	}
}

func TestCommonPasswordList(t *testing.T) {
	lines := strings.Split(strings.TrimSuffix(commonPasswordsText, "\n"), "\n")
	if len(lines) < 1500 {
		t.Errorf("the list has %d passwords; want at least 1500", len(lines))
	}
	seen := make(map[string]int, len(lines))
	for i, l := range lines {
		switch {
		case l != strings.TrimSpace(l) || l == "":
			t.Errorf("line %d %q is blank or has spaces around it", i+1, l)
		case l != strings.ToLower(l):
			t.Errorf("line %d %q is not lower-case", i+1, l)
		case utf8.RuneCountInString(l) < MinPasswordLen:
			t.Errorf("line %d %q is shorter than %d characters, which the length rule refuses anyway", i+1, l, MinPasswordLen)
		}
		if prev, dup := seen[l]; dup {
			t.Errorf("line %d %q repeats line %d", i+1, l, prev)
		}
		seen[l] = i + 1
	}
	for _, want := range []string{"password", "12345678", "qwertyuiop", "iloveyou", "password1", "football",
		"matkhau123", "anhyeuem", "123456789a", "vietnam123"} {
		if _, ok := commonPasswords()[want]; !ok {
			t.Errorf("%q is not in the list", want)
		}
	}
}

func TestKeys(t *testing.T) {
	keys := Keys()
	if len(keys) == 0 {
		t.Fatal("no keys")
	}
	for _, k := range keys {
		p := &Problem{Key: k, Args: map[string]any{"Min": 8, "Max": 128}}
		if msg := p.Error(); msg == k || strings.ContainsAny(msg, "{}") {
			t.Errorf("key %q has no complete English sentence: %q", k, msg)
		}
	}
	for _, k := range []string{KeyPasswordTooShort, KeyPasswordTooLong, KeyPasswordCommon, KeyPasswordMatchesEmail, KeyPasswordMatchesName} {
		if _, ok := english[k]; !ok {
			t.Errorf("constant %q is missing from Keys", k)
		}
	}
}
