//go:build unix

// Package s3rvertest runs s3rver, a real S3-compatible server (a Node
// program the acceptance suite's `npm ci` installs), for tests: the storage
// backend's conformance tests and weft's end-to-end tests with media on S3.
// Without s3rver the tests skip, unless WEFT_ACCEPTANCE_REQUIRED is set (as
// in CI), where they fail.
package s3rvertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

const (
	Key    = "S3RVER" // access key and secret: s3rver takes this pair only
	Region = "us-east-1"
	// s3rverStartTimeout bounds the wait for a started s3rver to answer.
	s3rverStartTimeout = 15 * time.Second
)

// Required: set in CI (WEFT_ACCEPTANCE_REQUIRED), where a missing s3rver is a failure, not
// a reason to skip.
func Required() bool {
	v := os.Getenv("WEFT_ACCEPTANCE_REQUIRED")
	return v != "" && v != "0"
}

func skipOrFail(t testing.TB, msg string) {
	t.Helper()
	if Required() {
		t.Fatal(msg + " (and WEFT_ACCEPTANCE_REQUIRED is set)")
	}
	t.Skip(msg)
}

// s3rverCommand finds s3rver in the acceptance suite's node_modules and the
// node to run it with: the Node 22 the acceptance suite pins (npm package
// node), else node on PATH.
func s3rverCommand(t testing.TB) (node, script string) {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	modules := filepath.Join(root, "acceptance", "node_modules")
	script = filepath.Join(modules, "s3rver", "bin", "s3rver.js")
	if _, err := os.Stat(script); err != nil {
		skipOrFail(t, fmt.Sprintf("s3rver is not installed (%v): run `cd acceptance && npm ci` to test the S3 backend", err))
	}
	node = filepath.Join(modules, "node", "bin", "node")
	if _, err := os.Stat(node); err != nil {
		if node, err = exec.LookPath("node"); err != nil {
			skipOrFail(t, "no node to run s3rver with: run `cd acceptance && npm ci` (it installs Node 22)")
		}
	}
	return node, script
}

// freePort asks the kernel for a free loopback port. Another process could
// take it before s3rver binds it; startS3rver retries then.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Start runs s3rver on a free loopback port with its data in a temp
// directory, waits until it answers, and stops it (its whole process group)
// when the test ends. It returns the endpoint address, host:port.
func Start(t testing.TB) string {
	t.Helper()
	node, script := s3rverCommand(t)
	dataDir := t.TempDir() // registered first, so removed after s3rver is stopped
	var lastErr string
	for range 3 {
		port := freePort(t)
		addr := "127.0.0.1:" + strconv.Itoa(port)
		cmd := exec.Command(node, script,
			"--directory", dataDir, "--address", "127.0.0.1", "--port", strconv.Itoa(port), "--silent")
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		setDeathSignal(cmd.SysProcAttr)
		var out bytes.Buffer // read only after the process has exited
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatalf("starting s3rver: %v", err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		stop := func() { stopProcessGroup(t, cmd.Process.Pid, exited) }

		switch waitAnswering(addr, exited) {
		case nil:
			t.Cleanup(stop)
			return addr
		case errExited:
			stop() // reaps it and checks that nothing of it is left
			// Most likely the port was taken meanwhile: try another.
			lastErr = fmt.Sprintf("s3rver exited at start: %s", strings.TrimSpace(out.String()))
		default:
			stop()
			t.Fatalf("s3rver did not answer on %s within %v", addr, s3rverStartTimeout)
		}
	}
	t.Fatal(lastErr)
	return ""
}

var errExited = errors.New("exited")

// waitAnswering polls addr until it answers HTTP, the process exits or
// s3rverStartTimeout passes.
func waitAnswering(addr string, exited chan error) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(s3rverStartTimeout)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			exited <- err // for stopProcessGroup
			return errExited
		default:
		}
		resp, err := client.Get("http://" + addr + "/")
		if err == nil {
			resp.Body.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return errors.New("timeout")
}

// stopProcessGroup ends s3rver and anything it started: SIGTERM to the
// group, SIGKILL if it lingers, and a check that nothing is left.
func stopProcessGroup(t testing.TB, pid int, exited chan error) {
	_ = syscall.Kill(-pid, syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		<-exited
	}
	// The leader is reaped; any other member of the group would still
	// answer signal 0.
	if err := syscall.Kill(-pid, 0); err == nil {
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		t.Errorf("s3rver's process group %d outlived it; killed", pid)
	}
}

// moduleRoot finds the directory of weft's go.mod from the working
// directory (a package's directory, when tests run).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("s3rvertest: no go.mod above the working directory")
		}
		dir = parent
	}
}

var buckets atomic.Int64

// Bucket makes a fresh bucket on the s3rver at addr and returns its name.
func Bucket(t testing.TB, addr string) string {
	t.Helper()
	admin, err := minio.New(addr, &minio.Options{Creds: credentials.NewStaticV4(Key, Key, ""), Region: Region,
		BucketLookup: minio.BucketLookupPath})
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("weft-test-%d-%d", os.Getpid(), buckets.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := admin.MakeBucket(ctx, name, minio.MakeBucketOptions{Region: Region}); err != nil {
		t.Fatalf("make bucket %s: %v", name, err)
	}
	return name
}
