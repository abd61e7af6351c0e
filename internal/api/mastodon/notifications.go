package mastodon

import "net/http"

func (a *API) notificationRoutes(mux *http.ServeMux) {
}
