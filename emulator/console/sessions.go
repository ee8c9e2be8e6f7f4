package console

import (
	"crypto/rand"
	"crypto/subtle"
	"net/http"
	"sync"
	"time"

	"github.com/iamlocal/iamlocal/emulator"
)

// Sessions live in memory: a restart signs everyone out. Their ids are
// random, sent only in an HttpOnly, SameSite=Strict cookie scoped to the
// console; nothing secret is ever in a URL.
const (
	cookieName = "iamlocal-console"
	// sessionLife is how long a signed-in session lasts on the emulator
	// clock: 12 hours, as AWS console sessions of IAM users.
	sessionLife = 12 * time.Hour
	// signInLife bounds a session that has not finished signing in.
	signInLife = time.Hour
	// maxSessions bounds memory; the oldest unfinished sign-ins go first.
	maxSessions = 10000
)

// stage is how far a session has come through sign-in.
type stage uint8

const (
	stageAnonymous   stage = iota // has seen the sign-in page
	stageMFA                      // password checked, code needed
	stageNewPassword              // must change the password before going on
	stageSignedIn
)

// session is one browser's state. Its fields are read and written under mu.
type session struct {
	id    string
	csrf  string
	clock *emulator.Clock

	mu      sync.Mutex
	stage   stage
	expires time.Time
	user    *emulator.ConsoleUser
	mfaTime time.Time // when the sign-in's MFA code was accepted; zero without
	// roleKeyID is the temporary access key id of the role session the
	// console acts as after a switch role, "" for the user itself;
	// roleName is its role's name, for the header.
	roleKeyID, roleName string
	flashKey            string
	// newKey is the access key just created, until it has been shown once
	// and its CSV downloaded or left.
	newKey *newAccessKey
	// pendingMFA is the virtual MFA device being assigned.
	pendingMFA *pendingMFA
}

func (s *session) signedIn() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stage == stageSignedIn
}

// principal is who the session acts as.
func (s *session) principal() (user *emulator.ConsoleUser, mfaTime time.Time, roleKeyID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.user, s.mfaTime, s.roleKeyID
}

// switchTo makes the session act as the role session whose temporary
// access key id is keyID (switch role); switchBack returns to the user.
func (s *session) switchTo(keyID, roleName string) {
	s.mu.Lock()
	s.roleKeyID, s.roleName = keyID, roleName
	s.mu.Unlock()
}

func (s *session) switchBack() { s.switchTo("", "") }

func (s *session) setFlash(key string) {
	s.mu.Lock()
	s.flashKey = key
	s.mu.Unlock()
}

// takeFlash returns the pending notice and clears it.
func (s *session) takeFlash() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.flashKey
	s.flashKey = ""
	return k
}

// advance moves the session to stage st once a sign-in step has passed;
// mfaTime is when its MFA code was accepted (zero without). Signed in,
// it lasts sessionLife from now.
func (s *session) advance(st stage, mfaTime time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stage, s.mfaTime = st, mfaTime
	if st == stageSignedIn {
		s.expires = s.clock.Now().Add(sessionLife)
	}
}

func (s *session) setNewKey(k *newAccessKey) {
	s.mu.Lock()
	s.newKey = k
	s.mu.Unlock()
}

// newKeyToShow is the access key just created, the first time a page asks;
// a key already shown is forgotten instead, so its secret is shown once.
func (s *session) newKeyToShow() *newAccessKey {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.newKey
	if k == nil || k.shown {
		s.newKey = nil
		return nil
	}
	k.shown = true
	c := *k
	return &c
}

// newKeyForDownload is the access key just created, while its page is up.
func (s *session) newKeyForDownload() *newAccessKey {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.newKey == nil || !s.newKey.shown {
		return nil
	}
	c := *s.newKey
	return &c
}

func (s *session) pending() *pendingMFA {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pendingMFA
}

func (s *session) setPending(m *pendingMFA) {
	s.mu.Lock()
	s.pendingMFA = m
	s.mu.Unlock()
}

// sessions are the console's sessions by id.
type sessions struct {
	clock *emulator.Clock
	mu    sync.Mutex
	byID  map[string]*session
}

func newSessions(clock *emulator.Clock) *sessions {
	return &sessions{clock: clock, byID: map[string]*session{}}
}

// fromRequest is the live session the request's cookie names, or nil.
func (ss *sessions) fromRequest(r *http.Request) *session {
	ck, err := r.Cookie(cookieName)
	if err != nil {
		return nil
	}
	now := ss.clock.Now()
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s := ss.byID[ck.Value]
	if s == nil {
		return nil
	}
	s.mu.Lock()
	expired := !now.Before(s.expires)
	s.mu.Unlock()
	if expired {
		delete(ss.byID, s.id)
		return nil
	}
	return s
}

// start makes a new session at stage st and sets its cookie. A session
// that signs in is always a new one, so an id seen before sign-in is
// worthless after it (no session fixation).
func (ss *sessions) start(w http.ResponseWriter, r *http.Request, st stage, user *emulator.ConsoleUser) *session {
	now := ss.clock.Now()
	life := signInLife
	if st == stageSignedIn {
		life = sessionLife
	}
	s := &session{id: rand.Text(), csrf: rand.Text(), clock: ss.clock, stage: st, user: user, expires: now.Add(life)}
	ss.mu.Lock()
	if len(ss.byID) >= maxSessions {
		ss.sweep(now)
	}
	ss.byID[s.id] = s
	ss.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: s.id, Path: Prefix, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	return s
}

// sweep drops expired sessions and, when still full, unfinished sign-ins.
// It runs with ss.mu held.
func (ss *sessions) sweep(now time.Time) {
	for id, s := range ss.byID {
		s.mu.Lock()
		drop := !now.Before(s.expires)
		s.mu.Unlock()
		if drop {
			delete(ss.byID, id)
		}
	}
	for id, s := range ss.byID {
		if len(ss.byID) < maxSessions {
			return
		}
		s.mu.Lock()
		drop := s.stage != stageSignedIn
		s.mu.Unlock()
		if drop {
			delete(ss.byID, id)
		}
	}
}

// end forgets s and clears its cookie.
func (ss *sessions) end(w http.ResponseWriter, s *session) {
	ss.mu.Lock()
	delete(ss.byID, s.id)
	ss.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: Prefix, MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
}

// csrfValid reports whether a POST carries the session's CSRF token.
func (p *page) csrfValid() bool {
	sent := p.r.PostFormValue("csrf")
	return p.s != nil && sent != "" && subtle.ConstantTimeCompare([]byte(sent), []byte(p.s.csrf)) == 1
}

// ensureSession is the page's session, made (anonymous) when there is none,
// so that a public page's form has a CSRF token.
func (p *page) ensureSession() *session {
	if p.s == nil {
		p.s = p.c.sessions.start(p.w, p.r, stageAnonymous, nil)
	}
	return p.s
}
