// Command embedded-mongo runs FerretDB v1.24.2 embedded, with the SQLite
// handler, so that development and tests need no MongoDB server installed.
//
// The database is a local service of its data directory: it listens on a Unix
// socket inside the directory (mode 0700, so no other local user can reach
// it) and on no TCP port unless asked. Subcommands:
//
//	attach   what the site and its scripts run: uses the directory's server,
//	         starting it if none runs, and holds it in use until standard input
//	         closes; the server stops by itself once nobody uses it.
//	serve    runs a server in this process (what attach starts, detached).
//	backup   writes a consistent copy of one database while it serves.
//	restore  puts a backup back into a data directory that nothing uses.
//
// attach and serve print one line, "ready <mongodb-uri>", on stdout once the
// server accepts connections. Logs go to stderr.
//
// FerretDB's own cmd/ferretdb panics when built with `go install` (its version
// file is generated and absent from the module); embedding the package avoids it.
package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	args := os.Args[1:]
	command := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		command, args = args[0], args[1:]
	}

	var err error
	switch command {
	case "serve":
		err = serveCommand(args)
	case "attach":
		err = attachCommand(args)
	case "backup":
		err = backupCommand(args)
	case "restore":
		err = restoreCommand(args)
	default:
		err = fmt.Errorf("unknown command %q (serve, attach, backup or restore)", command)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "embedded-mongo: %v\n", err)
		os.Exit(1)
	}
}
