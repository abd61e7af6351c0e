package httpsig

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// KeyBits is the size of keys made by GenerateKey. 2048 bits is what
// Mastodon generates and what every peer accepts; larger keys only make
// each inbox delivery slower to verify.
const KeyBits = 2048

// minKeyBits: Go's crypto/rsa refuses smaller keys anyway; failing at parse
// time gives a clearer error than failing at verification.
const minKeyBits = 1024

// GenerateKey makes a new RSA key pair for an actor.
func GenerateKey() (*rsa.PrivateKey, error) {
	k, err := rsa.GenerateKey(rand.Reader, KeyBits)
	if err != nil {
		return nil, fmt.Errorf("httpsig: generate RSA key: %w", err)
	}
	return k, nil
}

// EncodePrivateKeyPEM encodes a private key as PKCS#8 "PRIVATE KEY", the
// modern container; ParsePrivateKeyPEM also reads PKCS#1.
func EncodePrivateKeyPEM(k *rsa.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, fmt.Errorf("httpsig: encode private key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// EncodePublicKeyPEM encodes a public key as PKIX "PUBLIC KEY", which is the
// form ActivityPub actors publish in publicKey.publicKeyPem.
func EncodePublicKeyPEM(k *rsa.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(k)
	if err != nil {
		return nil, fmt.Errorf("httpsig: encode public key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// ParsePrivateKeyPEM reads the first PEM block, either PKCS#1
// "RSA PRIVATE KEY" (what Mastodon stores) or PKCS#8 "PRIVATE KEY".
func ParsePrivateKeyPEM(data []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(bytes.TrimSpace(data))
	if block == nil {
		return nil, fmt.Errorf("%w: no PEM block in private key", ErrMalformed)
	}
	var k *rsa.PrivateKey
	switch block.Type {
	case "RSA PRIVATE KEY":
		var err error
		if k, err = x509.ParsePKCS1PrivateKey(block.Bytes); err != nil {
			return nil, fmt.Errorf("%w: PKCS#1 private key: %v", ErrMalformed, err)
		}
	case "PRIVATE KEY":
		any, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: PKCS#8 private key: %v", ErrMalformed, err)
		}
		var ok bool
		if k, ok = any.(*rsa.PrivateKey); !ok {
			return nil, fmt.Errorf("%w: private key is %T, not RSA", ErrUnsupportedAlgorithm, any)
		}
	default:
		return nil, fmt.Errorf("%w: unexpected PEM type %q for private key", ErrMalformed, block.Type)
	}
	if k.N.BitLen() < minKeyBits {
		return nil, fmt.Errorf("%w: RSA key of %d bits is too small", ErrUnsupportedAlgorithm, k.N.BitLen())
	}
	return k, nil
}

// ParsePublicKeyPEM reads an actor's publicKeyPem: PKIX "PUBLIC KEY" (what
// almost everyone publishes) or PKCS#1 "RSA PUBLIC KEY" (seen from a few
// older implementations). Non-RSA keys yield ErrUnsupportedAlgorithm so the
// caller can tell "this actor uses Ed25519" from "this PEM is garbage".
func ParsePublicKeyPEM(data []byte) (*rsa.PublicKey, error) {
	block, _ := pem.Decode(bytes.TrimSpace(data))
	if block == nil {
		return nil, fmt.Errorf("%w: no PEM block in public key", ErrMalformed)
	}
	var k *rsa.PublicKey
	switch block.Type {
	case "PUBLIC KEY":
		any, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w: PKIX public key: %v", ErrMalformed, err)
		}
		var ok bool
		if k, ok = any.(*rsa.PublicKey); !ok {
			return nil, fmt.Errorf("%w: public key is %T, not RSA", ErrUnsupportedAlgorithm, any)
		}
	case "RSA PUBLIC KEY":
		var err error
		if k, err = x509.ParsePKCS1PublicKey(block.Bytes); err != nil {
			return nil, fmt.Errorf("%w: PKCS#1 public key: %v", ErrMalformed, err)
		}
	default:
		return nil, fmt.Errorf("%w: unexpected PEM type %q for public key", ErrMalformed, block.Type)
	}
	if k.N.BitLen() < minKeyBits {
		return nil, fmt.Errorf("%w: RSA key of %d bits is too small", ErrUnsupportedAlgorithm, k.N.BitLen())
	}
	return k, nil
}

// KeyIDOrigin returns the origin ("https://host[:port]") of a keyId URL, so
// the caller can check that the key belongs to the same server as the
// activity's actor. Both common keyId forms, ".../users/x#main-key" and
// ".../users/x/main-key", give the same origin. The host is lower-cased and
// a default port (443 for https, 80 for http) is dropped, so that
// "https://A.example:443/x" and "https://a.example/y" compare equal.
func KeyIDOrigin(keyID string) (string, error) {
	u, err := url.Parse(keyID)
	if err != nil {
		return "", fmt.Errorf("%w: keyId %q is not a URL: %v", ErrMalformed, keyID, err)
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "https" && scheme != "http" {
		return "", fmt.Errorf("%w: keyId %q is not an http(s) URL", ErrMalformed, keyID)
	}
	if u.User != nil {
		// userinfo in a keyId is never legitimate and could be used to
		// make "https://a.example@b.example/" look like a.example.
		return "", fmt.Errorf("%w: keyId %q contains userinfo", ErrMalformed, keyID)
	}
	host := strings.ToLower(u.Hostname())
	if host == "" {
		return "", fmt.Errorf("%w: keyId %q has no host", ErrMalformed, keyID)
	}
	port := u.Port()
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	if port != "" {
		return scheme + "://" + net.JoinHostPort(host, port), nil
	}
	if strings.Contains(host, ":") { // IPv6 literal
		host = "[" + host + "]"
	}
	return scheme + "://" + host, nil
}

// SameOrigin reports whether two URLs (typically a keyId and an actor id)
// share scheme, host and port.
func SameOrigin(a, b string) (bool, error) {
	oa, err := KeyIDOrigin(a)
	if err != nil {
		return false, err
	}
	ob, err := KeyIDOrigin(b)
	if err != nil {
		return false, err
	}
	return oa == ob, nil
}
