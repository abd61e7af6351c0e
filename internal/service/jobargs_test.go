package service

import (
	"encoding/json"
	"testing"
)

// Job arguments must survive a round trip through a float64-based JSON
// decoder (River's PostgreSQL driver has one on its path): every ID is a string.
func TestJobArgsKeepIDsExact(t *testing.T) {
	const big = 117679717252543909 // not representable as float64
	args := StatusEditedArgs{StatusID: big, NewMentionIDs: IDList{big, big + 1}}
	b, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	var generic map[string]any
	if err := json.Unmarshal(b, &generic); err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(generic) // what a float64 round trip would do to numbers
	var back StatusEditedArgs
	if err := json.Unmarshal(again, &back); err != nil {
		t.Fatalf("decode %s: %v", again, err)
	}
	if back.StatusID != big || len(back.NewMentionIDs) != 2 || back.NewMentionIDs[1] != big+1 {
		t.Fatalf("round trip changed IDs: %+v from %s", back, again)
	}
}
