package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

type serveOptions struct {
	dataDir, listen, logLevel, sync, cpuProfile string
	exitOnEOF, exitWhenUnused                   bool
}

func serveFlags(fs *flag.FlagSet, o *serveOptions) {
	fs.StringVar(&o.dataDir, "data", "./data", "directory for the SQLite databases and the server's socket")
	fs.StringVar(&o.listen, "listen", "", "also listen on this TCP address, without authentication (tests only; empty: no TCP)")
	fs.StringVar(&o.logLevel, "log-level", "warn", "log level: debug, info, warn or error")
	// WAL with synchronous=NORMAL: a commit is durable once the OS has it, so a crash of this
	// process or of the app loses nothing; only a power loss can take the last commits back.
	// FULL (SQLite's default) waits for the disk on every commit.
	fs.StringVar(&o.sync, "sync", "normal", "SQLite synchronous setting: normal or full")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a Go CPU profile to this file until stopped (for benchmarks)")
}

func serveCommand(args []string) error {
	var o serveOptions
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	serveFlags(fs, &o)
	// A process that keeps a pipe on our stdin open while it lives: when it dies, however it dies
	// (SIGKILL included), the pipe closes and the database stops with it.
	fs.BoolVar(&o.exitOnEOF, "exit-on-stdin-eof", false, "stop when standard input closes (the parent process died)")
	fs.BoolVar(&o.exitWhenUnused, "exit-when-unused", false, "stop once no attached process uses the data directory")
	_ = fs.Parse(args)
	return serve(o)
}

func serve(o serveOptions) error {
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	if o.sync != "normal" && o.sync != "full" {
		return fmt.Errorf("bad -sync %q (normal or full)", o.sync)
	}

	// FerretDB turns every document it reads from JSON into Go values and back into BSON: a query
	// allocates many times what it returns. At Go's default GOGC (100) a search on a million-comment
	// database spent a fifth of the CPU collecting and returning memory to the OS (profiled); at 400
	// the collector runs a quarter as often. The environment's GOGC, when set, wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	// A soft ceiling on its heap (about 40 MB while indexing 200 comments a second): near it the
	// collector runs more often rather than letting GOGC 400 grow the heap fivefold.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(512 << 20)
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(o.logLevel)); err != nil {
		return fmt.Errorf("bad -log-level %q: %w", o.logLevel, err)
	}
	logger := slog.New(&lazyHandler{inner: slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})})

	// Everything this process creates (the socket, the SQLite files) is its owner's alone.
	syscall.Umask(0o077)
	abs, err := privateDataDir(o.dataDir)
	if err != nil {
		return err
	}
	sock, err := socketPath(abs)
	if err != nil {
		return err
	}

	unlock, err := lockDataDir(abs)
	if err != nil {
		return err
	}
	defer unlock()

	// Holding the server lock, any socket file left here is a dead server's.
	if err := os.Remove(sock); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("cannot remove the old socket %s: %w", sock, err)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{Unix: sock, TCP: o.listen},
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/?" + sqlitePragmas(o.sync),
		Logger:    logger,
	})
	if err != nil {
		return err
	}

	var ctx context.Context
	var stop context.CancelFunc
	if o.exitWhenUnused {
		// A shared server stops when nobody uses it, not when a signal meant for one of its users
		// (Ctrl-C at a terminal, `systemctl stop` of one web process) reaches it: it would cut the
		// others off, and that one in the middle of its last writes.
		signal.Ignore(os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
		ctx, stop = context.WithCancel(context.Background())
	} else {
		ctx, stop = signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	}
	defer stop()

	if o.exitOnEOF {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			logger.Warn("standard input closed: the app that started this database is gone; stopping")
			stop()
		}()
	}

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	_ = f.MongoDBURI() // blocks until Run has bound its listeners
	if err := waitForSocket(sock, 10*time.Second); err != nil {
		return err
	}
	ours, _ := os.Stat(sock)
	if o.listen != "" {
		fmt.Printf("tcp %s\n", f.MongoDBURI())
	}
	fmt.Printf("ready %s\n", socketURI(sock))

	if o.exitWhenUnused {
		go stopWhenUnused(abs, logger, stop)
	}

	err = <-done
	// Only our own socket: the directory may have been replaced meanwhile, and a new server listen there.
	if now, statErr := os.Stat(sock); statErr == nil && ours != nil && os.SameFile(ours, now) {
		_ = os.Remove(sock)
	}
	return err
}

// stopWhenUnused stops the server once no attached process holds the users lock. It keeps the
// lock exclusively until this process exits, so a process attaching meanwhile waits for the
// server to be gone and starts a new one rather than finding a server on its way out.
func stopWhenUnused(dir string, logger *slog.Logger, stop func()) {
	users, err := openLock(dir, usersLockName)
	if err != nil {
		logger.Error("cannot watch the data directory's users; the server stays up", "err", err)
		return
	}
	for {
		time.Sleep(250 * time.Millisecond)
		free, err := users.lock(syscall.LOCK_EX, false)
		if err != nil {
			logger.Error("cannot watch the data directory's users; the server stays up", "err", err)
			return
		}
		if free {
			logger.Info("no process uses the data directory any more; stopping")
			stop()
			// Held until the process exits (kept reachable: a collected file would close, and
			// release the lock while the server is still on its way out).
			heldUntilExit = append(heldUntilExit, users)
			return
		}
	}
}

// socketURI is the mongodb:// address of a Unix socket: its path, escaped, as the host.
func socketURI(sock string) string {
	return "mongodb://" + strings.ReplaceAll(url.PathEscape(sock), "/", "%2F") + "/"
}

// waitForSocket dials the socket so "ready" is printed only once it accepts.
func waitForSocket(sock string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		c, err := net.DialTimeout("unix", sock, time.Second)
		if err == nil {
			return c.Close()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the socket %s did not accept connections: %w", sock, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sqlitePragmas are set on every SQLite connection FerretDB opens (it adds WAL and a busy timeout),
// with the transaction locking mode.
// Statement journals and temporary tables stay in memory instead of temporary files; a 64 MB page
// cache per connection and a WAL checkpoint every 10,000 pages make bulk writes (an import) cheaper.
// The database file is read through memory mapping (up to 8 GB, or SQLite's own cap) rather than a
// read call per page, which profiling showed as a tenth of a query's CPU.
func sqlitePragmas(sync string) string {
	v := url.Values{}
	for _, p := range []string{
		"synchronous(" + sync + ")", "temp_store(memory)", "cache_size(-65536)", "wal_autocheckpoint(10000)",
		"mmap_size(8589934592)",
	} {
		v.Add("_pragma", p)
	}
	// FerretDB's write transactions read before they write (facts, an upsert's lookup). Begun as
	// DEFERRED, one that read before another connection committed cannot become a writer: SQLite
	// answers SQLITE_BUSY at once, without waiting (seen: an import failing at its start, and, from
	// a test under load, about one write in 10,000 with twelve concurrent writers). IMMEDIATE takes
	// the write lock at BEGIN, where the busy timeout waits for it. Reads outside transactions are
	// unaffected.
	v.Add("_txlock", "immediate")

	return v.Encode()
}

func dialUnix(sock string) (net.Conn, error) { return net.DialTimeout("unix", sock, time.Second) }
