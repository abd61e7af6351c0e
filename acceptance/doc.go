// Package acceptance runs weft against real third-party software: the
// Mastodon client libraries masto.js (masto.mjs) and megalodon
// (megalodon.mjs), and the ActivityPub server framework Fedify (fedify.mjs),
// pinned in package.json and package-lock.json, on the Node 22 that the npm
// package `node` brings (node_modules/node/bin/node).
//
// acceptance_test.go builds the weft binary, starts `weft serve` on a free
// loopback port with a temporary data directory (SQLite, and PostgreSQL too
// when WEFT_TEST_POSTGRES_URL is set), creates the accounts with the admin
// commands and runs each script against it, as an app would: register an
// app, sign in and consent through the OAuth pages, post, reply, boost,
// like, bookmark, page timelines, follow, approve follow requests, edit,
// delete, read notifications and receive streaming events.
//
// fedify_test.go (TestFedifyPeer) federates weft with Fedify, a third-party
// ActivityPub framework (@fedify/fedify, pinned likewise): fedify.mjs runs a
// Fedify server with one actor on another loopback port and drives both
// sides, with HTTP signatures verified both ways: follows and their Accepts,
// posts each way, a Like, and Undo of follows.
//
// web_test.go (TestWebApp) drives the web app in headless Chromium
// (Debian's chromium package, through playwright-core, pinned likewise):
// web.mjs signs up, signs in, posts a thread, replies, likes and follows on
// one weft, follows a member of a second weft over loopback and sees her
// post arrive, runs the core flow again with JavaScript off, and saves
// screenshots of the main pages at phone and desktop widths into
// screenshots/ (not committed). Without /usr/bin/chromium it skips.
//
// They need `npm ci` in this directory first (CI does that); without
// node_modules the tests skip, so `go test ./...` works without npm.
// ACCEPT_KEEP_GOING=1 makes the scripts run every check after a failure.
package acceptance
