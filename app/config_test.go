package main

import (
	"strings"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string // part of the error; "" means valid
	}{
		{"Valid", Config{Addr: ":8080", DataDir: "./data", SyncInterval: time.Second}, ""},
		{"ValidLoopback", Config{Addr: "127.0.0.1:0", DataDir: "d", BaseURL: "https://cnht.example.vn", SyncInterval: time.Second}, ""},
		{"ErrSyncIntervalZero", Config{Addr: ":8080", DataDir: "d"}, "sync interval"},
		{"ErrDataDirEmpty", Config{Addr: ":8080", DataDir: " "}, "data directory"},
		{"ErrAddrNoPort", Config{Addr: "localhost", DataDir: "d"}, "needs a port"},
		{"ErrAddrBadPort", Config{Addr: ":http99", DataDir: "d"}, "no valid port"},
		{"ErrBaseURLNoScheme", Config{Addr: ":8080", DataDir: "d", BaseURL: "cnht.example.vn"}, "base URL"},
		{"ErrBaseURLWithPath", Config{Addr: ":8080", DataDir: "d", BaseURL: "https://example.vn/portal"}, "base URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("want valid, got %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("want an error about %q, got %v", tt.want, err)
			}
		})
	}
}

func TestConfigFromEnvironment(t *testing.T) {
	t.Setenv("PORTAL_ADDR", "127.0.0.1:9090")
	t.Setenv("PORTAL_DATA_DIR", "/srv/portal")
	t.Setenv("PORTAL_SAMPLE", "false")
	c := defaultConfig()
	if c.Addr != "127.0.0.1:9090" || c.DataDir != "/srv/portal" || c.Sample {
		t.Fatalf("config from environment = %+v", c)
	}
}
