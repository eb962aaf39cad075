// Command embedded-mongo runs FerretDB v1.24.2 embedded, with the SQLite
// handler, so that development and tests need no MongoDB server installed.
//
// It prints one line, "ready <mongodb-uri>", on stdout once it accepts
// connections, and stops cleanly on SIGINT or SIGTERM. Logs go to stderr.
//
// FerretDB's own cmd/ferretdb panics when built with `go install` (its version
// file is generated and absent from the module); embedding the package avoids it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free port)")
	dataDir := flag.String("data", "./data", "directory for the SQLite databases")
	logLevel := flag.String("log-level", "warn", "log level: debug, info, warn or error")
	// WAL with synchronous=NORMAL: a commit is durable once the OS has it, so a crash of this
	// process or of the app loses nothing; only a power loss can take the last commits back.
	// FULL (SQLite's default) waits for the disk on every commit.
	sync := flag.String("sync", "normal", "SQLite synchronous setting: normal or full")
	cpuProfile := flag.String("cpuprofile", "", "write a Go CPU profile to this file until stopped (for benchmarks)")
	// The app keeps a pipe on our stdin open while it lives; when it dies, however it dies
	// (SIGKILL included), the pipe closes and the database stops with it.
	exitOnEOF := flag.Bool("exit-on-stdin-eof", false, "stop when standard input closes (the parent process died)")
	flag.Parse()

	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "embedded-mongo: cpu profile: %v\n", err)
			os.Exit(2)
		}
		defer pprof.StopCPUProfile()
	}

	if *sync != "normal" && *sync != "full" {
		fmt.Fprintf(os.Stderr, "embedded-mongo: bad -sync %q (normal or full)\n", *sync)
		os.Exit(2)
	}

	if err := run(*listen, *dataDir, *logLevel, *sync, *exitOnEOF); err != nil {
		fmt.Fprintf(os.Stderr, "embedded-mongo: %v\n", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(listen, dataDir, logLevel, sync string, exitOnEOF bool) error {
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
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("bad -log-level %q: %w", logLevel, err)
	}
	logger := slog.New(&lazyHandler{inner: slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})})

	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return fmt.Errorf("bad -data %q: %w", dataDir, err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return fmt.Errorf("cannot create data directory: %w", err)
	}

	unlock, err := lockDataDir(abs)
	if err != nil {
		return err
	}
	defer unlock()

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: listen},
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/?" + sqlitePragmas(sync),
		Logger:    logger,
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if exitOnEOF {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			logger.Warn("standard input closed: the app that started this database is gone; stopping")
			stop()
		}()
	}

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	// MongoDBURI blocks until Run has bound the listener.
	uri := f.MongoDBURI()
	if err := waitForPort(uri, 10*time.Second); err != nil {
		return err
	}
	fmt.Printf("ready %s\n", uri)

	return <-done
}

// waitForPort dials the listener so "ready" is printed only once it accepts.
func waitForPort(uri string, timeout time.Duration) error {
	host := uri[len("mongodb://"):]
	if i := len(host) - 1; i >= 0 && host[i] == '/' {
		host = host[:i]
	}
	deadline := time.Now().Add(timeout)
	for {
		c, err := net.DialTimeout("tcp", host, time.Second)
		if err == nil {
			return c.Close()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("listener %s did not accept connections: %w", host, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sqlitePragmas are set on every SQLite connection FerretDB opens (it adds WAL and a busy timeout).
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

	return v.Encode()
}
