package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/hanoi-cnht/portal/models/store"
)

// migrateStoreCommand copies every record from one database to another, SQLite or PostgreSQL
// either way, and checks the copy table by table.
func migrateStoreCommand(fs *flag.FlagSet) runFunc {
	from := fs.String("from", "", "the database to copy: sqlite:DATA_DIR or postgres://…")
	to := fs.String("to", "", "the new, empty database: postgres://… or sqlite:DATA_DIR")
	return func(ctx context.Context, _ Config, _ []string, stdout, _ io.Writer) error {
		if *from == "" || *to == "" {
			return errors.New("migrate-store needs --from and --to, e.g. --from sqlite:./data --to postgres://portal@db/portal")
		}
		if strings.TrimSuffix(*from, "/") == strings.TrimSuffix(*to, "/") {
			return errors.New("--from and --to name the same database")
		}
		src, err := store.OpenURL(*from)
		if err != nil {
			return fmt.Errorf("--from: %w", err)
		}
		defer src.Close()
		dst, err := store.OpenURL(*to)
		if err != nil {
			return fmt.Errorf("--to: %w", err)
		}
		defer dst.Close()
		report, err := src.CopyTo(ctx, dst)
		if err != nil {
			return fmt.Errorf("copy %s to %s: %w (the target is left as it was)", store.RedactURL(*from), store.RedactURL(*to), err)
		}
		fmt.Fprintf(stdout, "%-20s %8s %8s  %s\n", "table", "rows", "copied", "checksum")
		bad := 0
		for _, c := range report {
			state := "same " + c.Checksum[:12]
			if !c.OK() {
				state, bad = "DIFFERENT "+c.Checksum[:12]+" "+c.CopiedTo[:12], bad+1
			}
			fmt.Fprintf(stdout, "%-20s %8d %8d  %s\n", c.Table, c.Rows, c.CopiedRows, state)
		}
		if bad > 0 {
			return fmt.Errorf("%d tables differ after the copy", bad)
		}
		fmt.Fprintf(stdout, "copied %s to %s; every table has the same rows and checksum.\n"+
			"Uploaded files (evidence/, imports/) stay in the data directory: copy it to the new instances.\n"+
			"Each instance builds its search index when it starts.\n", store.RedactURL(*from), store.RedactURL(*to))
		return nil
	}
}
