package testkit

import (
	"bytes"
	"log/slog"
	"sync"
)

// LogBuffer keeps what a test server logged (slog's text format, info and
// above: what an admin's log shows by default), for tests about what
// reaches that log.
type LogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p; the server's goroutines write concurrently.
func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String is everything logged so far.
func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Logger logs into the buffer at info level and above (debug lines, one
// per request, would slow the in-process benchmarks).
func (l *LogBuffer) Logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
