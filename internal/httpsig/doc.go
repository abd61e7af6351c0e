// Package httpsig signs and verifies HTTP requests the way the fediverse does.
//
// Two schemes are in use on the network and both are supported:
//
//   - draft-cavage-http-signatures-12 ("cavage"): a single Signature header
//     with keyId, algorithm, headers and signature parameters. This is what
//     Mastodon has sent since 2017 and what nearly every ActivityPub server
//     understands. Bodies are bound through a Digest header (RFC 3230 style,
//     "SHA-256=<base64>").
//   - RFC 9421 HTTP Message Signatures: Signature-Input plus Signature,
//     both Structured Field dictionaries, with bodies bound through
//     Content-Digest (RFC 9530). Mastodon verifies these since 4.4/4.5.
//
// Verification is split in two steps so that the caller owns key retrieval:
//
//	res, err := httpsig.Verify(r, body, httpsig.VerifyOptions{})
//	// err covers everything that needs no key: parsing, required
//	// components, freshness and the body digest. Checking these first
//	// means a stale or tampered request never triggers a key fetch.
//	pub := lookupKey(res.KeyID)          // cache first
//	if err := res.Verify(pub); err != nil {
//		pub = refetchKey(res.KeyID)      // the actor may have rotated keys
//		err = res.Verify(pub)
//	}
//
// Callers should also compare KeyIDOrigin(res.KeyID) with the origin of the
// activity's actor: a valid signature only proves control of the key.
//
// For sending, Sign produces either scheme. Senders that want to use
// RFC 9421 but still reach old servers can "double-knock" (as Fedify does):
// try RFC 9421 first and, on a 401/403 (or other 4xx), resend the request
// signed with the cavage scheme, remembering per host which one worked.
// That retry policy lives with the HTTP client, not in this package.
//
// Only RSA keys are handled, because that is what ActivityPub actors publish
// in publicKeyPem. Signatures are RSASSA-PKCS1-v1_5 with SHA-256; for
// verification RSASSA-PSS with SHA-512 is also accepted where the scheme
// allows it (cavage hs2019, RFC 9421 rsa-pss-sha512), since those are the
// only other RSA forms the specs name.
package httpsig
