package main

import (
	"context"
	"log/slog"
	"slices"
)

// lazyHandler defers the work of Logger.With until a record is actually written.
//
// FerretDB derives a logger with attributes for every connection, command and transaction;
// slog's TextHandler formats those attributes at once, which took an eighth of the server's
// CPU time during an import although nothing below the error level is ever written here.
type lazyHandler struct {
	inner slog.Handler
	ops   []lazyOp
}

type lazyOp struct {
	group string
	attrs []slog.Attr
}

func (h *lazyHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.inner.Enabled(ctx, level)
}

func (h *lazyHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &lazyHandler{inner: h.inner, ops: append(slices.Clip(h.ops), lazyOp{attrs: attrs})}
}

func (h *lazyHandler) WithGroup(name string) slog.Handler {
	return &lazyHandler{inner: h.inner, ops: append(slices.Clip(h.ops), lazyOp{group: name})}
}

func (h *lazyHandler) Handle(ctx context.Context, r slog.Record) error {
	inner := h.inner
	for _, op := range h.ops {
		if op.group != "" {
			inner = inner.WithGroup(op.group)
		} else {
			inner = inner.WithAttrs(op.attrs)
		}
	}

	return inner.Handle(ctx, r)
}
