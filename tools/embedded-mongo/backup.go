package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	_ "modernc.org/sqlite" // the SQLite driver FerretDB itself uses
)

// backupSummary is what backup and restore print (one JSON line) and what they checked.
type backupSummary struct {
	File        string           `json:"file"`
	Bytes       int64            `json:"bytes"`
	Integrity   string           `json:"integrity"`
	Collections map[string]int64 `json:"collections"`
	Seconds     float64          `json:"seconds"`
	Previous    string           `json:"previous,omitempty"`
}

func databaseFile(dir, db string) (string, error) {
	if db == "" || strings.ContainsAny(db, `/\`) || strings.HasPrefix(db, ".") {
		return "", fmt.Errorf("bad database name %q", db)
	}
	return filepath.Join(dir, db+".sqlite"), nil
}

// backupCommand copies one database while the server serves and writes: SQLite's VACUUM INTO
// reads it in one read transaction, so the copy holds every write committed (acknowledged)
// before it began and none half-done. The copy is checked before it takes its final name, which
// it never takes over an existing file. It holds the data directory in use meanwhile, so that no
// restore replaces the database under it.
func backupCommand(args []string) error {
	fs := flag.NewFlagSet("backup", flag.ExitOnError)
	dataDir := fs.String("data", "./data", "the data directory")
	db := fs.String("db", "advice", "the database to copy")
	out := fs.String("out", "", "the backup file to write")
	oneAtATime := fs.Bool("one-at-a-time", false, "give up (exit code 3) if another backup is being written to the same folder")
	_ = fs.Parse(args)
	if *out == "" {
		return errors.New("-out is required")
	}
	started := time.Now()
	syscall.Umask(0o077) // the copy holds password hashes and email addresses
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	dir, err := filepath.Abs(*dataDir)
	if err != nil {
		return err
	}
	src, err := databaseFile(dir, *db)
	if err != nil {
		return err
	}
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("there is no database %q in %s to back up: %w", *db, dir, err)
	}
	target, err := filepath.Abs(*out)
	if err != nil {
		return err
	}
	if _, err := os.Lstat(target); err == nil {
		return fmt.Errorf("%s exists already; choose a new file name", target)
	}
	if *oneAtATime {
		l, err := openLock(filepath.Dir(target), ".backup.lock")
		if err != nil {
			return err
		}
		defer l.close()
		if got, err := l.lock(syscall.LOCK_EX, false); err != nil {
			return err
		} else if !got {
			fmt.Fprintln(os.Stderr, "embedded-mongo: another backup is being written to the same folder")
			os.Exit(3)
		}
	}
	users, err := holdInUse(ctx, dir)
	if err != nil {
		return err
	}
	defer users.close()

	partial := fmt.Sprintf("%s.partial-%d", target, os.Getpid())
	if err := vacuumInto(ctx, src, "_pragma=busy_timeout(30000)", partial); err != nil {
		return err
	}
	defer os.Remove(partial)

	summary, err := checkBackup(partial)
	if err != nil {
		return fmt.Errorf("the copy failed its check, so it was not kept: %w", err)
	}
	if err := syncFile(partial); err != nil {
		return err
	}
	// A link fails if the name was taken meanwhile, where a rename would replace that file.
	if err := os.Link(partial, target); err != nil {
		return fmt.Errorf("cannot name the backup %s: %w", target, err)
	}
	summary.File = target
	summary.Seconds = time.Since(started).Seconds()
	return json.NewEncoder(os.Stdout).Encode(summary)
}

// holdInUse marks the data directory as in use for as long as the returned lock is held (so no
// restore runs meanwhile), waiting up to 30 s for a server on its way out or a restore to finish.
func holdInUse(ctx context.Context, dir string) (*lockFile, error) {
	users, err := openLock(dir, usersLockName)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, err := users.lock(syscall.LOCK_SH, false)
		if err != nil {
			users.close()
			return nil, err
		}
		if got {
			return users, nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			users.close()
			return nil, fmt.Errorf("the data directory %s is being restored; try again when that is done", dir)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// sqliteURI is a file: URI for SQLite, its path escaped (a # or ? in it means something else).
func sqliteURI(path, query string) string {
	return (&url.URL{Scheme: "file", Path: path, RawQuery: query}).String()
}

// checkBackup runs SQLite's integrity check on a copy and counts each collection's documents.
func checkBackup(path string) (*backupSummary, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	conn, err := sql.Open("sqlite", sqliteURI(path, "mode=ro"))
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	s := &backupSummary{Bytes: info.Size(), Collections: map[string]int64{}}
	if err := conn.QueryRow("PRAGMA integrity_check").Scan(&s.Integrity); err != nil {
		return nil, fmt.Errorf("integrity check: %w", err)
	}
	if s.Integrity != "ok" {
		return nil, fmt.Errorf("integrity check: %s", s.Integrity)
	}
	rows, err := conn.Query(`SELECT name, table_name FROM "_ferretdb_collections"`)
	if err != nil {
		return nil, fmt.Errorf("not a database of this site (no collection list): %w", err)
	}
	tables := map[string]string{}
	for rows.Next() {
		var name, table string
		if err := rows.Scan(&name, &table); err != nil {
			rows.Close()
			return nil, err
		}
		tables[name] = table
	}
	rows.Close()
	for name, table := range tables {
		var n int64
		if err := conn.QueryRow(fmt.Sprintf("SELECT count(*) FROM %q", table)).Scan(&n); err != nil {
			return nil, fmt.Errorf("counting %s: %w", name, err)
		}
		s.Collections[name] = n
	}
	return s, nil
}

// restoreCommand puts a backup in place of one database of a data directory that no process
// uses (no server, nothing attached, no backup running), holding the directory's locks meanwhile
// so that none starts. The database it replaces is kept beside it under a new name; at every
// moment the database's own name holds either the old database, whole, or the new one.
func restoreCommand(args []string) error {
	fs := flag.NewFlagSet("restore", flag.ExitOnError)
	dataDir := fs.String("data", "./data", "the data directory")
	db := fs.String("db", "advice", "the database to replace")
	in := fs.String("in", "", "the backup file to restore")
	_ = fs.Parse(args)
	if *in == "" {
		return errors.New("-in is required")
	}
	started := time.Now()
	syscall.Umask(0o077)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	source, err := filepath.Abs(*in)
	if err != nil {
		return err
	}
	summary, err := checkBackup(source)
	if err != nil {
		return fmt.Errorf("%s cannot be restored: %w", source, err)
	}
	dir, err := privateDataDir(*dataDir)
	if err != nil {
		return err
	}
	target, err := databaseFile(dir, *db)
	if err != nil {
		return err
	}

	start, err := openLock(dir, startLockName)
	if err != nil {
		return err
	}
	defer start.close()
	if _, err := start.lock(syscall.LOCK_EX, true); err != nil {
		return err
	}
	users, err := openLock(dir, usersLockName)
	if err != nil {
		return err
	}
	defer users.close()
	free, err := users.lock(syscall.LOCK_EX, false)
	if err != nil {
		return err
	}
	running, err := serverRunning(dir)
	if err != nil {
		return err
	}
	if !free || running {
		return fmt.Errorf("the site (or one of its scripts, or a backup) is using %s; stop it, then restore", dir)
	}

	// The copy: SQLite reads the backup (and a log beside it, if any) and writes a new file here.
	partial := fmt.Sprintf("%s.restoring-%d", target, os.Getpid())
	if err := vacuumInto(ctx, source, "mode=ro", partial); err != nil {
		return err
	}
	defer os.Remove(partial)
	if err := syncFile(partial); err != nil {
		return err
	}

	if _, err := os.Stat(target); err == nil {
		// Whatever the current database's log still holds goes into its file first, so that the
		// file set aside is the whole database.
		if err := checkpoint(target); err != nil {
			return fmt.Errorf("cannot settle the current database before setting it aside: %w", err)
		}
		aside := target + ".before-restore-" + time.Now().UTC().Format("20060102T150405Z")
		if err := os.Link(target, aside); err != nil {
			return fmt.Errorf("cannot keep the current database as %s: %w", aside, err)
		}
		summary.Previous = aside
	}
	for _, ext := range []string{"-wal", "-shm"} {
		if err := os.Remove(target + ext); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("cannot remove the current database's %s file: %w", ext, err)
		}
	}
	if err := os.Rename(partial, target); err != nil {
		return err
	}
	summary.File = target
	summary.Seconds = time.Since(started).Seconds()
	return json.NewEncoder(os.Stdout).Encode(summary)
}

// vacuumInto copies a database consistently (SQLite's VACUUM INTO, one read transaction) into a
// new, empty file of ours at `to`: created here, never one planted or linked there beforehand.
// On failure the file is gone again; on success the caller owns it.
func vacuumInto(ctx context.Context, from, query, to string) error {
	f, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", to, err)
	}
	f.Close()
	conn, err := sql.Open("sqlite", sqliteURI(from, query))
	if err == nil {
		_, err = conn.ExecContext(ctx, "VACUUM INTO ?", to)
		conn.Close()
	}
	if err != nil {
		_ = os.Remove(to) // ours: created above
		return fmt.Errorf("copying %s: %w", from, err)
	}
	return nil
}

// checkpoint moves everything in a database's write-ahead log into its file and empties the log.
func checkpoint(path string) error {
	conn, err := sql.Open("sqlite", sqliteURI(path, "_pragma=busy_timeout(10000)"))
	if err != nil {
		return err
	}
	defer conn.Close()
	var busy, logged, moved int
	if err := conn.QueryRow("PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logged, &moved); err != nil {
		return err
	}
	if busy != 0 {
		return errors.New("the database is busy")
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
