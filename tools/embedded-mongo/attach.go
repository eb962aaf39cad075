package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// attachCommand is what the site and each of its scripts run: it marks the data directory as in
// use (a shared lock the kernel drops when this process dies), makes sure its server runs
// (starting one, detached, if none does, and again if it dies), prints "ready <uri>", and stays
// until its standard input closes, that is until the process that started it is gone.
//
// While it runs it prints "down" when the server died and "ready <uri>" once one serves again.
func attachCommand(args []string) error {
	var o serveOptions
	fs := flag.NewFlagSet("attach", flag.ExitOnError)
	serveFlags(fs, &o)
	startTimeout := fs.Duration("start-timeout", 60*time.Second, "how long a server may take to start")
	_ = fs.Parse(args)
	if o.listen != "" {
		return errors.New("attach serves on the data directory's socket only (-listen is for serve)")
	}

	// Ctrl-C in a terminal reaches the whole process group, and `systemctl stop` signals every
	// process of the service: the process that started this one decides when it is done with the
	// database (it closes our standard input), so that it can finish its last writes first.
	signal.Ignore(syscall.SIGINT, syscall.SIGHUP, syscall.SIGTERM)

	dir, err := privateDataDir(o.dataDir)
	if err != nil {
		return err
	}
	sock, err := socketPath(dir)
	if err != nil {
		return err
	}

	users, err := openLock(dir, usersLockName)
	if err != nil {
		return err
	}
	// The lease lasts as long as this process: the file must stay open (and reachable, or Go's
	// garbage collector closes it, and with it the lock: seen as a server stopping mid-import).
	defer users.close()
	// Waits while a server that found itself unused is on its way out, or a restore runs.
	if got, err := users.lock(syscall.LOCK_SH, false); err != nil {
		return err
	} else if !got {
		fmt.Fprintln(os.Stderr, "embedded-mongo: waiting: the database of this data directory is stopping, or a restore is running")
		if _, err := users.lock(syscall.LOCK_SH, true); err != nil {
			return err
		}
	}

	exited := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		close(exited)
	}()

	a := attacher{dir: dir, sock: sock, options: o, startTimeout: *startTimeout}
	if err := a.ensureServer(); err != nil {
		return err
	}
	fmt.Printf("ready %s\n", socketURI(sock))

	// For the test that the lease survives garbage collection: collect at every turn of the loop.
	collect := os.Getenv("EMBEDDED_MONGO_TEST_GC") == "1"
	backoff := time.Duration(0)
	for {
		select {
		case <-exited:
			return nil
		case <-time.After(500*time.Millisecond + backoff):
		}
		if collect {
			runtime.GC()
		}
		started, err := a.ensureServerIfDown()
		switch {
		case err != nil:
			fmt.Fprintf(os.Stderr, "embedded-mongo: the database server is down and did not restart: %v\n", err)
			backoff = min(max(2*backoff, time.Second), 10*time.Second)
		case started:
			fmt.Printf("ready %s\n", socketURI(sock))
			backoff = 0
		default:
			backoff = 0
		}
	}
}

type attacher struct {
	dir, sock    string
	options      serveOptions
	startTimeout time.Duration
	wasDown      bool
}

// ensureServer starts the directory's server unless one runs, and waits until it accepts.
func (a *attacher) ensureServer() error {
	_, err := a.withStartLock(true)
	return err
}

// ensureServerIfDown restarts a server that died, reporting whether it started one.
func (a *attacher) ensureServerIfDown() (bool, error) {
	return a.withStartLock(false)
}

func (a *attacher) withStartLock(first bool) (bool, error) {
	start, err := openLock(a.dir, startLockName)
	if err != nil {
		return false, err
	}
	defer start.close()
	if _, err := start.lock(syscall.LOCK_EX, true); err != nil {
		return false, err
	}
	running, err := serverRunning(a.dir)
	if err != nil {
		return false, err
	}
	if running {
		if a.wasDown {
			a.wasDown = false
			return true, nil // another attached process restarted it
		}
		if first {
			return false, waitForSocket(a.sock, a.startTimeout)
		}
		return false, nil
	}
	if !first && !a.wasDown {
		a.wasDown = true
		fmt.Println("down")
	}
	if err := a.startServer(); err != nil {
		return false, err
	}
	a.wasDown = false
	return true, nil
}

// startServer starts a detached server (its own session, so it outlives this process while
// others use it; it stops by itself when nobody does), logging to embedded-mongo.log.
func (a *attacher) startServer() error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("cannot find this program to start the server: %w", err)
	}
	logPath := filepath.Join(a.dir, logName)
	logFile, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("cannot open the server's log %s: %w", logPath, err)
	}
	defer logFile.Close()
	args := []string{"serve", "-exit-when-unused", "-data", a.dir, "-log-level", a.options.logLevel, "-sync", a.options.sync}
	if a.options.cpuProfile != "" {
		args = append(args, "-cpuprofile", a.options.cpuProfile)
	}
	cmd := exec.Command(self, args...)
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("cannot start the database server: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	deadline := time.Now().Add(a.startTimeout)
	for {
		select {
		case err := <-exited:
			return fmt.Errorf("the database server stopped while starting (%v): %s", err, lastLines(logPath, 5))
		default:
		}
		if c, err := dialUnix(a.sock); err == nil {
			_ = c.Close()
			running, _ := serverRunning(a.dir)
			if running {
				return nil
			}
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			return fmt.Errorf("the database server did not start within %s: %s", a.startTimeout, lastLines(logPath, 5))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// lastLines is the end of a log file, for an error message.
func lastLines(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return "(no log)"
	}
	defer f.Close()
	var lines []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		lines = append(lines, s.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return strings.Join(lines, " | ")
}
