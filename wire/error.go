package wire

import (
	"fmt"
	"net/http"
	"strconv"
)

// Error is an AWS error response. Every error a client may see is an *Error;
// anything else reaching wire is a bug and is answered as ServiceFailure.
type Error struct {
	Code    string // wire code, e.g. "NoSuchEntity" (the model's error.code, not the shape name)
	Message string // AWS's exact text; empty means no <Message> element
	Status  int    // HTTP status
	Sender  bool   // <Type>Sender</Type>, else Receiver
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf builds an Error whose Status and Sender come from the service model
// for modeled codes, or from AWS's common-errors table for the others.
func Errorf(code, format string, args ...any) *Error {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	status, sender := statusOf(code)
	return &Error{Code: code, Message: msg, Status: status, Sender: sender}
}

// commonErrors are codes AWS answers that the IAM and STS models do not
// declare (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html).
var commonErrors = map[string]struct {
	status int
	sender bool
}{
	"AccessDenied":                {http.StatusForbidden, true},
	"ExpiredToken":                {http.StatusForbidden, true},
	"IncompleteSignature":         {http.StatusBadRequest, true},
	"InternalFailure":             {http.StatusInternalServerError, false},
	"InvalidAction":               {http.StatusBadRequest, true},
	"InvalidClientTokenId":        {http.StatusForbidden, true},
	"InvalidParameterCombination": {http.StatusBadRequest, true},
	"InvalidParameterValue":       {http.StatusBadRequest, true},
	"InvalidQueryParameter":       {http.StatusBadRequest, true},
	"MalformedQueryString":        {http.StatusNotFound, true},
	"MissingAction":               {http.StatusBadRequest, true},
	"MissingAuthenticationToken":  {http.StatusForbidden, true},
	"MissingParameter":            {http.StatusBadRequest, true},
	"NotAuthorized":               {http.StatusBadRequest, true},
	"OptInRequired":               {http.StatusForbidden, true},
	"RequestExpired":              {http.StatusBadRequest, true},
	"RequestEntityTooLarge":       {http.StatusRequestEntityTooLarge, true},
	"ServiceUnavailable":          {http.StatusServiceUnavailable, false},
	"SignatureDoesNotMatch":       {http.StatusForbidden, true},
	"Throttling":                  {http.StatusBadRequest, true},
	"ValidationError":             {http.StatusBadRequest, true},
}

func statusOf(code string) (status int, sender bool) {
	if s, ok := modelErrors[code]; ok {
		return s.Status, s.Sender
	}
	if s, ok := commonErrors[code]; ok {
		return s.status, s.sender
	}
	return http.StatusBadRequest, true
}

// serviceFailure is the fixed answer to an internal error: its text never
// carries the error itself.
func serviceFailure() *Error {
	return &Error{Code: "ServiceFailure", Message: "An internal error occurred.", Status: http.StatusInternalServerError}
}

// WriteError answers e as AWS's ErrorResponse document under a new request
// id, for handlers in front of the Router (the emulator's request guard). It
// returns the request id.
func WriteError(w http.ResponseWriter, e *Error) string {
	id := newRequestID()
	buf := appendErrorResponse(nil, namespaceIAM, e, id)
	h := w.Header()
	h.Set("x-amzn-RequestId", id)
	h.Set("Content-Type", "text/xml")
	h.Set("Content-Length", strconv.Itoa(len(buf)))
	w.WriteHeader(e.Status)
	w.Write(buf)
	return id
}
