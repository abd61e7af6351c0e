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

	refetch throttle.Throttle[string] // re-fetches of keys after a failed signature
	hosts   hostHealth                // unavailable and failing servers, deliveries running
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

// accountSigner signs as a local account (its deliveries).
func (f *Federation) accountSigner(ctx context.Context, accountID int64) (*transport.Signer, error) {
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

// publicKey parses a stored PEM.
func publicKey(pem string) (*rsa.PublicKey, error) {
	return httpsig.ParsePublicKeyPEM([]byte(pem))
}
