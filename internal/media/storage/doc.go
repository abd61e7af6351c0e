// Package storage keeps weft's media files — uploaded images and videos,
// their thumbnails, cached copies of remote media — behind one small
// interface, Store, with two backends: Local, a directory on disk (the
// default, under the server's data dir), and S3, any S3-compatible object
// store.
//
// What every Store promises:
//
//   - Put is atomic: a reader sees either the previous file under a key or
//     the complete new one, never a half-written file, and a Put that fails
//     (the reader gave fewer or more bytes than the size it announced, the
//     context was cancelled, the disk or the network failed) leaves no new
//     file visible. Put replaces what was there.
//   - Open and Stat return ErrNotFound (test with errors.Is) when the key
//     holds nothing; Delete of an absent key is not an error.
//   - Keys are checked by ValidKey on every call, before they reach a path
//     or a URL: lowercase letters, digits and "._/-", slash-separated
//     segments that are neither empty, "." nor "..", no leading slash, at
//     most 200 bytes. Anything else is ErrBadKey. Keys carry their file
//     extension: Local derives the Content-Type from it (a fixed table, see
//     contentTypes) and ignores Put's contentType; S3 stores Put's
//     contentType, or the extension's type when it is "". Callers pass the
//     type that matches the extension, and both agree.
//   - Usage treats its prefix as a plain string prefix of keys, as S3 does:
//     "a/" counts the files under the folder a, "a" also counts "ab/x.jpg".
//
// Serving: the HTTP layer opens an Object and hands it to http.ServeContent
// with Info().ModTime, after setting the ETag (Info().ETag, already quoted)
// and Content-Type headers, which gives Range requests and conditional GETs
// (If-None-Match → 304) for free. When RedirectURL returns a non-empty URL
// (S3 in redirect mode) the HTTP layer may instead redirect the client there
// and not carry the bytes itself; the URL needs no credentials and expires
// after the ttl given.
package storage
