package acceptance

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"weft/internal/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

const (
	// scriptTimeout bounds one client-library script.
	scriptTimeout = 3 * time.Minute
	// password of every account the harness creates.
	password = "correct horse battery staple"
)

// scripts run in this order against one server; each gets accounts of its
// own (PREFIX_alice signs in through OAuth, PREFIX_bob and PREFIX_carol act
// with tokens from `weft admin token create`).
var scripts = []struct{ file, prefix string }{
	{"masto.mjs", "masto"},
	{"megalodon.mjs", "mega"},
}

// TestClientLibraries runs the masto.js and megalodon scripts against a
// real `weft serve`, once per database.
func TestClientLibraries(t *testing.T) {
	node := nodeForTest(t)
	declareInputs(t)
	bin := buildWeft(t)
	for _, d := range testkit.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			srv := startServer(t, bin, testkit.FreshURL(t, d))
			for _, s := range scripts {
				env := srv.createAccounts(t, s.prefix)
				if !runScript(t, node, s.file, env, scriptTimeoutFor(t)) {
					t.Errorf("%s failed (its output is above; the server's log follows)", s.file)
				}
			}
			srv.stop(t)
		})
	}
}

// nodeForTest skips the test in -short mode or without node_modules (a
// failure instead when WEFT_ACCEPTANCE_REQUIRED is set, as in CI) and
// returns the path of the Node 22 that `npm ci` installed.
func nodeForTest(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("acceptance suite skipped in -short mode")
	}
	if _, err := os.Stat("node_modules"); err != nil {
		if os.Getenv("WEFT_ACCEPTANCE_REQUIRED") != "" {
			t.Fatal("acceptance/node_modules is missing and WEFT_ACCEPTANCE_REQUIRED is set: run `npm ci` in acceptance/")
		}
		t.Skip("acceptance/node_modules is missing: run `npm ci` in acceptance/ to run the acceptance suite (.ci/run does)")
	}
	node, err := filepath.Abs(filepath.Join("node_modules", "node", "bin", "node"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		t.Fatalf("%s: %v (run `npm ci` in acceptance/ again)", node, err)
	}
	if v := strings.TrimSpace(string(out)); !strings.HasPrefix(v, "v22.") {
		t.Fatalf("%s is %s, want Node 22 (the npm package node@22)", node, v)
	}
	return node
}

// declareInputs reads what the suite depends on besides the Go packages
// linked into this test binary (which go test tracks itself): the scripts,
// the pinned libraries, and cmd/weft, which the test builds. Go's test cache
// records the files a test opens, so a change to any of them runs the suite
// again instead of replaying a cached pass.
func declareInputs(t *testing.T) {
	t.Helper()
	var files []string
	for _, pattern := range []string{"*.mjs", "package.json", "package-lock.json", "node_modules/.package-lock.json", "../cmd/weft/*.go", "../go.mod", "../go.sum"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	for _, f := range files {
		if _, err := os.ReadFile(f); err != nil {
			t.Fatal(err)
		}
	}
	_ = os.Getenv("ACCEPT_KEEP_GOING") // read by the scripts; part of the cache key
}

// scriptTimeoutFor is scriptTimeout, or less when the test's own deadline
// (go test -timeout, 10 minutes by default) comes sooner, so a hanging
// script fails this test with its output instead of panicking the binary.
func scriptTimeoutFor(t *testing.T) time.Duration {
	d := scriptTimeout
	if deadline, ok := t.Deadline(); ok {
		if left := time.Until(deadline) - time.Minute; left < d {
			d = max(left, 10*time.Second)
		}
	}
	return d
}

// buildWeft builds cmd/weft into a temporary directory. It inherits the
// test's GOFLAGS, so under CI's -race the server runs with the race
// detector on and a data race makes it exit non-zero.
func buildWeft(t *testing.T) string {
	t.Helper()
	start := time.Now()
	defer func() { t.Logf("built weft in %v", time.Since(start).Round(10*time.Millisecond)) }()
	bin := filepath.Join(t.TempDir(), "weft")
	goTool := "go"
	if _, err := exec.LookPath("go"); err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	cmd := exec.Command(goTool, "build", "-o", bin, "./cmd/weft")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/weft: %v\n%s", err, out)
	}
	return bin
}

// server is one running `weft serve`.
type server struct {
	bin, url string
	args     []string // configuration flags shared with the admin commands
	env      []string
	cmd      *exec.Cmd
	log      *syncBuffer
	done     chan struct{}
	err      error // of cmd.Wait, once done is closed
}

var listeningRE = regexp.MustCompile(`^weft \S+ listening on (\S+) \(domain (\S+)\)`)

// startServer starts `weft serve` on a free loopback port; extraEnv
// (KEY=value) goes to it and to the admin commands run on its data.
func startServer(t *testing.T, bin, dbURL string, extraEnv ...string) *server {
	t.Helper()
	start := time.Now()
	port := freePort(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	s := &server{bin: bin, log: &syncBuffer{}, done: make(chan struct{})}
	s.args = []string{"--data-dir", t.TempDir(), "--database-url", dbURL, "--log-format", "text"}
	s.env = append(append(withoutWeftVars(os.Environ()), "WEFT_RATE_LIMIT=off"), extraEnv...)
	s.cmd = exec.Command(bin, append([]string{"serve", "--listen", addr, "--domain", addr, "--protocol", "http"}, s.args...)...)
	s.cmd.Env = s.env
	s.cmd.Stderr = s.log
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start weft serve: %v", err)
	}
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	go func() {
		s.err = s.cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default: // the test stopped early: make sure the server goes too
			_ = s.cmd.Process.Kill()
			<-s.done
		}
		if t.Failed() {
			t.Logf("weft serve log (last 150 lines):\n%s", s.log.tail(150))
		}
	})
	deadline := time.After(60 * time.Second)
	for s.url == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				<-s.done
				t.Fatalf("weft serve exited before listening (%v):\n%s", s.err, s.log.tail(50))
			}
			if m := listeningRE.FindStringSubmatch(line); m != nil {
				s.url = m[1]
				if m[2] != addr {
					t.Fatalf("weft serve says domain %s, want %s", m[2], addr)
				}
			} else {
				t.Logf("weft serve: %s", line)
			}
		case <-deadline:
			t.Fatalf("weft serve did not say it listens within 60s:\n%s", s.log.tail(50))
		}
	}
	go func() { // keep draining stdout
		for range lines {
		}
	}()
	t.Logf("weft serve is up at %s after %v (database %s)", s.url, time.Since(start).Round(10*time.Millisecond), redact(dbURL))
	return s
}

// admin runs a `weft admin` command on the server's data and returns its
// standard output.
func (s *server) admin(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.bin, append(append([]string{"admin"}, args...), s.args...)...)
	cmd.Env = s.env
	if os.Getenv("GORACE") == "" {
		// A binary built with -race sleeps 1s at exit by default; twelve
		// admin commands need not.
		cmd.Env = append(cmd.Env, "GORACE=atexit_sleep_ms=0")
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("weft admin %s: %v\n%s%s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return strings.TrimSpace(stdout.String())
}

// createAccounts creates PREFIX_alice, PREFIX_bob and PREFIX_carol, tokens
// for the last two, and returns the scripts' environment.
func (s *server) createAccounts(t *testing.T, prefix string) []string {
	t.Helper()
	start := time.Now()
	defer func() {
		t.Logf("accounts %s_alice, _bob, _carol and tokens created in %v", prefix, time.Since(start).Round(10*time.Millisecond))
	}()
	env := []string{"ACCEPT_URL=" + s.url, "ACCEPT_PASSWORD=" + password}
	for _, who := range []string{"alice", "bob", "carol"} {
		name := prefix + "_" + who
		s.admin(t, "user", "create", "--username", name, "--email", name+"@example.com", "--password", password)
		key := "ACCEPT_" + strings.ToUpper(who)
		if who == "alice" {
			env = append(env, "ACCEPT_USER="+name)
			continue
		}
		tok := s.admin(t, "token", "create", "--username", name, "--scopes", "read write follow")
		if tok == "" || strings.ContainsAny(tok, " \n") {
			t.Fatalf("weft admin token create printed %q, want one token", tok)
		}
		env = append(env, key+"="+name, key+"_TOKEN="+tok)
	}
	return env
}

// stop sends SIGTERM and expects a graceful exit with status 0.
func (s *server) stop(t *testing.T) {
	t.Helper()
	select {
	case <-s.done:
		t.Fatalf("weft serve had already exited (%v)", s.err)
	default:
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case <-s.done:
	case <-time.After(45 * time.Second):
		t.Fatalf("weft serve did not stop within 45s of SIGTERM")
	}
	if s.err != nil {
		t.Fatalf("weft serve exited with %v after SIGTERM, want status 0", s.err)
	}
}

// runScript runs one script with Node 22, streaming its output into the
// test log line by line, and reports whether it exited 0 in time.
func runScript(t *testing.T, node, file string, env []string, timeout time.Duration) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, file)
	cmd.Env = append(withoutWeftVars(os.Environ()), env...)
	cmd.WaitDelay = 5 * time.Second
	w := &lineLogger{t: t, prefix: file + ": "}
	cmd.Stdout, cmd.Stderr = w, w
	start := time.Now()
	err := cmd.Run()
	w.flush()
	took := time.Since(start).Round(100 * time.Millisecond)
	switch {
	case ctx.Err() != nil:
		t.Logf("%s: no result within %v, stopped", file, timeout)
		return false
	case err != nil:
		t.Logf("%s: %v after %v", file, err, took)
		return false
	}
	t.Logf("%s: passed in %v", file, took)
	return true
}

// lineLogger writes each complete line to the test log.
type lineLogger struct {
	t      *testing.T
	prefix string
	mu     sync.Mutex
	buf    []byte
}

func (l *lineLogger) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	for {
		i := bytes.IndexByte(l.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		l.t.Log(l.prefix + string(l.buf[:i]))
		l.buf = l.buf[i+1:]
	}
}

func (l *lineLogger) flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.buf) > 0 {
		l.t.Log(l.prefix + string(l.buf))
		l.buf = nil
	}
}

// syncBuffer collects the server's log.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) tail(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	lines := strings.Split(strings.TrimRight(b.buf.String(), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// freePort asks the kernel for a free loopback port.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// withoutWeftVars drops WEFT_* variables of the caller's environment, so a
// developer's configuration does not change the server under test.
func withoutWeftVars(environ []string) []string {
	var out []string
	for _, kv := range environ {
		if !strings.HasPrefix(kv, "WEFT_") {
			out = append(out, kv)
		}
	}
	return out
}

// redact hides a password in a database URL for the log.
func redact(u string) string {
	return regexp.MustCompile(`://([^:@/]+):[^@/]*@`).ReplaceAllString(u, "://$1:***@")
}
