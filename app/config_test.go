package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hanoi-cnht/portal/models/store"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string // part of the error; "" means valid
	}{
		{"Valid", Config{Addr: ":8080", DataDir: "./data", SyncInterval: time.Second, LogLevel: "info", SessionIdle: time.Hour, SessionMax: 2 * time.Hour}, ""},
		{"ValidLoopback", Config{Addr: "127.0.0.1:0", DataDir: "d", BaseURL: "https://cnht.example.vn", SyncInterval: time.Second, LogLevel: "debug", SessionIdle: time.Hour, SessionMax: time.Hour}, ""},
		{"ErrSyncIntervalZero", Config{Addr: ":8080", DataDir: "d", LogLevel: "info"}, "sync interval"},
		{"ErrSessionIdleLongerThanMax", Config{Addr: ":8080", DataDir: "d", SyncInterval: time.Second, LogLevel: "info", SessionIdle: 2 * time.Hour, SessionMax: time.Hour}, "session limits"},
		{"ErrLogLevelUnknown", Config{Addr: ":8080", DataDir: "d", SyncInterval: time.Second, LogLevel: "loud"}, "log level"},
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
	c, err := defaultConfig()
	if err != nil || c.Addr != "127.0.0.1:9090" || c.DataDir != "/srv/portal" || c.Sample {
		t.Fatalf("config from environment = %+v, %v", c, err)
	}
}

func TestConfigRefusesNonBooleanEnvironment(t *testing.T) {
	for _, name := range []string{"PORTAL_SAMPLE", "PORTAL_ACCESS_LOG"} {
		for _, v := range []string{"no", "off", "yes please"} {
			t.Run(name+"="+v, func(t *testing.T) {
				t.Setenv(name, v)
				if _, err := defaultConfig(); err == nil || !strings.Contains(err.Error(), name) {
					t.Fatalf("%s=%q: want an error naming the variable, got %v", name, v, err)
				}
			})
		}
	}
	t.Run("ErrStopsTheCommand", func(t *testing.T) {
		t.Setenv("PORTAL_SAMPLE", "no")
		dir := t.TempDir()
		err := run(context.Background(), []string{"reindex", "--data-dir", dir}, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "PORTAL_SAMPLE") {
			t.Fatalf("run with PORTAL_SAMPLE=no: %v", err)
		}
		if _, statErr := os.Stat(filepath.Join(dir, store.DatabaseFile)); !errors.Is(statErr, os.ErrNotExist) {
			t.Fatalf("a database was created: %v", statErr)
		}
	})
}

func TestFormatDateIsTheDayInHanoi(t *testing.T) {
	tests := []struct {
		name string
		t    time.Time
		lang string
		want string
	}{
		{"CalendarDateStays", time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC), "vi", "30/06/2027"},
		// 20:00 UTC on 30 June is 03:00 on 1 July in Hanoi.
		{"EveningUTCIsNextDayInHanoi", time.Date(2027, 6, 30, 20, 0, 0, 0, time.UTC), "en", "1 Jul 2027"},
		{"Zero", time.Time{}, "vi", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatDate(tt.lang, tt.t); got != tt.want {
				t.Fatalf("formatDate = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestUserCommand(t *testing.T) {
	dir := t.TempDir()
	var out strings.Builder
	cmd := func(args ...string) error {
		out.Reset()
		return run(context.Background(), append(args, "--data-dir", dir, "--sample=false"), &out, io.Discard)
	}
	if err := cmd("user", "add", "--email", "Lan@CongThuong.example.vn", "--role", "staff", "--name", "Lan"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "created lan@congthuong.example.vn (staff)") || !strings.Contains(out.String(), "/password/reset?token=") {
		t.Fatalf("user add printed %q", out.String())
	}
	if err := cmd("user", "add", "--email", "x@example.com", "--role", "owner"); err == nil {
		t.Fatal("an unknown role was accepted")
	}
	if err := cmd("user", "add", "--email", "b@example.com", "--role", "buyer", "--firm", "0101234567"); err == nil {
		t.Fatal("--firm was accepted for a buyer")
	}
	if err := cmd("user", "list"); err != nil || !strings.Contains(out.String(), "lan@congthuong.example.vn") || !strings.Contains(out.String(), "unconfirmed") {
		t.Fatalf("user list: %q, %v", out.String(), err)
	}
	if err := cmd("user", "disable", "--email", "lan@congthuong.example.vn"); err != nil {
		t.Fatal(err)
	}
	if err := cmd("user", "list"); err != nil || !strings.Contains(out.String(), "disabled") {
		t.Fatalf("after disable: %q, %v", out.String(), err)
	}
}
