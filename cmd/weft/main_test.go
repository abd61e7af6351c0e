package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"weft/internal/store"
	"weft/internal/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }

// runCmd runs a weft command in process with its own stdout and stderr.
func runCmd(t *testing.T, ctx context.Context, stdin string, environ []string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(ctx, args, &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, environ: environ})
	return code, out.String(), errb.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestBadConfigExitsTwoWithOneLineAndWritesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	for _, tc := range []struct {
		args    []string
		environ []string
		key     string
	}{
		{[]string{"serve", "--data-dir", dir, "--listen", "8080"}, nil, "--listen"},
		{[]string{"serve", "--data-dir", dir}, []string{"WEFT_LISTEN=127.0.0.1"}, "WEFT_LISTEN"},
		{[]string{"serve", "--data-dir", dir, "--domain", "example.com", "--protocol", "http"}, nil, "--protocol"},
		{[]string{"migrate", "--data-dir", dir, "--database-url", "mysql://x"}, nil, "--database-url"},
		{[]string{"serve", "--data-dir", dir, "--max-post-chars", "lots"}, nil, "--max-post-chars"},
	} {
		code, stdout, stderr := runCmd(t, context.Background(), "", tc.environ, tc.args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", tc.args, code, exitUsage, stderr)
		}
		if lines := strings.Count(strings.TrimSpace(stderr), "\n") + 1; lines != 1 || !strings.Contains(stderr, tc.key) {
			t.Errorf("%v: stderr %q, want one line naming %s", tc.args, stderr, tc.key)
		}
		if stdout != "" {
			t.Errorf("%v: stdout %q, want nothing", tc.args, stdout)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Fatalf("%v: data directory was created", tc.args)
		}
	}
}

func TestUnknownWeftVariableIsAWarning(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runCmd(t, context.Background(), "", []string{"WEFT_DOMIAN=x.test"}, "migrate", "--data-dir", dir)
	if code != 0 || !strings.Contains(stderr, "WEFT_DOMIAN") || !strings.Contains(stdout, "schema version") {
		t.Fatalf("exit %d stdout %q stderr %q", code, stdout, stderr)
	}
}

func TestVersionAndHelp(t *testing.T) {
	code, out, _ := runCmd(t, context.Background(), "", nil, "version")
	if code != 0 || !strings.HasPrefix(out, "weft 0.") {
		t.Fatalf("version: %d %q", code, out)
	}
	code, out, _ = runCmd(t, context.Background(), "", nil, "help", "config")
	if code != 0 || !strings.Contains(out, "WEFT_DATABASE_URL") || !strings.Contains(out, "--fediverse-sharing-default") {
		t.Fatalf("help config: %d %q", code, out)
	}
	if code, _, _ := runCmd(t, context.Background(), "", nil, "frobnicate"); code != exitUsage {
		t.Fatalf("unknown command: exit %d", code)
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	dir := t.TempDir()
	all, err := store.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("schema version %d", all[len(all)-1].Version)
	for i := 0; i < 2; i++ {
		code, out, stderr := runCmd(t, context.Background(), "", nil, "migrate", "--data-dir", dir)
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("run %d: exit %d out %q err %q", i, code, out, stderr)
		}
	}
}

func TestAdminUserCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d := []string{"--data-dir", dir}
	code, out, stderr := runCmd(t, ctx, "s3cret-password\n", nil, append([]string{"admin", "user", "create", "--username", "alice",
		"--email", "alice@example.com", "--password-stdin", "--admin"}, d...)...)
	if code != 0 || !strings.Contains(out, "created user alice") || strings.Contains(out, "password:") {
		t.Fatalf("create: %d %q %q", code, out, stderr)
	}
	code, out, _ = runCmd(t, ctx, "", nil, append([]string{"admin", "user", "create", "--username", "bob", "--email", "bob@example.com"}, d...)...)
	if code != 0 || !strings.Contains(out, "password: ") {
		t.Fatalf("create with generated password: %d %q", code, out)
	}
	// A taken username (any case) is refused with a clear line and status 1.
	code, _, stderr = runCmd(t, ctx, "", nil, append([]string{"admin", "user", "create", "--username", "ALICE", "--email", "a2@example.com", "--password", "another-password"}, d...)...)
	if code != 1 || !strings.Contains(stderr, "already taken") {
		t.Fatalf("duplicate: %d %q", code, stderr)
	}
	code, _, stderr = runCmd(t, ctx, "", nil, append([]string{"admin", "user", "create", "--username", "bad name!", "--email", "c@example.com", "--password", "another-password"}, d...)...)
	if code != 1 || !strings.Contains(stderr, "username") {
		t.Fatalf("bad username: %d %q", code, stderr)
	}
	if code, _, _ := runCmd(t, ctx, "", nil, append([]string{"admin", "user", "suspend", "bob"}, d...)...); code != 0 {
		t.Fatalf("suspend: %d", code)
	}
	if code, _, _ := runCmd(t, ctx, "", nil, append([]string{"admin", "user", "delete", "alice"}, d...)...); code != 0 {
		t.Fatalf("delete: %d", code)
	}
	code, out, _ = runCmd(t, ctx, "", nil, append([]string{"admin", "user", "list"}, d...)...)
	if code != 0 {
		t.Fatalf("list: %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "alice") || !strings.Contains(lines[1], "deleted") ||
		!strings.Contains(lines[2], "bob") || !strings.Contains(lines[2], "suspended") {
		t.Fatalf("list output:\n%s", out)
	}
	if code, _, stderr := runCmd(t, ctx, "", nil, append([]string{"admin", "user", "suspend", "nobody"}, d...)...); code != 1 || !strings.Contains(stderr, "not found") {
		t.Fatalf("suspend unknown: %d %q", code, stderr)
	}
}

// serveInProcess starts `weft serve` in this process and returns its base
// URL and a stop function that returns the exit status.
func serveInProcess(t *testing.T, args ...string) (string, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var errb bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve"}, args...), &env{stdin: strings.NewReader(""), stdout: pw, stderr: &errb})
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("serve did not start: %v; stderr: %s", err, errb.String())
	}
	go io.Copy(io.Discard, pr)
	fields := strings.Fields(line) // weft VERSION listening on URL (domain D)
	if len(fields) < 5 {
		t.Fatalf("start-up line %q", line)
	}
	return fields[4], func() int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(30 * time.Second):
			t.Fatal("serve did not stop")
			return -1
		}
	}
}

func TestServeHealthMetricsAndAdminBesideIt(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	base, stop := serveInProcess(t, "--data-dir", dir, "--listen", addr)
	get := func(path string, host string) (*http.Response, string) {
		req, _ := http.NewRequest("GET", base+path, nil)
		if host != "" {
			req.Host = host
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	for _, host := range []string{"", "127.0.0.1:9", "localhost:8080", "evil.example"} {
		res, body := get("/readyz", host)
		if res.StatusCode != 200 || strings.TrimSpace(body) != "ok" {
			t.Fatalf("readyz with Host %q: %d %q", host, res.StatusCode, body)
		}
	}
	res, _ := get("/livez", "")
	if res.StatusCode != 200 || len(res.Header.Get("X-Request-Id")) < 8 {
		t.Fatalf("livez: %d, request id %q", res.StatusCode, res.Header.Get("X-Request-Id"))
	}
	res, body := get("/no/such/page", "")
	if res.StatusCode != 404 || !strings.Contains(body, `"error"`) {
		t.Fatalf("unknown path: %d %q", res.StatusCode, body)
	}
	// Admin commands run against the same data while the server runs.
	code, out, stderr := runCmd(t, context.Background(), "", nil, "admin", "user", "create", "--data-dir", dir,
		"--username", "carol", "--email", "carol@example.com", "--password", "long-enough-password")
	if code != 0 || !strings.Contains(out, "carol") {
		t.Fatalf("admin create beside serve: %d %q %q", code, out, stderr)
	}
	if code, _, stderr := runCmd(t, context.Background(), "", nil, "admin", "user", "delete", "--data-dir", dir, "carol"); code != 0 {
		t.Fatalf("admin delete beside serve: %d %q", code, stderr)
	}
	// The running server's workers pick up the deletion job the admin command enqueued.
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, metrics := get("/metrics", "")
		if strings.Contains(metrics, `weft_jobs{kind="delete_account",state="completed"} 1`) {
			for _, want := range []string{"weft_http_requests_total", "weft_http_request_duration_seconds", "go_sql_open_connections"} {
				if !strings.Contains(metrics, want) {
					t.Fatalf("metrics lack %s", want)
				}
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("delete job not completed; metrics:\n%s", metrics)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code := stop(); code != 0 {
		t.Fatalf("serve exited %d", code)
	}
}

func TestServeTLSAndRedirect(t *testing.T) {
	dir := t.TempDir()
	cert, key := selfSigned(t, dir)
	addr, redirect := freeAddr(t), freeAddr(t)
	base, stop := serveInProcess(t, "--data-dir", dir, "--listen", addr, "--tls-cert", cert, "--tls-key", key,
		"--listen-redirect", redirect, "--domain", "weft.test")
	if !strings.HasPrefix(base, "https://") {
		t.Fatalf("base %q is not https", base)
	}
	client := &http.Client{
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}, // our own self-signed cert
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	res, err := client.Get(base + "/readyz")
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("https readyz: %v %v", res, err)
	}
	res.Body.Close()
	res, err = client.Get("http://" + redirect + "/@alice?x=1")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusPermanentRedirect || res.Header.Get("Location") != "https://weft.test/@alice?x=1" {
		t.Fatalf("redirect: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if code := stop(); code != 0 {
		t.Fatalf("serve exited %d", code)
	}
}

func selfSigned(t *testing.T, dir string) (string, string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "weft.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), DNSNames: []string{"weft.test"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(k)
	cert, key := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	return cert, key
}

// TestBinaryStopsOnSignal builds the real binary, starts it with no flags
// in an empty directory (the newcomer's first run) and stops it with SIGINT
// and SIGTERM: it must exit 0.
func TestBinaryStopsOnSignal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "weft")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		work := t.TempDir()
		cmd := exec.Command(bin, "serve", "--listen", freeAddr(t))
		cmd.Dir = work
		stdout, _ := cmd.StdoutPipe()
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil || !strings.Contains(line, "listening on http://127.0.0.1:") {
			cmd.Process.Kill()
			t.Fatalf("start-up line %q (%v); stderr %s", line, err, stderr.String())
		}
		if _, err := os.Stat(filepath.Join(work, "weft-data", "weft.db")); err != nil {
			t.Fatalf("no database under ./weft-data: %v", err)
		}
		cmd.Process.Signal(sig)
		errc := make(chan error, 1)
		go func() { errc <- cmd.Wait() }()
		select {
		case err := <-errc:
			if err != nil {
				t.Fatalf("%v: exit: %v; stderr %s", sig, err, stderr.String())
			}
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("%v: did not stop", sig)
		}
		if strings.Contains(stderr.String(), `"level":"ERROR"`) {
			t.Fatalf("errors logged: %s", stderr.String())
		}
	}
}
