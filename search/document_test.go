package search

import "testing"

func TestWithoutLegalForm(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Công ty TNHH Cơ khí Chính xác Tân Phát", "Cơ khí Chính xác Tân Phát"},
		{"CÔNG TY CỔ PHẦN Khuôn mẫu Hà Nội", "Khuôn mẫu Hà Nội"},
		{"Tan Phat Precision Mechanical Co., Ltd", "Tan Phat Precision Mechanical"},
		{"Viet Hung Woven Labels JSC", "Viet Hung Woven Labels"},
		{"Tân Phát", "Tân Phát"},
		{"Công ty TNHH", "Công ty TNHH"},
		{"Cơ khí Đông Anh", "Cơ khí Đông Anh"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := withoutLegalForm(tt.in); got != tt.want {
			t.Errorf("withoutLegalForm(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
