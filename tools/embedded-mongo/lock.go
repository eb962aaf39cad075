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

// The files in the data directory through which processes that share it agree (flock(2) locks,
// which the kernel drops when their holder exits, however it exits):
const (
	// serverLockName is held exclusively by the one database server running on the directory.
	serverLockName = ".embedded-mongo.lock"
	// usersLockName is held shared by every process attached to the server (the site, a script);
	// the server stops once it can take it exclusively, that is once nobody uses it.
	usersLockName = ".embedded-mongo.users"
	// startLockName serialises looking for a server and starting one.
	startLockName = ".embedded-mongo.start"
	// socketName is the server's Unix socket; the driver wants a path ending in ".sock".
	socketName = ".embedded-mongo.sock"
	// logName receives a detached server's standard error.
	logName = "embedded-mongo.log"
)

// lockFile is one open file with an flock(2) on it. The lock lasts while the file is open: a
// lockFile must stay reachable for as long as its lock is meant to be held, since Go's garbage
// collector closes unreachable files (and the kernel then drops their locks).
type lockFile struct{ f *os.File }

// heldUntilExit keeps locks that end with the process.
var heldUntilExit []*lockFile

func openLock(dir, name string) (*lockFile, error) {
	path := filepath.Join(dir, name)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot open the lock file %s: %w", path, err)
	}
	return &lockFile{f: f}, nil
}

// lock takes the lock (LOCK_SH or LOCK_EX), waiting for it when wait is true. It reports false,
// with no error, when the lock is held elsewhere and wait is false.
func (l *lockFile) lock(how int, wait bool) (bool, error) {
	if !wait {
		how |= syscall.LOCK_NB
	}
	for {
		err := syscall.Flock(int(l.f.Fd()), how)
		switch {
		case err == nil:
			return true, nil
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.EWOULDBLOCK):
			return false, nil
		default:
			return false, fmt.Errorf("cannot lock %s: %w", l.f.Name(), err)
		}
	}
}

func (l *lockFile) unlock() { _ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN) }

func (l *lockFile) close() { _ = l.f.Close() }

// lockDataDir takes the server lock on the data directory, so that a second server started on
// the same DATA_DIR stops with a clear message instead of sharing the SQLite files. The lock is
// released when this process exits, whatever way it exits.
func lockDataDir(dir string) (func(), error) {
	l, err := openLock(dir, serverLockName)
	if err != nil {
		return nil, err
	}
	ok, err := l.lock(syscall.LOCK_EX, false)
	if err != nil || !ok {
		owner, _ := os.ReadFile(l.f.Name())
		l.close()
		if err != nil {
			return nil, err
		}
		pid := strings.TrimSpace(string(owner))
		if _, convErr := strconv.Atoi(pid); convErr != nil {
			pid = "unknown"
		}
		return nil, fmt.Errorf(
			"the data directory %s is in use by another embedded database server (pid %s); "+
				"attach to it (the site and its scripts do so by themselves), or stop it first", dir, pid,
		)
	}

	_ = l.f.Truncate(0)
	_, _ = l.f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)

	return l.close, nil
}

// serverRunning reports whether a server holds the data directory's server lock. The caller
// holds the start lock, so that no server starting meanwhile finds the lock briefly taken.
func serverRunning(dir string) (bool, error) {
	l, err := openLock(dir, serverLockName)
	if err != nil {
		return false, err
	}
	defer l.close()
	free, err := l.lock(syscall.LOCK_EX, false)
	if err != nil {
		return false, err
	}
	if free {
		l.unlock()
	}
	return !free, nil
}

// privateDataDir creates the data directory if needed and makes it the owner's alone (0700):
// the database's socket and files inside it are then out of every other local user's reach.
func privateDataDir(dataDir string) (string, error) {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return "", fmt.Errorf("bad data directory %q: %w", dataDir, err)
	}
	// SQLite is given the directory as a file: URI, where these would mean something else.
	if strings.ContainsAny(abs, "?#%") {
		return "", fmt.Errorf("the data directory's path %q may not contain ?, # or %%", abs)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return "", fmt.Errorf("cannot create the data directory: %w", err)
	}
	if err := os.Chmod(abs, 0o700); err != nil {
		return "", fmt.Errorf(
			"cannot make the data directory %s private (mode 0700): %w; "+
				"it must belong to the user that runs the site", abs, err)
	}
	return abs, nil
}

// socketPath is where the server of a data directory listens. A Unix socket's path has a limit
// of 107 bytes on Linux.
func socketPath(dir string) (string, error) {
	p := filepath.Join(dir, socketName)
	if len(p) > 107 {
		return "", fmt.Errorf(
			"the data directory's path is too long for its database socket (%s is %d bytes, at most 107): "+
				"use a shorter DATA_DIR", p, len(p))
	}
	return p, nil
}
