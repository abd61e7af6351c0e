// Package version names this build of weft.
package version

import "runtime/debug"

// Version is weft's release number. The Mastodon API reports it as
// "4.5.0 (compatible; weft X.Y.Z)", so apps that switch features on
// Mastodon's version keep working.
const Version = "0.1.0"

// String is the version with the VCS revision when the binary was built from
// a git checkout, e.g. "0.1.0 (3f2a9c1)".
func String() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return Version
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return Version
	}
	if len(rev) > 7 {
		rev = rev[:7]
	}
	if dirty {
		rev += "-dirty"
	}
	return Version + " (" + rev + ")"
}
