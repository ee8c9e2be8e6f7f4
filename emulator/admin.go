package emulator

import (
	"encoding/json"
	"net/http"
	"time"
)

// admin serves iamlocal's own endpoints under /_iamlocal/ (and reset under
// /moto-api/, for suites written against moto's server). They are not AWS
// APIs and take no signature: the server binds to loopback.
func (e *Emulator) admin() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_iamlocal/health", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "account": e.opts.Account})
	})
	mux.HandleFunc("POST /_iamlocal/reset", e.reset)
	mux.HandleFunc("POST /moto-api/reset", e.reset)
	return mux
}

func (e *Emulator) reset(w http.ResponseWriter, _ *http.Request) {
	e.forgetUsage()
	if err := e.db.Reset(); err != nil {
		e.log.Error("reset", "error", err)
		writeJSON(w, http.StatusInternalServerError, map[string]any{"error": "reset failed"})
		return
	}
	e.log.Info("state reset")
	writeJSON(w, http.StatusOK, map[string]any{"status": "reset", "at": e.clock.Now().Format(time.RFC3339)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
