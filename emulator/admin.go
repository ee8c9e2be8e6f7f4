package emulator

import (
	"cmp"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/iamlocal/iamlocal/wire"
)

// admin serves iamlocal's own endpoints under /_iamlocal/ (and reset under
// /moto-api/, for suites written against moto's server). They are not AWS
// APIs and take no signature: the guard (guard.go) keeps web pages out and,
// when the server listens beyond loopback, asks for the admin token.
func (e *Emulator) admin() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /_iamlocal/health", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "account": e.opts.Account, "accounts": e.opts.Accounts})
	})
	mux.HandleFunc("POST /_iamlocal/reset", e.reset)
	mux.HandleFunc("GET /_iamlocal/state", e.state)
	mux.HandleFunc("GET /_iamlocal/clock", e.clockState)
	mux.HandleFunc("POST /_iamlocal/clock", e.advanceClock)
	mux.HandleFunc("GET /_iamlocal/totp", e.deviceCodes)
	mux.HandleFunc("GET /_iamlocal/oidc/.well-known/openid-configuration", e.oidcDiscovery)
	mux.HandleFunc("GET /_iamlocal/oidc/jwks", e.oidcJWKS)
	mux.HandleFunc("POST /_iamlocal/oidc/token", e.mintOIDCToken)
	mux.HandleFunc("GET /_iamlocal/saml/metadata", e.samlMetadataDoc)
	mux.HandleFunc("POST /_iamlocal/saml/assertion", e.mintSAMLAssertion)
	mux.HandleFunc("POST /moto-api/reset", e.reset)
	return mux
}

// reset empties the state, or returns it to the init file's
// (Options.Init).
func (e *Emulator) reset(w http.ResponseWriter, _ *http.Request) {
	if err := e.Reset(); err != nil {
		e.log.Error("reset", "error", err)
		writeJSON(w, http.StatusInternalServerError, map[string]any{"error": "reset failed"})
		return
	}
	e.log.Info("state reset")
	writeJSON(w, http.StatusOK, map[string]any{"status": "reset", "at": e.clock.Now().Format(time.RFC3339)})
}

// Reset returns the state to Options.Init (empty when nil), drops every
// session and brings the clock back to real time.
func (e *Emulator) Reset() error {
	if e.opts.Init != nil {
		return e.ApplyInit(e.opts.Init)
	}
	e.forgetUsage()
	if err := e.db.Reset(); err != nil {
		return err
	}
	e.resetClock()
	return nil
}

// state answers the whole state in the init format (Export); secrets,
// password hashes and MFA seeds only with ?includeSecrets=true.
func (e *Emulator) state(w http.ResponseWriter, r *http.Request) {
	secrets, err := strconv.ParseBool(cmp.Or(r.FormValue("includeSecrets"), "false"))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "includeSecrets must be true or false"})
		return
	}
	s, err := e.Export(secrets)
	if err != nil {
		e.log.Error("export", "error", err)
		writeJSON(w, http.StatusInternalServerError, map[string]any{"error": "export failed"})
		return
	}
	writeJSON(w, http.StatusOK, s)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// clockState answers the emulator's time and how far it runs ahead of real
// time (a Go duration), which `iamlocal totp` follows.
func (e *Emulator) clockState(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"now": e.clock.Now().Format(time.RFC3339Nano), "offset": e.clock.Offset().String()})
}

// advanceClock moves the emulator clock forward by ?advance= (a Go
// duration such as 90s or 24h; it never goes back) and answers once the
// new offset is in the state file. An advance beyond MaxClockOffset is
// refused and changes nothing.
func (e *Emulator) advanceClock(w http.ResponseWriter, r *http.Request) {
	d, err := time.ParseDuration(r.FormValue("advance"))
	if err != nil || d < 0 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "advance must be a positive duration such as 90s or 24h"})
		return
	}
	if err := e.AdvanceClock(d); errors.Is(err, ErrClockAdvance) {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": err.Error(), "offset": e.clock.Offset().String()})
		return
	} else if err != nil {
		e.log.Error("clock advance", "by", d, "error", err)
		writeJSON(w, http.StatusInternalServerError, map[string]any{"error": "recording the clock offset failed"})
		return
	}
	e.log.Info("clock advanced", "by", d, "offset", e.clock.Offset())
	e.clockState(w, r)
}

// deviceCodes answers the current and next code of the virtual MFA device
// ?serial= (its ARN or its name), on the emulator clock, marking codes the
// device has already accepted: what `iamlocal totp` prints. It gives
// codes, never the seed. A name is looked up in ?account=, by default the
// default account.
func (e *Emulator) deviceCodes(w http.ResponseWriter, r *http.Request) {
	device := r.FormValue("serial")
	if device == "" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "serial must be a virtual MFA device's serial number or name"})
		return
	}
	account := r.FormValue("account")
	if account == "" {
		account = e.opts.Account
	}
	codes, err := DeviceCodes(e.db, account, device, e.clock.Now())
	var awsErr *wire.Error
	switch {
	case errors.As(err, &awsErr):
		writeJSON(w, awsErr.Status, map[string]any{"error": awsErr.Message, "account": account})
	case err != nil:
		e.log.Error("device codes", "error", err)
		writeJSON(w, http.StatusInternalServerError, map[string]any{"error": "reading the device failed"})
	default:
		writeJSON(w, http.StatusOK, codes)
	}
}
