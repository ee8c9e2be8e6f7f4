package wire

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
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

// The texts of the errors wire itself answers, as AWS words them. SigV4's
// are recorded from real IAM and STS endpoints (aws-facts §4, §8).

// invalidClientToken is AWS's answer to an unknown, inactive or mistokened
// key. IAM's global endpoint ends the sentence with a period; STS's
// regional endpoints, which the SDKs use, do not (aws-facts §4 STS, §8).
func invalidClientToken(namespace string) *Error {
	msg := "The security token included in the request is invalid"
	if namespace == namespaceIAM {
		msg += "."
	}
	return Errorf("InvalidClientTokenId", "%s", msg)
}

// expiredToken answers temporary credentials past their expiration
// (aws-facts §3, §4 STS: ExpiredToken, 403).
func expiredToken() *Error {
	return Errorf("ExpiredToken", "The security token included in the request is expired")
}

func missingAuthenticationToken() *Error {
	return Errorf("MissingAuthenticationToken", "Request is missing Authentication Token")
}

func headerAndQuerySigned() *Error {
	return Errorf("SignatureDoesNotMatch", "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.")
}

func hostNotSigned() *Error {
	return Errorf("SignatureDoesNotMatch", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
}

func unsupportedAlgorithm(alg string) *Error {
	return Errorf("IncompleteSignature", "Unsupported AWS 'algorithm': '%s' (only AWS4-HMAC-SHA256 for now). ", alg)
}

func notKeyValuePair(token, auth string) *Error {
	return Errorf("IncompleteSignature", "'%s' not a valid key=value pair (missing equal-sign) in Authorization header: '%s'.", token, auth)
}

// incompleteAuthorization names every required part the Authorization
// header lacks.
func incompleteAuthorization(auth string, noCredential, noSignature, noSignedHeaders, noDate bool) *Error {
	var missing []string
	if noCredential {
		missing = append(missing, "Authorization header requires 'Credential' parameter.")
	}
	if noSignature {
		missing = append(missing, "Authorization header requires 'Signature' parameter.")
	}
	if noSignedHeaders {
		missing = append(missing, "Authorization header requires 'SignedHeaders' parameter.")
	}
	if noDate {
		missing = append(missing, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	return Errorf("IncompleteSignature", "%s Authorization=%s", strings.Join(missing, " "), auth)
}

// incompletePresignedQuery names every X-Amz-* parameter a presigned
// request lacks, in AWS's order.
func incompletePresignedQuery(missing []string) *Error {
	var b strings.Builder
	for _, name := range missing {
		b.WriteString("AWS query-string parameters must include '" + name + "'. ")
	}
	b.WriteString("Re-examine the query-string parameters.")
	return Errorf("IncompleteSignature", "%s", b.String())
}

func badSignatureDate(v string) *Error {
	return Errorf("IncompleteSignature", "Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", v)
}

func badCredentialElements(cred string) *Error {
	return Errorf("IncompleteSignature", "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'", cred)
}

// scopeFaults are what is wrong with a credential scope; the zero value
// means nothing is.
type scopeFaults struct {
	region        bool
	service       string // the action's service, when the scope names another
	term          string // the terminator sent, when it is not aws4_request
	date, amzDate string // the scope's date and X-Amz-Date, when they disagree (amzDate set)
}

// badCredentialScope lists every scope problem in one message, in AWS's order.
func badCredentialScope(f scopeFaults) *Error {
	var b strings.Builder
	if f.region {
		b.WriteString("Credential should be scoped to a valid region. ")
	}
	if f.service != "" {
		b.WriteString("Credential should be scoped to correct service: '" + f.service + "'. ")
	}
	if f.term != "" {
		b.WriteString("Credential should be scoped with a valid terminator: 'aws4_request', not '" + f.term + "'. ")
	}
	if f.amzDate != "" {
		b.WriteString("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
			f.date + "' != '" + f.amzDate[:8] + "', from '" + f.amzDate + "'. ")
	}
	return Errorf("SignatureDoesNotMatch", "%s", b.String())
}

func signatureExpired(signed, earliest, now time.Time) *Error {
	return Errorf("SignatureDoesNotMatch", "Signature expired: %s is now earlier than %s (%s - 15 min.)",
		signed.Format(amzDateLayout), earliest.Format(amzDateLayout), now.Format(amzDateLayout))
}

func signatureNotYetCurrent(signed, latest, now time.Time) *Error {
	return Errorf("SignatureDoesNotMatch", "Signature not yet current: %s is still later than %s (%s + 15 min.)",
		signed.Format(amzDateLayout), latest.Format(amzDateLayout), now.Format(amzDateLayout))
}

func signatureMismatch() *Error {
	return Errorf("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
}

// missingAction's code is AWS's common error; its text is Common Errors'
// description of it (aws-facts has no recorded message).
func missingAction() *Error {
	return Errorf("MissingAction", "The request is missing an action or a required parameter.")
}

func invalidAction(action, version string) *Error {
	return Errorf("InvalidAction", "Could not find operation %s for version %s", action, version)
}

func notImplemented(action string) *Error {
	return &Error{Code: "NotImplemented", Message: "iamlocal does not implement " + action + " yet.", Status: http.StatusNotImplemented}
}

func bodyTooLarge() *Error {
	return Errorf("RequestEntityTooLarge", "Request body must be no larger than %d bytes.", MaxBodyBytes)
}

// tooManyParameters refuses a request with more parameters than any action
// takes, before it costs more to decode.
func tooManyParameters(sent, limit int) *Error {
	return Errorf("ValidationError", "The request has %d parameters; no IAM or STS action takes more than %d.", sent, limit)
}

func unreadableBody() *Error {
	return Errorf("MalformedQueryString", "The request body could not be read.")
}

func malformedQuery(err error) *Error {
	return Errorf("MalformedQueryString", "The query string is malformed: %s", err)
}

func malformedBody(err error) *Error {
	return Errorf("MalformedQueryString", "The request body is malformed: %s", err)
}

func nameNotUTF8() *Error {
	return Errorf("MalformedQueryString", "A parameter name is not valid UTF-8.")
}

func valueNotUTF8(name string) *Error {
	return Errorf("MalformedQueryString", "The value of parameter %s is not valid UTF-8.", name)
}

// validationErrors lists constraint violations as AWS does.
func validationErrors(violations []string) *Error {
	if len(violations) == 1 {
		return Errorf("ValidationError", "1 validation error detected: %s", violations[0])
	}
	return Errorf("ValidationError", "%d validation errors detected: %s", len(violations), strings.Join(violations, "; "))
}

func malformedInput(value, path string) *Error {
	return Errorf("MalformedInput", "Value '%s' at '%s' could not be parsed.", value, path)
}

// patternMessages are the sentences IAM answers, instead of the generic
// pattern violation, when a value fails these shapes' patterns (aws-facts
// §4). The generic checks run first: an overlong path gets the length text.
var patternMessages = map[string]string{
	"pathType": "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.",
}

// violation is one constraint violation. IAM names only the member; STS
// also quotes the value (echo), unless it is sensitive.
func violation(path, value string, echo bool, constraint string) string {
	subject := "Value at '" + path + "'"
	if echo {
		subject = "Value '" + value + "' at '" + path + "'"
	}
	return subject + " failed to satisfy constraint: " + constraint
}

func nullViolation(path string) string {
	return "Value null at '" + path + "' failed to satisfy constraint: Member must not be null"
}

const mustBeInEnum = "Member must satisfy enum value set"

func mustMatchPattern(pattern string) string {
	return "Member must satisfy regular expression pattern: " + pattern
}

func lengthAtLeast(n int64) string {
	return "Member must have length greater than or equal to " + strconv.FormatInt(n, 10)
}

func lengthAtMost(n int64) string {
	return "Member must have length less than or equal to " + strconv.FormatInt(n, 10)
}

func valueAtLeast(n int64) string {
	return "Member must have value greater than or equal to " + strconv.FormatInt(n, 10)
}

func valueAtMost(n int64) string {
	return "Member must have value less than or equal to " + strconv.FormatInt(n, 10)
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
