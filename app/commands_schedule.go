package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hanoi-cnht/portal/models/event"
)

// scheduleCommand computes a schedule from a problem file, outside the web portal and without
// its database: schedule solve IN.json [--out OUT.json] [--time-limit 10s]; and checks a schedule
// file, whatever program wrote it: schedule check IN.json OUT.json.
func scheduleCommand(fs *flag.FlagSet) runFunc {
	out := fs.String("out", "", "write the schedule to this file (default: standard output)")
	limit := fs.Duration("time-limit", 10*time.Second, "stop improving the schedule after this long; what is found by then is written")
	return func(_ context.Context, _ Config, args []string, stdout, _ io.Writer) error {
		if len(args) > 0 && args[0] == "check" {
			if len(args) != 3 {
				return errors.New("schedule check needs IN.json and OUT.json, the problem and its schedule")
			}
			return checkScheduleFile(args[1], args[2], stdout)
		}
		if len(args) == 0 || args[0] != "solve" {
			return errors.New(`schedule needs a verb: "schedule solve IN.json [--out OUT.json] [--time-limit 10s]" or "schedule check IN.json OUT.json"`)
		}
		if len(args) != 2 {
			return errors.New("schedule solve needs exactly one IN.json, the problem file")
		}
		if *limit <= 0 {
			return fmt.Errorf("--time-limit %s must be more than 0", *limit)
		}
		return solveScheduleFile(args[1], *out, *limit, stdout)
	}
}

// solveScheduleFile reads the problem file in, solves it within limit and writes the schedule
// to the file out, or to stdout when out is empty. A fixed meeting that cannot stay where it is
// fixed is an error, and nothing is written.
func solveScheduleFile(in, out string, limit time.Duration, stdout io.Writer) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	p, err := event.ReadProblemFile(f)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	s, err := event.SolveFile(p, event.Options{TimeLimit: limit})
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if out == "" {
		_, err = stdout.Write(data)
		return err
	}
	// Written beside the target and renamed, so that a reader never sees half a schedule.
	tmp, err := os.CreateTemp(filepath.Dir(out), ".schedule-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}

// checkScheduleFile checks the schedule file out against the problem file in and lists every
// rule it breaks.
func checkScheduleFile(in, out string, stdout io.Writer) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	p, err := event.ReadProblemFile(f)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return err
	}
	var s event.ScheduleFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return fmt.Errorf("%s is not a schedule file: %w", out, err)
	}
	if bad := event.CheckScheduleFile(p, &s); len(bad) > 0 {
		return fmt.Errorf("%s breaks %d rules:\n  %s", out, len(bad), strings.Join(bad, "\n  "))
	}
	fmt.Fprintf(stdout, "%s is valid: %d of %d meetings placed (upper bound %d), %d breaks (%d–%d per participant)\n",
		out, len(s.Assignments), len(p.Meetings), s.UpperBound, s.Breaks, s.MinBreaks, s.MaxBreaks)
	return nil
}
