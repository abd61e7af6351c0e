package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// readFile reads the TOML config file. pathOrigin ("--config" or
// "WEFT_CONFIG") is where the path came from, named in errors about the file
// as a whole; errors about one value name "key (in path)".
func readFile(path, pathOrigin string) (map[string]setting, []string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, &Error{Key: pathOrigin, Msg: fmt.Sprintf("config file %q not found", path)}
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, nil, &Error{Key: pathOrigin, Msg: fmt.Sprintf("cannot read config file %q: %v", path, err)}
	}
	var raw map[string]any
	if _, err := toml.Decode(string(data), &raw); err != nil {
		return nil, nil, &Error{Key: pathOrigin, Msg: fmt.Sprintf("config file %q is not valid TOML: %v", path, err)}
	}

	// Sorted, so warnings and the first error do not depend on map order.
	names := make([]string, 0, len(raw))
	for name := range raw {
		names = append(names, name)
	}
	slices.Sort(names)

	vals := make(map[string]setting, len(raw))
	var warnings []string
	for _, name := range names {
		k := lookupKey(name)
		if k == nil {
			warnings = append(warnings, fmt.Sprintf("unknown key %q in %s (ignored)", name, path))
			continue
		}
		origin := fmt.Sprintf("%s (in %s)", name, path)
		v, err := tomlValue(k.kind, raw[name])
		if err != nil {
			return nil, warnings, &Error{Key: origin, Msg: err.Error()}
		}
		vals[name] = setting{value: v, origin: origin}
	}
	return vals, warnings, nil
}

// tomlValue turns a TOML value into the string form the environment would
// give, accepting the TOML types natural for the key's kind. Strings are
// always accepted so a file can be written the same way as the environment.
func tomlValue(k kind, v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case int64:
		if k == kindInt || k == kindSize || k == kindBool {
			return strconv.FormatInt(x, 10), nil
		}
	case bool:
		if k == kindBool {
			return strconv.FormatBool(x), nil
		}
	case []any:
		if k == kindList {
			items := make([]string, 0, len(x))
			for _, item := range x {
				s, ok := item.(string)
				if !ok {
					return "", fmt.Errorf("got %s in list, want strings like \"10.0.0.0/8\"", tomlType(item))
				}
				items = append(items, s)
			}
			return strings.Join(items, ","), nil
		}
	}
	return "", fmt.Errorf("got %s, want %s", tomlType(v), k.want())
}

func (k kind) want() string {
	switch k {
	case kindInt:
		return "an integer"
	case kindBool:
		return "true or false"
	case kindSize:
		return `a size like "16MiB" or a number of bytes`
	case kindDuration:
		return `a duration string like "15s"`
	case kindList:
		return `a list of strings like ["10.0.0.0/8"] or one comma-separated string`
	}
	return "a string"
}

func tomlType(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return "a date/time"
}
