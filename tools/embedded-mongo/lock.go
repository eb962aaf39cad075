package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// lockDataDir takes an exclusive lock on the data directory, so that a second server started on
// the same DATA_DIR stops with a clear message instead of sharing the SQLite files. The lock is
// released when this process exits, whatever way it exits.
func lockDataDir(dir string) (func(), error) {
	path := filepath.Join(dir, ".embedded-mongo.lock")

	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("cannot open the lock file %s: %w", path, err)
	}

	if err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		owner, _ := os.ReadFile(path)
		_ = f.Close()

		if errors.Is(err, syscall.EWOULDBLOCK) {
			pid := strings.TrimSpace(string(owner))
			if _, convErr := strconv.Atoi(pid); convErr != nil {
				pid = "unknown"
			}

			return nil, fmt.Errorf(
				"the data directory %s is in use by another embedded database (pid %s); "+
					"stop the server that uses it, or set DATA_DIR to another directory", dir, pid,
			)
		}

		return nil, fmt.Errorf("cannot lock %s: %w", path, err)
	}

	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)

	return func() { _ = f.Close() }, nil
}
