package config

import (
	"flag"
)

// Flags holds the command-line flags BindFlags registered. Which flags were
// set is read from the FlagSet when Load runs, because a flag given with an
// empty value must still override the environment and the file.
type Flags struct {
	fs     *flag.FlagSet
	config *string
	values map[string]*string // flag name (without dashes) → value
}

// BindFlags registers --config and one string flag per key on fs. Flags are
// strings, not typed, so that they are parsed and reported exactly like the
// environment and the file.
func BindFlags(fs *flag.FlagSet) *Flags {
	f := &Flags{fs: fs, values: make(map[string]*string, len(keyTable))}
	f.config = fs.String("config", "", "optional TOML config `file` (env WEFT_CONFIG)")
	for i := range keyTable {
		k := &keyTable[i]
		usage := k.desc + " (env " + k.env()
		if d := k.defaultText(); d != "" {
			usage += ", default " + d
		}
		f.values[k.flag()] = fs.String(k.flag(), "", usage+")")
	}
	return f
}

// configPath returns --config and whether it was given.
func (f *Flags) configPath() (string, bool) {
	if f == nil {
		return "", false
	}
	given := false
	f.fs.Visit(func(fl *flag.Flag) {
		if fl.Name == "config" {
			given = true
		}
	})
	return *f.config, given
}

// settings returns the key values given on the command line.
func (f *Flags) settings() map[string]setting {
	out := make(map[string]setting)
	if f == nil {
		return out
	}
	f.fs.Visit(func(fl *flag.Flag) {
		p, ok := f.values[fl.Name]
		if !ok {
			return // the caller's own flag
		}
		for i := range keyTable {
			if k := &keyTable[i]; k.flag() == fl.Name {
				out[k.name] = setting{value: *p, origin: "--" + fl.Name}
			}
		}
	})
	return out
}
