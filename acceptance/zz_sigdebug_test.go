package acceptance

// TEMPORARY debugging file (removed before handing back).

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"testing"
	"net"

	"weft/internal/httpsig"
)

func TestZZSigDebug(t *testing.T) {
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pemBytes, _ := os.ReadFile("/tmp/sigdbg/pub.pem")
		pub, err := httpsig.ParsePublicKeyPEM(pemBytes)
		if err != nil {
			t.Logf("pem: %v", err)
		}
		t.Logf("got %s %s host=%q headers=%v", r.Method, r.RequestURI, r.Host, r.Header)
		res, err := httpsig.Verify(r, nil, httpsig.VerifyOptions{Scheme: "http"})
		t.Logf("Verify: scheme=%v err=%v", res.Scheme, err)
		if err == nil {
			t.Logf("res.Verify: %v", res.Verify(pub))
		}
		fmt.Fprintln(w, "ok")
	})}
	go srv.Serve(l)
	defer srv.Close()
	node := nodeForTest(t)
	cmd := exec.Command(node, "/tmp/sigdbg/sign.mjs", "http://"+l.Addr().String()+"/users/x")
	cmd.Dir = "."
	out, err := cmd.CombinedOutput()
	t.Logf("node: %v\n%s", err, out)
}
