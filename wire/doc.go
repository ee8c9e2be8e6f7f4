// Package wire speaks the AWS Query protocol and Signature Version 4 for
// IAM (2010-05-08) and STS (2011-06-15) on one HTTP handler.
//
// It owns the request envelope: request ids, the body cap, SigV4
// authentication, Action/Version dispatch, the model-driven codec between
// form bodies and the SDK's input structs, and the XML result and error
// envelopes. It knows nothing of IAM semantics: handlers are plain typed
// functions registered with Register, and the only thing wire asks of the
// emulator is the Credentials interface.
package wire
