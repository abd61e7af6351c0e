package mastodon

// Conversation is Mastodon's Conversation entity: a direct conversation as
// one participant sees it (conversations.go renders it).
type Conversation struct {
	ID         string    `json:"id"`
	Unread     bool      `json:"unread"`
	Accounts   []Account `json:"accounts"` // the other participants
	LastStatus *Status   `json:"last_status"`
}
