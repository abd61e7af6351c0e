package activitypub

import (
	"errors"
	"io"
	"net/http"

	"weft/internal/federation"
	"weft/internal/httpx"
	"weft/internal/model"
)

// inbox answers POST /inbox (shared) and /users/{username}/inbox: 202
// once the activity's signature holds and it is recorded for a job to
// apply; 401 when the signature does not hold (nothing is recorded); 503
// when the sender's key could not be fetched for now (so that it retries);
// 400 for what is not an activity; 413 for a body over 1 MiB.
func (s *Server) inbox(w http.ResponseWriter, r *http.Request) {
	var inboxOf int64
	if username := r.PathValue("username"); username != "" {
		acc, err := s.svc.FediverseAccount(r.Context(), username)
		if err != nil {
			httpx.WriteError(w, r, s.log, err)
			return
		}
		inboxOf = acc.ID
	}
	if r.ContentLength > federation.MaxInboxBody {
		tooLarge(w)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, federation.MaxInboxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			tooLarge(w)
			return
		}
		httpx.WriteError(w, r, s.log, model.Invalid("body", "could not read the request body"))
		return
	}
	err = s.fed.Receive(r.Context(), r, body, inboxOf)
	var refusal *federation.Refusal
	if errors.As(err, &refusal) {
		s.log.Debug("inbox refused", "status", refusal.Status, "err", refusal)
		writeRefusal(w, refusal)
		return
	}
	if err != nil {
		httpx.WriteError(w, r, s.log, err)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

func tooLarge(w http.ResponseWriter) {
	httpx.WriteJSON(w, http.StatusRequestEntityTooLarge, httpx.ErrorBody{Error: "the activity is larger than 1 MiB"})
}

// writeRefusal answers with the refusal's status and its reason as JSON.
func writeRefusal(w http.ResponseWriter, ref *federation.Refusal) {
	if ref.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Signature realm="weft", headers="(request-target) host date digest"`)
	}
	if ref.Status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "60") // the sender's key could not be fetched: worth another try soon
	}
	httpx.WriteJSON(w, ref.Status, httpx.ErrorBody{Error: ref.Reason})
}
