package activitypub_test

import (
	"os"
	"testing"

	"weft/internal/testkit"
)

func TestMain(m *testing.M) { os.Exit(testkit.Main(m)) }
