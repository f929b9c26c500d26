package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hanoi-cnht/portal/models/event"
)

const scheduleExample = "../models/event/testdata/schedule-example.json"

// TestScheduleSolveCommand runs "schedule solve" on the README's example file, reads the output
// file back and has the independent checker verify it, then runs "schedule check" on it.
func TestScheduleSolveCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out.json")
	if _, err := runCommand(t, "schedule", "solve", scheduleExample, "--out", out, "--time-limit", "5s"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var s event.ScheduleFile
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		t.Fatalf("%s: %v", data, err)
	}
	f, err := os.Open(scheduleExample)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := event.ReadProblemFile(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range event.CheckScheduleFile(p, &s) {
		t.Error(v)
	}
	if len(s.Assignments) != s.UpperBound {
		t.Errorf("placed %d of the upper bound %d on the example, where all fit", len(s.Assignments), s.UpperBound)
	}
	for _, key := range []string{`"assignments"`, `"unscheduled"`, `"breaks"`, `"max_breaks"`, `"min_breaks"`, `"upper_bound"`, `"seconds"`} {
		if !strings.Contains(string(data), key) {
			t.Errorf("the output has no %s", key)
		}
	}

	said, err := runCommand(t, "schedule", "check", scheduleExample, out)
	if err != nil || !strings.Contains(said, "is valid") {
		t.Errorf("schedule check says %q, %v", said, err)
	}
	// Without --out the schedule goes to standard output, the same as the file.
	stdout, err := runCommand(t, "schedule", "solve", scheduleExample)
	if err != nil {
		t.Fatal(err)
	}
	var again event.ScheduleFile
	if err := json.Unmarshal([]byte(stdout), &again); err != nil {
		t.Fatalf("%q: %v", stdout, err)
	}
	again.Seconds, s.Seconds = 0, 0
	if a, b := mustJSON(t, again), mustJSON(t, s); a != b {
		t.Errorf("standard output %s differs from the file %s", a, b)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestScheduleCommandRefuses: a bad file is refused with the field named, a fixed meeting that
// cannot be placed and a spoiled schedule give a non-zero exit, and nothing is written.
func TestScheduleCommandRefuses(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	out := filepath.Join(dir, "out.json")
	spoiled := write("spoiled.json", `{"assignments": [{"meeting": "m1", "slot": 1, "table": 1}], "unscheduled": [],
		"breaks": 0, "max_breaks": 0, "min_breaks": 0, "upper_bound": 9, "seconds": 0}`)
	cases := []struct {
		name string
		args []string
		says string
	}{
		{"BadField", []string{"solve", write("bad.json", `{"slots": 4, "tables": 1, "participants": [{"id": "a"}, {"id": "b"}],
			"meetings": [{"id": "m1", "participants": ["a", "b"]}, {"id": "m2", "participants": ["a", "b"], "fixed_slot": "soon"}]}`), "--out", out},
			"meetings[1].fixed_slot: must be a whole number"},
		{"FixedMeetingCannotStay", []string{"solve", "../models/event/testdata/schedule-fixed-conflict.json", "--out", out},
			"meeting m1: b1 is not available in slot 3"},
		{"NoFile", []string{"solve", filepath.Join(dir, "missing.json"), "--out", out}, "no such file"},
		{"NoVerb", []string{}, "schedule needs a verb"},
		{"SpoiledSchedule", []string{"check", scheduleExample, spoiled}, "neither placed nor unscheduled"},
		{"ZeroTimeLimit", []string{"solve", scheduleExample, "--time-limit", "0s"}, "must be more than 0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := runCommand(t, append([]string{"schedule"}, c.args...)...)
			if err == nil {
				t.Fatal("the command succeeded")
			}
			if exitCode(err) == 0 {
				t.Errorf("exit code 0 for %v", err)
			}
			if !strings.Contains(err.Error(), c.says) {
				t.Errorf("error %q does not say %q", err, c.says)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("an output file was written: %v", err)
			}
		})
	}
}
