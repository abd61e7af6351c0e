// Package federation is weft's ActivityPub server-to-server side beyond
// serving documents: receiving activities in inboxes (verify → dedupe →
// enqueue → apply), finding remote actors and posts (WebFinger and signed
// fetches), and sending local activity to the inboxes that need it
// (one signed delivery job per inbox). It calls the service for every
// rule; the service never calls it, it only enqueues its jobs.
package federation

import (
	"context"
	"crypto/rsa"
	"fmt"
	"log/slog"
	"net/netip"
	"sync"

	"weft/internal/federation/transport"
	"weft/internal/httpsig"
	"weft/internal/service"
	"weft/internal/throttle"
)

// Settings are what federation needs of the configuration.
type Settings struct {
	Domain   string // host[:port] of this server
	BaseURL  string // scheme://domain
	Protocol string // "https" or "http": the scheme of every remote request (never a downgrade on https)
	// AllowPrivate lists loopback/private ranges remote requests may reach
	// (test setups with several instances on one machine).
	AllowPrivate []netip.Prefix
	UserAgent    string
}

// Federation is the fediverse side of one process.
type Federation struct {
	svc    *service.Service
	client *transport.Client
	render *Renderer
	cfg    Settings
	log    *slog.Logger

	// knock remembers, per inbox host, the signature scheme that host
	// accepted last, so the double-knock (cavage, then RFC 9421 after a 4xx)
	// costs one request once per host, not per delivery. Losing it on a
	// restart only costs a retried request.
	knock sync.Map // host → httpsig.Scheme

	refetch   throttle.Throttle[string] // re-fetches of keys after a failed signature
	refresh   throttle.Throttle[string] // refreshes of stale actors (after one fails, not again for a while)
	signersMu sync.Mutex
	signers   map[int64]*transport.Signer // parsed once (accountSigner)
	pubsMu    sync.Mutex
	pubs      map[string]*rsa.PublicKey // remote keys by PEM, parsed once
	hosts     hostHealth                // unavailable and failing servers, deliveries running
}

// New builds the federation side.
func New(svc *service.Service, cfg Settings, log *slog.Logger) *Federation {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Protocol == "" {
		cfg.Protocol = "https"
	}
	ua := cfg.UserAgent
	if ua == "" {
		ua = "weft (+" + cfg.BaseURL + "/)"
	}
	return &Federation{
		svc: svc, cfg: cfg, log: log,
		client: transport.New(transport.Options{AllowPrivate: cfg.AllowPrivate, UserAgent: ua}),
		render: NewRenderer(svc, cfg.Domain, cfg.BaseURL),
	}
}

// Renderer returns the document renderer (the document endpoints use it).
func (f *Federation) Renderer() *Renderer { return f.render }

// instanceSigner signs the server's own fetches as the instance actor:
// servers in secure mode refuse unsigned GETs.
func (f *Federation) instanceSigner(ctx context.Context) (*transport.Signer, error) {
	k, err := f.svc.InstanceKey(ctx)
	if err != nil {
		return nil, err
	}
	return signerOf(f.cfg.BaseURL+"/actor#main-key", k.PrivatePEM)
}

// accountSigner signs as a local account (its deliveries). Signers are
// kept once parsed: parsing a PEM key costs a third of what signing does,
// and an account's key never changes once made (account_keys rows are
// written once).
func (f *Federation) accountSigner(ctx context.Context, accountID int64) (*transport.Signer, error) {
	f.signersMu.Lock()
	s, ok := f.signers[accountID]
	f.signersMu.Unlock()
	if ok {
		return s, nil
	}
	s, err := f.loadSigner(ctx, accountID)
	if err != nil {
		return nil, err
	}
	f.signersMu.Lock()
	if f.signers == nil || len(f.signers) >= maxSigners {
		f.signers = map[int64]*transport.Signer{} // bounded: the active posters come back at once
	}
	f.signers[accountID] = s
	f.signersMu.Unlock()
	return s, nil
}

// maxSigners bounds the parsed keys kept (a few KB each).
const maxSigners = 4096

func (f *Federation) loadSigner(ctx context.Context, accountID int64) (*transport.Signer, error) {
	if accountID == 0 {
		return f.instanceSigner(ctx)
	}
	acc, err := f.svc.AccountByID(ctx, accountID)
	if err != nil {
		return nil, err
	}
	k, err := f.svc.ActorKey(ctx, accountID)
	if err != nil {
		return nil, err
	}
	return signerOf(KeyID(f.svc.ActorURI(acc)), k.PrivatePEM)
}

func signerOf(keyID, privatePEM string) (*transport.Signer, error) {
	key, err := httpsig.ParsePrivateKeyPEM([]byte(privatePEM))
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w", keyID, err)
	}
	return &transport.Signer{KeyID: keyID, Key: key}, nil
}

// publicKey parses a stored PEM, once: every signed request needs its
// sender's key, and parsing costs several times the verification itself.
func (f *Federation) publicKey(pem string) (*rsa.PublicKey, error) {
	f.pubsMu.Lock()
	k, ok := f.pubs[pem]
	f.pubsMu.Unlock()
	if ok {
		return k, nil
	}
	k, err := httpsig.ParsePublicKeyPEM([]byte(pem))
	if err != nil {
		return nil, err
	}
	f.pubsMu.Lock()
	if f.pubs == nil || len(f.pubs) >= maxSigners {
		f.pubs = map[string]*rsa.PublicKey{}
	}
	f.pubs[pem] = k
	f.pubsMu.Unlock()
	return k, nil
}
