package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/auth"
	"github.com/hanoi-cnht/portal/models/store"
)

// userCommand manages accounts from the command line: user add, user list, user disable.
func userCommand(fs *flag.FlagSet) runFunc {
	email := fs.String("email", "", "the account's e-mail address")
	role := fs.String("role", "", "buyer, supplier, staff or admin")
	name := fs.String("name", "", "the person's name")
	firm := fs.String("firm", "", "with --role supplier: the tax code of the firm the account owns")
	lang := fs.String("lang", "vi", "the language of the account's mails: vi or en")
	return func(ctx context.Context, cfg Config, args []string, stdout, _ io.Writer) error {
		if len(args) == 0 {
			return errors.New("user needs a verb: add, list or disable")
		}
		db, closeAll, err := openForWriting(ctx, cfg, stdout)
		if err != nil {
			return err
		}
		defer closeAll()
		sys := models.SystemActor("command line")
		switch args[0] {
		case "list":
			users, err := db.Users(ctx, sys)
			if err != nil {
				return err
			}
			for _, u := range users {
				state := "active"
				if u.Disabled() {
					state = "disabled"
				} else if u.EmailVerifiedAt == nil {
					state = "unconfirmed"
				}
				fmt.Fprintf(stdout, "%-40s %-9s %-12s %s\n", u.Email, u.Role, state, u.Name)
			}
			return nil
		case "disable":
			target := *email
			if target == "" && len(args) > 1 {
				target = args[1]
			}
			u, err := db.UserByEmail(ctx, target)
			if err != nil {
				return fmt.Errorf("no account %q: %w", target, err)
			}
			if err := db.DisableUser(ctx, sys, u.ID, "disabled from the command line"); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "disabled %s; its sessions ended\n", u.Email)
			return nil
		case "add":
			return addUser(ctx, db, cfg, stdout, models.UserInput{Email: *email, Name: *name, Role: models.Role(*role), Lang: *lang}, *firm)
		}
		return fmt.Errorf("unknown user verb %q: use add, list or disable", args[0])
	}
}

// addUser creates an account. A password piped on standard input is set at once; otherwise an
// invitation link to set one is printed (and mailed when the portal sends mail).
func addUser(ctx context.Context, db *store.Store, cfg Config, stdout io.Writer, in models.UserInput, firmTaxCode string) error {
	sys := models.SystemActor("command line")
	password, err := readPassword(os.Stdin)
	if err != nil {
		return err
	}
	if password != "" {
		if err := auth.CheckPolicy(password, in.Email, in.Name); err != nil {
			return err
		}
		if in.PasswordHash, err = auth.Hash(password); err != nil {
			return err
		}
		in.Verified = true
	}
	if firmTaxCode != "" && in.Role != models.RoleSupplier {
		return errors.New("--firm goes with --role supplier")
	}
	u, err := db.CreateUser(ctx, sys, in)
	if err != nil {
		return err
	}
	if firmTaxCode != "" {
		f, err := db.FirmByTaxCode(ctx, firmTaxCode)
		if err != nil {
			return fmt.Errorf("no firm with tax code %s: %w", firmTaxCode, err)
		}
		if err := db.AddMember(ctx, sys, f.ID, u.ID, models.MemberOwner); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "created %s (%s)\n", u.Email, u.Role)
	if password == "" {
		token, err := db.IssueToken(ctx, models.TokenInvite, &u.ID, u.Email, "", 7*24*time.Hour)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "the account sets its password at:\n  %s%s?token=%s\n", publicOrigin(cfg), localPath(u.Lang, "/password/reset"), token)
	}
	return nil
}

// readPassword reads one line from standard input when it is piped; from a terminal or an empty
// input it reads nothing, and the account gets an invitation link instead.
func readPassword(f *os.File) (string, error) {
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice != 0 {
		return "", nil
	}
	line, err := bufio.NewReader(io.LimitReader(f, 1024)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}
