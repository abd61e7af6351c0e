package federation_test

// Federation benchmarks: what the fan-out of deliveries can reach at best
// (raw RSA signatures), how fast a real weft instance takes signed
// Create(Note) deliveries in and applies them, and how fast it delivers
// one post to 1,000 servers. Figures and how to read them are in
// docs/benchmarks.md (the "Federation" sections).
//
// They run a real instance (testkit.NewInstance: HTTP on loopback, the job
// queue's workers started, SQLite, and PostgreSQL when
// WEFT_TEST_POSTGRES_URL is set; the …Serve variants build weft as
// `weft serve` does) and talk to it only over HTTP, as remote servers do,
// so what they time is weft's whole path: signature checks, transactions,
// the job queue, fan-out to home timelines.

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"weft/internal/federation"
	"weft/internal/httpsig"
	"weft/internal/id"
	"weft/internal/model"
	"weft/internal/server"
	"weft/internal/service"
	"weft/internal/store"
	"weft/internal/testkit"
)

const (
	// benchIngestBatch is how many Create(Note) deliveries one operation
	// of BenchmarkInboxIngest posts: enough that the queue's start-up and
	// the last job's latency are a small part of the time, few enough that
	// one operation stays within seconds.
	benchIngestBatch = 2000
	// benchIngestClients is how many remote connections post at once:
	// a few busy peers, as a popular server sees.
	benchIngestClients = 4
	// benchFanOutInboxes is how many distinct servers follow the poster
	// in BenchmarkDeliveryFanOut.
	benchFanOutInboxes = 1000
	// benchWaitLimit bounds every wait, so a broken pipeline fails the
	// benchmark instead of hanging it.
	benchWaitLimit = 2 * time.Minute
)

// benchSkipShort: these benchmarks start servers and take seconds, so the
// quick benchmark pass of CI (-short) leaves them out.
func benchSkipShort(b *testing.B) {
	b.Helper()
	if testing.Short() {
		b.Skip("federation benchmarks start real servers; not in -short")
	}
}

// benchKeyOnce is one RSA-2048 key for the raw signature benchmarks:
// generating one takes up to a few hundred milliseconds, which would
// otherwise be paid again by every sub-benchmark run.
var benchKeyOnce = sync.OnceValues(httpsig.GenerateKey)

func benchKey(b *testing.B) *rsa.PrivateKey {
	b.Helper()
	k, err := benchKeyOnce()
	if err != nil {
		b.Fatal(err)
	}
	return k
}

// benchSigningString is what a cavage signature of a delivery signs, so
// the hashing in front of each RSA operation has its real size.
var benchSigningString = []byte("(request-target): post /users/f123/inbox\n" +
	"host: mastodon.example\n" +
	"date: Thu, 26 Nov 2026 10:00:00 GMT\n" +
	"digest: SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")

// benchSign is one raw signature as httpsig makes it: SHA-256 of the
// signing string, then RSA PKCS#1 v1.5.
func benchSign(key *rsa.PrivateKey) ([]byte, error) {
	h := sha256.Sum256(benchSigningString)
	return rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, h[:])
}

// BenchmarkRSA is the ceiling of delivery fan-out: every delivery costs
// one RSA-2048 signature, and every received activity one verification.
// "1-goroutine" is one core's rate, "all-cores" GOMAXPROCS goroutines.
func BenchmarkRSA(b *testing.B) {
	benchSkipShort(b)
	key := benchKey(b)
	sig, err := benchSign(key)
	if err != nil {
		b.Fatal(err)
	}
	sign := func() error { _, err := benchSign(key); return err }
	verify := func() error {
		h := sha256.Sum256(benchSigningString)
		return rsa.VerifyPKCS1v15(&key.PublicKey, crypto.SHA256, h[:], sig)
	}
	if err := verify(); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name, unit string
		op         func() error
	}{{"sign", "signs/s", sign}, {"verify", "verifies/s", verify}} {
		b.Run(c.name+"/1-goroutine", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if err := c.op(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), c.unit)
		})
		b.Run(c.name+"/all-cores", func(b *testing.B) {
			var failed atomic.Value
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := c.op(); err != nil {
						failed.Store(err)
					}
				}
			})
			if err, _ := failed.Load().(error); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), c.unit)
		})
	}
	// Parsing a member's PEM key (with the checks crypto/x509 runs on a
	// private key): every delivery paid it before federation.go kept
	// parsed signers, and a signer not in that cache still does, so its
	// size beside a signature is worth knowing.
	pemKey, err := httpsig.EncodePrivateKeyPEM(key)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("parse-private-key/1-goroutine", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := httpsig.ParsePrivateKeyPEM(pemKey); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "parses/s")
	})
}

// benchSignRate measures raw signatures per second with the given number
// of goroutines for about d. The fan-out benchmark calls it in the same
// run as its deliveries, so that the ratio it reports compares figures
// taken on the same (noisy) machine at the same time.
func benchSignRate(b *testing.B, key *rsa.PrivateKey, goroutines int, d time.Duration) float64 {
	b.Helper()
	var n atomic.Int64
	var failed atomic.Value
	start := time.Now()
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for time.Since(start) < d {
				if _, err := benchSign(key); err != nil {
					failed.Store(err)
					return
				}
				n.Add(1)
			}
		})
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	return float64(n.Load()) / time.Since(start).Seconds()
}

// benchIDs numbers the rows the benchmarks insert themselves.
var benchIDs = id.New(nil)

// benchCPU is the CPU time this process has used so far. The benchmarks
// report the share of the machine's cores used while timed ("cpu-used%"):
// far below 100% means weft waits rather than works. The share includes
// the in-process senders and stand-in servers, whose work is small
// beside weft's (posting pre-signed requests; one RSA verification per
// delivery, about 4% of a signature).
func benchCPU(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	testkit.Must(b, syscall.Getrusage(syscall.RUSAGE_SELF, &ru), "getrusage")
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchReportCPU reports cpu as a share of all cores over the timed part.
func benchReportCPU(b *testing.B, cpu time.Duration) {
	b.ReportMetric(100*cpu.Seconds()/(b.Elapsed().Seconds()*float64(runtime.GOMAXPROCS(0))), "cpu-used%")
}

// benchMember makes a local member who shares with the fediverse, with a
// token. The account is inserted directly (no password hash, as
// testkit's QuickAccount does), so that it works on every instance built
// here, testkit's and benchServe's alike.
func benchMember(b *testing.B, w *testkit.API, username string) (*model.Account, string) {
	b.Helper()
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Millisecond)
	acc := &model.Account{ID: benchIDs.Next(), Username: username, Discoverable: true, CreatedAt: now, UpdatedAt: now}
	testkit.Must(b, w.Store.InTx(ctx, func(tx *store.Tx) error { return tx.InsertAccount(ctx, acc) }), "insert %s", username)
	sharing := true
	acc, err := w.Service.UpdateProfile(ctx, acc.ID, service.ProfileUpdate{FediverseSharing: &sharing})
	testkit.Must(b, err, "share")
	return acc, w.Token(b, acc, "read write follow")
}

// benchServe starts weft on SQLite as `weft serve` builds it
// (server.OpenCore), with the given job_workers. testkit's instances give
// the job queue options of their own (4 workers, a 10 ms poll), and the
// delivery and ingestion rates depend on exactly those options (how many
// jobs run at once, how often the queue fetches), so the benchmarks
// measure weft as it is deployed too.
func benchServe(b *testing.B, jobWorkers int) *testkit.API {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	testkit.Must(b, err, "listen")
	dir := b.TempDir()
	cfg := testkit.TestConfig()
	cfg.Domain, cfg.Protocol, cfg.Listen = ln.Addr().String(), "http", ln.Addr().String()
	cfg.DataDir, cfg.DatabaseURL = dir, "sqlite:"+dir+"/weft.db"
	cfg.FederationAllowPrivate = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	cfg.JobWorkers = jobWorkers
	log := slog.New(slog.DiscardHandler)
	core, err := server.OpenCore(context.Background(), cfg, log)
	testkit.Must(b, err, "open core")
	b.Cleanup(core.Close)
	handler := server.ForCore(core, cfg, log).Handler()
	ts := httptest.NewUnstartedServer(handler)
	ts.Listener.Close()
	ts.Listener = ln
	ts.Start()
	b.Cleanup(ts.Close)
	testkit.Must(b, core.Queue.Start(context.Background()), "start jobs")
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = core.Queue.Stop(ctx)
	})
	client := ts.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &testkit.API{Core: &testkit.Core{Store: core.Store, Queue: core.Queue, Service: core.Service, Fed: core.Fed},
		URL: ts.URL, Config: cfg, Client: client, Handler: handler, Bus: core.Bus}
}

// benchServeWorkers are the job_workers of the benchServe runs: the
// default of `weft serve`, a value an operator would set for a busy
// server (deliveries wait on the network, so more workers than cores),
// and one wide enough that the number of workers no longer caps the rate,
// which shows what the rest of the pipeline can do.
var benchServeWorkers = []int{10, 64, 256}

// benchFollowPeer has a member follow a peer's actor through the client
// API (search with resolve, follow) and the peer accept, as a remote
// server with open follows does.
func benchFollowPeer(b *testing.B, w *testkit.API, token string, p *testkit.Peer, name string) {
	b.Helper()
	res := w.Do(b, "GET", "/api/v2/search?type=accounts&resolve=true&q="+url.QueryEscape(p.Handle(name)), token, nil).Want(b, 200).Map(b)
	accs, _ := res["accounts"].([]any)
	if len(accs) != 1 {
		b.Fatalf("search %s: %v", p.Handle(name), res)
	}
	accID := accs[0].(map[string]any)["id"].(string)
	w.Do(b, "POST", "/api/v1/accounts/"+accID+"/follow", token, nil).Want(b, 200)
	follow := p.WaitFor(b, "weft's Follow", 10*time.Second, func(r testkit.Received) bool {
		return r.Type() == "Follow" && r.Activity["object"] == p.ActorID(name)
	})
	if st := p.Accept(b, follow); st != http.StatusAccepted {
		b.Fatalf("the peer's Accept: %d", st)
	}
	benchWait(b, "the follow is accepted", func() bool {
		rels := w.Do(b, "GET", "/api/v1/accounts/relationships?id[]="+accID, token, nil).Want(b, 200).List(b)
		return rels[0]["following"] == true
	})
}

// benchWait polls cond every few milliseconds until it holds: the
// benchmarks time the moment work is done, so the poll must be fine
// grained and cheap.
func benchWait(b *testing.B, what string, cond func() bool) {
	b.Helper()
	deadline := time.Now().Add(benchWaitLimit)
	for !cond() {
		if time.Now().After(deadline) {
			b.Fatalf("timed out (%v) waiting until %s", benchWaitLimit, what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// benchHomeCount counts a member's home timeline rows on the read pool:
// one indexed count, cheap enough to poll while the workers write.
func benchHomeCount(b *testing.B, w *testkit.API, accountID int64) int {
	b.Helper()
	var n int
	err := w.Store.ReadDB().QueryRowContext(context.Background(),
		`SELECT COUNT(*) FROM home_feed WHERE account_id = $1`, accountID).Scan(&n)
	testkit.Must(b, err, "count home timeline")
	return n
}

// benchSignedCreates builds n signed deliveries of public Create(Note)
// activities by a peer's actor to an inbox. They are signed here, before
// the timed part, so that what is timed is the receiving server's work
// and not the sender's RSA.
func benchSignedCreates(b *testing.B, p *testkit.Peer, name, inbox string, n, round int) []*http.Request {
	b.Helper()
	actor := p.ActorID(name)
	key := p.Key(b, name)
	now := time.Now().UTC()
	reqs := make([]*http.Request, n)
	for i := range reqs {
		noteID := p.NextID(name, "notes")
		body, err := json.Marshal(map[string]any{
			"@context": "https://www.w3.org/ns/activitystreams",
			"id":       noteID + "/activity",
			"type":     "Create",
			"actor":    actor,
			"to":       []string{"https://www.w3.org/ns/activitystreams#Public"},
			"cc":       []string{p.Followers(name)},
			"object": map[string]any{
				"id":           noteID,
				"type":         "Note",
				"attributedTo": actor,
				"content":      fmt.Sprintf("<p>post %d of round %d, a line of text as people write it, with a <a href=\"https://example.com/%d\">link</a></p>", i, round, i),
				"published":    now.Format(time.RFC3339),
				"to":           []string{"https://www.w3.org/ns/activitystreams#Public"},
				"cc":           []string{p.Followers(name)},
				"url":          noteID,
			},
		})
		testkit.Must(b, err, "encode activity")
		req, err := http.NewRequest(http.MethodPost, inbox, nil)
		testkit.Must(b, err, "request")
		req.Header.Set("Content-Type", "application/activity+json")
		testkit.Must(b, httpsig.SignWith(req, p.KeyID(name), key, httpsig.Cavage, body, httpsig.SignOptions{}), "sign")
		reqs[i] = req
	}
	return reqs
}

// benchPostAll sends the requests with `clients` concurrent connections
// and fails unless each was accepted (202).
func benchPostAll(b *testing.B, client *http.Client, reqs []*http.Request, clients int) {
	b.Helper()
	var next atomic.Int64
	errs := make(chan error, clients)
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(reqs) {
					return
				}
				res, err := client.Do(reqs[i])
				if err != nil {
					errs <- err
					return
				}
				answer, _ := io.ReadAll(io.LimitReader(res.Body, 4<<10))
				res.Body.Close()
				if res.StatusCode != http.StatusAccepted {
					errs <- fmt.Errorf("delivery %d: %d %s", i, res.StatusCode, answer)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}

// BenchmarkInboxIngest: signed Create(Note) deliveries per second into a
// real weft instance, from a remote actor that a local member follows, so
// that every post is wanted, stored and fanned out to the member's home
// timeline. One operation is benchIngestBatch deliveries, posted by
// benchIngestClients connections, timed from the first POST until the home
// timeline holds every post and the job queue is idle.
func BenchmarkInboxIngest(b *testing.B) {
	benchSkipShort(b)
	for _, d := range testkit.Dialects() {
		b.Run(string(d), func(b *testing.B) { benchInboxIngest(b, testkit.NewInstance(b, d), benchIngestBatch) })
	}
}

// BenchmarkInboxIngestServe is BenchmarkInboxIngest against weft as
// `weft serve` builds it (SQLite), at each of benchServeWorkers.
func BenchmarkInboxIngestServe(b *testing.B) {
	benchSkipShort(b)
	for _, n := range benchServeWorkers {
		b.Run(fmt.Sprintf("job_workers=%d", n), func(b *testing.B) { benchInboxIngest(b, benchServe(b, n), benchIngestBatch) })
	}
}

func benchInboxIngest(b *testing.B, w *testkit.API, batch int) {
	reader, token := benchMember(b, w, "reader")
	p := testkit.NewPeer(b, "poster")
	benchFollowPeer(b, w, token, p, "poster")
	w.Settle(b)
	if n := benchHomeCount(b, w, reader.ID); n != 0 {
		b.Fatalf("the home timeline holds %d rows before any post", n)
	}
	// Keep-alive connections, one per client, as a remote server's
	// delivery workers hold them.
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConnsPerHost: benchIngestClients, MaxConnsPerHost: benchIngestClients}}
	b.Cleanup(client.CloseIdleConnections)

	total := 0
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		reqs := benchSignedCreates(b, p, "poster", w.URL+"/inbox", batch, i)
		cpu0 := benchCPU(b)
		b.StartTimer()
		benchPostAll(b, client, reqs, benchIngestClients)
		total += len(reqs)
		benchWait(b, "every post is in the home timeline", func() bool { return benchHomeCount(b, w, reader.ID) >= total })
		w.Settle(b)
		b.StopTimer()
		cpu += benchCPU(b) - cpu0
	}
	if n := benchHomeCount(b, w, reader.ID); n != total {
		b.Fatalf("the home timeline holds %d posts, want %d", n, total)
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "activities/s")
	benchReportCPU(b, cpu)
	b.ReportMetric(0, "ns/op") // one op is a whole batch: activities/s is the figure
}

// benchStandIns are benchFanOutInboxes remote servers in one process: one
// http.Server on as many loopback listeners, each its own host:port with
// one account and its personal inbox (no shared inbox, so one delivery
// per server). An inbox counts a delivery once it has verified its
// signature as a receiving server does: fresh, covering the body's
// digest, by the poster's key.
type benchStandIns struct {
	keyID string
	pub   *rsa.PublicKey
	srv   *http.Server
	lns   []net.Listener

	mu      sync.Mutex
	start   time.Time
	first   time.Duration     // first verified delivery after start
	got     map[string]string // listener address → activity id received this round
	bad     []string
	done    chan struct{}
	want    int
	arrived atomic.Int64 // every POST, verified or not
}

func newBenchStandIns(b *testing.B, n int, keyID string, pub *rsa.PublicKey) *benchStandIns {
	b.Helper()
	// got and done are ready before any POST can arrive; arm renews them.
	s := &benchStandIns{keyID: keyID, pub: pub, want: n, got: map[string]string{}, done: make(chan struct{})}
	s.srv = &http.Server{Handler: http.HandlerFunc(s.serve), ReadHeaderTimeout: 10 * time.Second}
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatalf("listen: %v (the fan-out benchmark needs about 3 file descriptors per inbox; see ulimit -n)", err)
		}
		s.lns = append(s.lns, ln)
		go func() { _ = s.srv.Serve(ln) }()
	}
	b.Cleanup(func() { _ = s.srv.Close() })
	return s
}

// arm starts a round: nothing received yet, the clock at now.
func (s *benchStandIns) arm() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.got = make(map[string]string, s.want)
	s.bad = nil
	s.done = make(chan struct{})
	s.start = time.Now()
	s.first = 0
}

func (s *benchStandIns) serve(w http.ResponseWriter, r *http.Request) {
	s.arrived.Add(1)
	if r.Method != http.MethodPost {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	// The listener the connection came in on is the inbox's server;
	// the path must be its account's inbox.
	addr := r.Context().Value(http.LocalAddrContextKey).(net.Addr).String()
	fail := func(why string) {
		s.mu.Lock()
		s.bad = append(s.bad, addr+r.URL.Path+": "+why)
		s.mu.Unlock()
		http.Error(w, why, http.StatusUnauthorized)
	}
	if r.Host != addr || r.URL.Path != "/users/f/inbox" {
		fail("delivered to " + r.Host + r.URL.Path)
		return
	}
	res, err := httpsig.Verify(r, body, httpsig.VerifyOptions{Scheme: "http"})
	if err != nil {
		fail(err.Error())
		return
	}
	if res.KeyID != s.keyID {
		fail("signed with key " + res.KeyID)
		return
	}
	if err := res.Verify(s.pub); err != nil {
		fail(err.Error())
		return
	}
	var act struct{ ID, Type string }
	if err := json.Unmarshal(body, &act); err != nil || act.Type != "Create" {
		fail("not a Create: " + string(body))
		return
	}
	s.mu.Lock()
	if _, seen := s.got[addr]; !seen {
		if len(s.got) == 0 {
			s.first = time.Since(s.start)
		}
		s.got[addr] = act.ID
		if len(s.got) == s.want {
			close(s.done)
		}
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

// BenchmarkDeliveryFanOut: one public post by a local member followed by
// accounts on benchFanOutInboxes distinct servers, timed from the post's
// creation until every server has received and verified its delivery.
// It reports deliveries/s and, measured in the same run, the raw RSA
// signing rate on one core and on all cores, with the deliveries' share
// of each: every delivery costs one signature, so signing is the ceiling.
func BenchmarkDeliveryFanOut(b *testing.B) {
	benchSkipShort(b)
	for _, d := range testkit.Dialects() {
		b.Run(string(d), func(b *testing.B) { benchDeliveryFanOut(b, testkit.NewInstance(b, d)) })
	}
}

// BenchmarkDeliveryFanOutServe is BenchmarkDeliveryFanOut against weft as
// `weft serve` builds it (SQLite), at each of benchServeWorkers.
func BenchmarkDeliveryFanOutServe(b *testing.B) {
	benchSkipShort(b)
	for _, n := range benchServeWorkers {
		b.Run(fmt.Sprintf("job_workers=%d", n), func(b *testing.B) { benchDeliveryFanOut(b, benchServe(b, n)) })
	}
}

func benchDeliveryFanOut(b *testing.B, w *testkit.API) {
	ctx := context.Background()
	poster, _ := benchMember(b, w, "poster")
	// The member's key is made on first use; made now, it is not part of
	// the timed fan-out (and the deliveries do not race to make it).
	key, err := w.Service.ActorKey(ctx, poster.ID)
	testkit.Must(b, err, "actor key")
	pub, err := httpsig.ParsePublicKeyPEM([]byte(key.PublicPEM))
	testkit.Must(b, err, "public key")
	priv, err := httpsig.ParsePrivateKeyPEM([]byte(key.PrivatePEM))
	testkit.Must(b, err, "private key")
	stand := newBenchStandIns(b, benchFanOutInboxes, federation.KeyID(w.Service.ActorURI(poster)), pub)

	// The followers are seeded directly: their accounts as a fetch of
	// their actor documents would have saved them, then the follows in
	// one transaction, as accepted Follows would have left them.
	now := time.Now().UTC()
	followers := make([]*model.Account, 0, benchFanOutInboxes)
	for _, ln := range stand.lns {
		host := ln.Addr().String()
		actor := "http://" + host + "/users/f"
		acc, err := w.Service.SaveRemoteAccount(ctx, service.RemoteProfile{
			Account: model.Account{Username: "f", Domain: host, URI: actor, URL: actor, Discoverable: true},
			Actor: model.RemoteActor{Type: "Person", Inbox: actor + "/inbox", Outbox: actor + "/outbox",
				Followers: actor + "/followers", Following: actor + "/following", KeyID: actor + "#main-key",
				PublicKeyPEM: key.PublicPEM},
		})
		testkit.Must(b, err, "save remote account %s", actor)
		followers = append(followers, acc)
	}
	err = w.Store.InTx(ctx, func(tx *store.Tx) error {
		for _, f := range followers {
			if _, err := tx.InsertFollow(ctx, &model.Follow{ID: benchIDs.Next(), AccountID: f.ID, TargetAccountID: poster.ID,
				ShowReblogs: true, URI: f.URI + "#follows/1", CreatedAt: now}); err != nil {
				return err
			}
			if err := tx.AdjustAccountCounts(ctx, f.ID, 0, 1, 0); err != nil {
				return err
			}
		}
		return tx.AdjustAccountCounts(ctx, poster.ID, int64(len(followers)), 0, 0)
	})
	testkit.Must(b, err, "seed follows")
	inboxes, err := w.Service.FollowerInboxes(ctx, poster.ID)
	testkit.Must(b, err, "follower inboxes")
	if len(inboxes) != benchFanOutInboxes {
		b.Fatalf("%d delivery inboxes, want %d", len(inboxes), benchFanOutInboxes)
	}
	w.Settle(b)

	var firstTotal, cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		stand.arm()
		cpu0 := benchCPU(b)
		b.StartTimer()
		v, err := w.Service.CreatePost(ctx, poster.ID, service.PostInput{Text: fmt.Sprintf("round %d: hello to a thousand servers #weft", i)})
		testkit.Must(b, err, "post")
		select {
		case <-stand.done:
		case <-time.After(benchWaitLimit):
			stand.mu.Lock()
			n, bad := len(stand.got), stand.bad
			stand.mu.Unlock()
			b.Fatalf("after %v, %d of %d inboxes verified a delivery; refused: %v", benchWaitLimit, n, benchFanOutInboxes, bad)
		}
		b.StopTimer()
		cpu += benchCPU(b) - cpu0
		w.Settle(b)
		stand.mu.Lock()
		want := w.Service.StatusURI(v.Status, poster) + "/activity"
		for addr, got := range stand.got {
			if got != want {
				b.Fatalf("%s received %s, want %s", addr, got, want)
			}
		}
		if len(stand.bad) > 0 {
			b.Fatalf("deliveries refused: %v", stand.bad)
		}
		firstTotal += stand.first
		stand.mu.Unlock()
	}
	elapsed := b.Elapsed()
	if extra := stand.arrived.Load() - int64(b.N*benchFanOutInboxes); extra != 0 {
		b.Logf("%d POSTs beyond one per inbox per post (retries or second knocks)", extra)
	}
	deliveries := float64(b.N*benchFanOutInboxes) / elapsed.Seconds()
	// The raw signing rates of the member's own key, now, on this machine.
	one := benchSignRate(b, priv, 1, 500*time.Millisecond)
	all := benchSignRate(b, priv, runtime.GOMAXPROCS(0), 500*time.Millisecond)
	b.ReportMetric(deliveries, "deliveries/s")
	b.ReportMetric(one, "sign-1core/s")
	b.ReportMetric(all, "sign-allcores/s")
	b.ReportMetric(100*deliveries/one, "%of-1core")
	b.ReportMetric(100*deliveries/all, "%of-allcores")
	b.ReportMetric(float64(firstTotal.Milliseconds())/float64(b.N), "first-ms")
	benchReportCPU(b, cpu)
	b.ReportMetric(0, "ns/op") // one op is a whole fan-out: deliveries/s is the figure
}
