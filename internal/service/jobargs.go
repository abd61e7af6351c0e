package service

// Job payloads. Each kind has a Run… method on Service that the job runner
// calls; every one of them is idempotent, because a job may run again after
// a crash between its work and its completion being recorded.
//
// IDs travel as JSON strings (",string"): River's PostgreSQL driver passes
// job arguments through float64 somewhere on the way, which rounds a 64-bit
// snowflake ID to a different post.

import (
	"encoding/json"
	"strconv"
)

// IDList is a list of IDs that travels as JSON strings.
type IDList []int64

func (l IDList) MarshalJSON() ([]byte, error) {
	out := make([]string, len(l))
	for i, id := range l {
		out[i] = strconv.FormatInt(id, 10)
	}
	return json.Marshal(out)
}

func (l *IDList) UnmarshalJSON(b []byte) error {
	var in []string
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	*l = make(IDList, len(in))
	for i, s := range in {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return err
		}
		(*l)[i] = id
	}
	return nil
}

// FanOutArgs spreads a new post or boost to home timelines and notifies
// mentioned accounts, subscribers and (for a boost) the boosted author.
type FanOutArgs struct {
	StatusID int64 `json:"status_id,string"`
}

func (FanOutArgs) Kind() string { return "fanout_status" }

// StatusEditedArgs tells those who boosted or liked a post that it changed,
// and notifies accounts newly mentioned by the edit.
type StatusEditedArgs struct {
	StatusID      int64  `json:"status_id,string"`
	NewMentionIDs IDList `json:"new_mention_ids,omitempty"`
}

func (StatusEditedArgs) Kind() string { return "status_edited" }

// StatusDeletedArgs removes a deleted post from timelines and notifications
// and removes its boosts.
type StatusDeletedArgs struct {
	StatusID int64 `json:"status_id,string"`
}

func (StatusDeletedArgs) Kind() string { return "status_deleted" }

// NotifyArgs creates one notification, after checking that the recipient
// wants it and may see what it is about.
type NotifyArgs struct {
	AccountID     int64  `json:"account_id,string"`
	Type          string `json:"type"`
	FromAccountID int64  `json:"from_account_id,string"`
	StatusID      int64  `json:"status_id,string,omitempty"`
}

func (NotifyArgs) Kind() string { return "notify" }

// FeedMergeArgs puts recent posts of a newly followed account into the
// follower's home timeline.
type FeedMergeArgs struct {
	AccountID int64 `json:"account_id,string"`
	TargetID  int64 `json:"target_id,string"`
}

func (FeedMergeArgs) Kind() string { return "feed_merge" }

// FeedUnmergeArgs removes an account's posts from another's home timeline
// (unfollow, block).
type FeedUnmergeArgs struct {
	AccountID int64 `json:"account_id,string"`
	TargetID  int64 `json:"target_id,string"`
}

func (FeedUnmergeArgs) Kind() string { return "feed_unmerge" }

// AcceptPendingFollowsArgs authorizes every pending follow request of an
// account that stopped approving followers by hand.
type AcceptPendingFollowsArgs struct {
	AccountID int64 `json:"account_id,string"`
}

func (AcceptPendingFollowsArgs) Kind() string { return "accept_pending_follows" }

// DeleteAccountArgs removes what a deleted account owned, in batches.
type DeleteAccountArgs struct {
	AccountID int64 `json:"account_id,string"`
}

func (DeleteAccountArgs) Kind() string { return "delete_account" }

// HousekeepingArgs removes what has run out (periodic): expired mutes,
// authorization codes and Idempotency-Keys.
type HousekeepingArgs struct{}

func (HousekeepingArgs) Kind() string { return "housekeeping" }
