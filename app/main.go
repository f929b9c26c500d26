// Command portal runs the Hanoi supporting-industry supplier portal: the web server and the
// commands the Department uses to import, export and maintain its firm database.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})))
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "error:", err)
		}
		os.Exit(exitCode(err))
	}
}

func exitCode(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return 1
}

// runFunc runs a command once its flags are parsed.
type runFunc func(ctx context.Context, cfg Config, args []string, stdout, stderr io.Writer) error

// command is one verb of the command line. setup adds the command's own flags and returns the
// function that runs it with their values.
type command struct {
	usage string
	addr  bool // takes --addr
	args  bool // takes positional arguments
	setup func(fs *flag.FlagSet) runFunc
}

var commands = map[string]command{
	"serve": {
		usage: "serve [flags]\n\nStarts the web portal. A new, empty database is filled with sample firms unless --sample=false.",
		addr:  true,
		setup: func(*flag.FlagSet) runFunc { return serveCommand },
	},
	"import": {
		usage: "import [--dry-run] [--lang en|vi] [flags] FILE\n\nReads firms from a CSV (UTF-8, comma or semicolon) or XLSX file, one row per firm.\nA row whose tax code is stored updates that firm; others are created. If any row is invalid,\nnothing is written and every problem is listed with its row and column. Taxonomy cells\nthat are no term's label are read for the terms they name; the report lists each.",
		args:  true,
		setup: importCommand,
	},
	"export": {
		usage: "export --format csv|xlsx [flags] FILE\n\nWrites every firm in the import columns, so the file can be imported again.",
		args:  true,
		setup: exportCommand,
	},
	"sample": {
		usage: "sample [--count N] [--seed S] [flags]\n\nAdds N generated fictional firms (for trials and benchmarks) to the database.",
		setup: sampleCommand,
	},
	"user": {
		usage: "user add --email E --role buyer|supplier|staff|admin [--firm TAX_CODE] [--name N] [--lang vi|en]\n" +
			"       user list\n       user disable --email E\n\n" +
			"Manages accounts. add reads a password from standard input when one is piped\n" +
			"(echo 'pass phrase' | portal user add ...); otherwise it prints an invitation link.",
		args:  true,
		setup: userCommand,
	},
	"migrate-store": {
		usage: "migrate-store --from DATABASE --to DATABASE\n\nCopies every record (firms, accounts, audit log, files' metadata) from one database to a new,\n" +
			"empty one and compares each table's rows and checksum. A database is sqlite:DATA_DIR or\n" +
			"postgres://user:password@host:5432/name; both directions work. Stop the portal, or expect\n" +
			"writes made during the copy to be missing from it.",
		setup: migrateStoreCommand,
	},
	"backup": {
		usage: "backup [flags] FILE\n\nWrites a consistent copy of the database and the uploaded files (certificate scans, import\n" +
			"files) to one tar.gz archive with a manifest of SHA-256 checksums, while the portal runs.\n" +
			"With PostgreSQL the archive holds the uploaded files only: back the database up with\n" +
			"pg_dump --format=custom --file portal.dump \"$PORTAL_DATABASE_URL\" (see README, Deploying).",
		args:  true,
		setup: backupCommand,
	},
	"restore": {
		usage: "restore [flags] FILE\n\nUnpacks a backup into an empty (or new) data directory after checking every file against\n" +
			"the manifest, then builds the search index. With PostgreSQL it restores the uploaded files;\n" +
			"restore the database with pg_restore --clean --if-exists --no-owner --dbname \"$PORTAL_DATABASE_URL\" portal.dump.",
		args:  true,
		setup: restoreCommand,
	},
	"reindex": {
		usage: "reindex [flags]\n\nRebuilds the search index from the database.",
		setup: func(*flag.FlagSet) runFunc { return reindexCommand },
	},
	"schedule": {
		usage: "schedule solve IN.json [--out OUT.json] [--time-limit 10s]\n       schedule check IN.json OUT.json\n\n" +
			"solve places the meetings of a problem file into slots and tables and writes the schedule,\n" +
			"with its breaks and a proven upper bound on the meetings any schedule could place (README,\n" +
			"Scheduling from the command line); it exits non-zero when a fixed meeting cannot be placed.\n" +
			"check verifies a schedule file against its problem, whatever program wrote it.",
		args:  true,
		setup: scheduleCommand,
	},
}

// run parses the command line and runs the chosen command.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	name := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		name, args = args[0], args[1:]
	}
	if name == "help" {
		printHelp(stdout)
		return nil
	}
	cmd, ok := commands[name]
	if !ok {
		printHelp(stderr)
		return fmt.Errorf("unknown command %q", name)
	}
	cfg, err := defaultConfig()
	if err != nil {
		return err
	}
	out := stderr
	for _, a := range args {
		if a == "--help" || a == "-help" || a == "-h" {
			out = stdout
		}
	}
	fs := flagSet(name, cmd.usage, &cfg, out, cmd.addr)
	runCmd := cmd.setup(fs)
	// Flags may also follow the file ("import firms.csv --dry-run"): the flag package stops at
	// the first argument, so take it aside and parse the rest again.
	var positional []string
	for err := fs.Parse(args); ; err = fs.Parse(fs.Args()[1:]) {
		if err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	slog.SetDefault(slog.New(cfg.logHandler(stderr)))
	if !cmd.args && len(positional) > 0 {
		return fmt.Errorf("%s takes no arguments, got %q", name, positional)
	}
	return runCmd(ctx, cfg, positional, stdout, stderr)
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, `Hanoi supporting-industry supplier portal

Usage: portal [command] [flags]

Commands:
  serve     start the web portal (the default)
  import    import firms from a CSV or XLSX file
  export    export every firm to CSV or XLSX
  sample    add generated fictional firms
  reindex   rebuild the search index
  migrate-store  copy every record between SQLite and PostgreSQL
  user      add, list or disable accounts
  backup    write the database and uploaded files to one archive
  restore   unpack a backup into an empty data directory
  schedule  place a business-matching event's meetings from a problem file

Run "portal COMMAND --help" for a command's flags.
`)
}
