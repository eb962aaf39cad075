package main

import (
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
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
// before it began and none half-done. The copy is checked before it takes its final name.
func backupCommand(args []string) error {
	fs := flag.NewFlagSet("backup", flag.ExitOnError)
	dataDir := fs.String("data", "./data", "the data directory")
	db := fs.String("db", "advice", "the database to copy")
	out := fs.String("out", "", "the backup file to write")
	_ = fs.Parse(args)
	if *out == "" {
		return errors.New("-out is required")
	}
	started := time.Now()
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
	if _, err := os.Stat(target); err == nil {
		return fmt.Errorf("%s exists already; choose a new file name", target)
	}
	syscall.Umask(0o077) // the copy holds password hashes and email addresses
	partial := fmt.Sprintf("%s.partial-%d", target, os.Getpid())
	defer os.Remove(partial)

	conn, err := sql.Open("sqlite", "file:"+src+"?_pragma=busy_timeout(30000)")
	if err != nil {
		return err
	}
	_, err = conn.Exec("VACUUM INTO ?", partial)
	conn.Close()
	if err != nil {
		return fmt.Errorf("copying %s: %w", src, err)
	}

	summary, err := checkBackup(partial)
	if err != nil {
		return fmt.Errorf("the copy failed its check, so it was not kept: %w", err)
	}
	if err := syncFile(partial); err != nil {
		return err
	}
	if err := os.Rename(partial, target); err != nil {
		return err
	}
	summary.File = target
	summary.Seconds = time.Since(started).Seconds()
	return json.NewEncoder(os.Stdout).Encode(summary)
}

// checkBackup runs SQLite's integrity check on a copy and counts each collection's documents.
func checkBackup(path string) (*backupSummary, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	conn, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
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
// uses (no server, nothing attached), holding the directory's locks meanwhile so that none
// starts. The database it replaces is kept beside it, renamed, not deleted.
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
		return fmt.Errorf("the site (or one of its scripts) is using %s; stop it, then restore", dir)
	}

	partial := fmt.Sprintf("%s.restoring-%d", target, os.Getpid())
	defer os.Remove(partial)
	if err := copyFile(source, partial); err != nil {
		return err
	}
	if _, err := os.Stat(target); err == nil {
		suffix := ".before-restore-" + time.Now().UTC().Format("20060102T150405Z")
		for _, ext := range []string{"", "-wal", "-shm"} {
			if err := os.Rename(target+ext, target+suffix+ext); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("cannot set the current database aside: %w", err)
			}
		}
		summary.Previous = target + suffix
	}
	if err := os.Rename(partial, target); err != nil {
		return err
	}
	summary.File = target
	summary.Seconds = time.Since(started).Seconds()
	return json.NewEncoder(os.Stdout).Encode(summary)
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
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
