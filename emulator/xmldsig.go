package emulator

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strings"
)

// This file is a small XML signature verifier for SAML: enveloped RSA
// signatures over exclusive XML canonicalization
// (https://www.w3.org/TR/xml-exc-c14n/), the profile SAML 2.0 identity
// providers use and AWS accepts. It is iamlocal's own code rather than a
// library because the module set is fixed and this profile is small; it
// checks what STS needs (digest, signature, reference to the signed
// element) and nothing of XML Signature beyond that profile.

const (
	nsDSig         = "http://www.w3.org/2000/09/xmldsig#"
	nsSAMLAssert   = "urn:oasis:names:tc:SAML:2.0:assertion"
	nsSAMLProtocol = "urn:oasis:names:tc:SAML:2.0:protocol"
	algExcC14N     = "http://www.w3.org/2001/10/xml-exc-c14n#"
	algEnveloped   = nsDSig + "enveloped-signature"
	algRSASHA256   = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	algRSASHA1     = nsDSig + "rsa-sha1"
	algSHA256      = "http://www.w3.org/2001/04/xmlenc#sha256"
	algSHA1        = nsDSig + "sha1"
)

var errXMLSignature = errors.New("xml signature does not verify")

// xmlNode is an element of a parsed document, with names as written
// (Space is the prefix) and its namespace declarations apart.
type xmlNode struct {
	name     xml.Name
	attrs    []xml.Attr
	decls    map[string]string // prefix ("" for the default) → URI
	children []any             // *xmlNode or string
	parent   *xmlNode
}

// maxXMLDepth bounds how deep parseXML nests: AssumeRoleWithSAML takes
// documents from unsigned requests, and canonicalization recurses. SAML
// responses nest a dozen levels.
const maxXMLDepth = 64

// parseXML reads a document into its root element. Comments, processing
// instructions and directives are dropped, as canonicalization drops them.
func parseXML(doc []byte) (*xmlNode, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	var root, cur *xmlNode
	depth := 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxXMLDepth {
				return nil, errors.New("xml: nested too deep")
			}
			n := &xmlNode{name: t.Name, decls: map[string]string{}, parent: cur}
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "xmlns":
					n.decls[a.Name.Local] = a.Value
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					n.decls[""] = a.Value
				default:
					n.attrs = append(n.attrs, a)
				}
			}
			if cur == nil {
				if root != nil {
					return nil, errors.New("xml: more than one root")
				}
				root = n
			} else {
				cur.children = append(cur.children, n)
			}
			cur = n
		case xml.EndElement:
			if cur == nil || cur.name != t.Name {
				return nil, errors.New("xml: unbalanced element")
			}
			cur, depth = cur.parent, depth-1
		case xml.CharData:
			if cur != nil {
				cur.children = append(cur.children, string(t))
			}
		}
	}
	if root == nil || cur != nil {
		return nil, errors.New("xml: no complete root element")
	}
	return root, nil
}

// lookup is the URI prefix names where n is.
func (n *xmlNode) lookup(prefix string) (string, bool) {
	if prefix == "xml" {
		return "http://www.w3.org/XML/1998/namespace", true
	}
	for e := n; e != nil; e = e.parent {
		if uri, ok := e.decls[prefix]; ok {
			return uri, true
		}
	}
	return "", prefix == ""
}

// is reports whether n is the element local in namespace uri.
func (n *xmlNode) is(uri, local string) bool {
	got, _ := n.lookup(n.name.Space)
	return n.name.Local == local && got == uri
}

// child is the first child element local in namespace uri, or nil.
func (n *xmlNode) child(uri, local string) *xmlNode {
	for _, c := range n.children {
		if e, ok := c.(*xmlNode); ok && e.is(uri, local) {
			return e
		}
	}
	return nil
}

func (n *xmlNode) childrenNamed(uri, local string) []*xmlNode {
	var out []*xmlNode
	for _, c := range n.children {
		if e, ok := c.(*xmlNode); ok && e.is(uri, local) {
			out = append(out, e)
		}
	}
	return out
}

func (n *xmlNode) attr(local string) string {
	for _, a := range n.attrs {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// text is the element's character data, trimmed.
func (n *xmlNode) text() string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	for _, c := range n.children {
		if s, ok := c.(string); ok {
			b.WriteString(s)
		}
	}
	return strings.TrimSpace(b.String())
}

func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// excC14N writes the exclusive canonical form of n, leaving out the
// element skip (the enveloped signature). rendered is what the output
// ancestors declared; inclusive are the InclusiveNamespaces prefixes.
func excC14N(b *bytes.Buffer, n *xmlNode, rendered map[string]string, inclusive []string, skip *xmlNode) {
	used := []string{n.name.Space}
	for _, a := range n.attrs {
		if a.Name.Space != "" && a.Name.Space != "xml" {
			used = append(used, a.Name.Space)
		}
	}
	for _, p := range inclusive {
		if p == "#default" {
			p = ""
		}
		if _, ok := n.lookup(p); ok {
			used = append(used, p)
		}
	}
	slices.Sort(used)
	used = slices.Compact(used)
	mine := make(map[string]string, len(rendered)+1)
	for k, v := range rendered {
		mine[k] = v
	}
	b.WriteString("<" + qname(n.name))
	for _, p := range used {
		uri, ok := n.lookup(p)
		if have, seen := mine[p]; !ok || (seen && have == uri) || (!seen && p == "" && uri == "") {
			continue
		}
		mine[p] = uri
		if p == "" {
			b.WriteString(` xmlns="` + escapeAttr(uri) + `"`)
		} else {
			b.WriteString(" xmlns:" + p + `="` + escapeAttr(uri) + `"`)
		}
	}
	attrs := slices.Clone(n.attrs)
	slices.SortFunc(attrs, func(x, y xml.Attr) int {
		ux, _ := n.lookup(x.Name.Space)
		uy, _ := n.lookup(y.Name.Space)
		if x.Name.Space == "" {
			ux = ""
		}
		if y.Name.Space == "" {
			uy = ""
		}
		if c := strings.Compare(ux, uy); c != 0 {
			return c
		}
		return strings.Compare(x.Name.Local, y.Name.Local)
	})
	for _, a := range attrs {
		b.WriteString(" " + qname(a.Name) + `="` + escapeAttr(a.Value) + `"`)
	}
	b.WriteString(">")
	for _, c := range n.children {
		switch c := c.(type) {
		case string:
			b.WriteString(escapeText(c))
		case *xmlNode:
			if c != skip {
				excC14N(b, c, mine, inclusive, skip)
			}
		}
	}
	b.WriteString("</" + qname(n.name) + ">")
}

var (
	attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", `"`, "&quot;", "\t", "&#x9;", "\n", "&#xA;", "\r", "&#xD;")
	textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\r", "&#xD;")
)

func escapeAttr(s string) string { return attrEscaper.Replace(s) }
func escapeText(s string) string { return textEscaper.Replace(s) }

// canonical is the exclusive canonical form of n as a document apex.
func canonical(n *xmlNode, inclusive []string, skip *xmlNode) []byte {
	var b bytes.Buffer
	excC14N(&b, n, map[string]string{}, inclusive, skip)
	return b.Bytes()
}

// verifyEnveloped checks the ds:Signature child of signed against certs:
// its reference names signed by ID, the digest of signed (without the
// signature) matches, and one certificate's key made the signature.
func verifyEnveloped(signed *xmlNode, certs []*x509.Certificate) error {
	sig := signed.child(nsDSig, "Signature")
	if sig == nil {
		return errXMLSignature
	}
	info := sig.child(nsDSig, "SignedInfo")
	if info == nil || info.child(nsDSig, "CanonicalizationMethod") == nil ||
		!strings.HasPrefix(info.child(nsDSig, "CanonicalizationMethod").attr("Algorithm"), algExcC14N) {
		return errXMLSignature
	}
	ref := info.child(nsDSig, "Reference")
	if ref == nil || ref.attr("URI") != "#"+signed.attr("ID") || signed.attr("ID") == "" {
		return errXMLSignature
	}
	var inclusive []string
	if transforms := ref.child(nsDSig, "Transforms"); transforms != nil {
		for _, t := range transforms.childrenNamed(nsDSig, "Transform") {
			switch alg := t.attr("Algorithm"); {
			case alg == algEnveloped:
			case strings.HasPrefix(alg, algExcC14N):
				if in := t.child(algExcC14N, "InclusiveNamespaces"); in != nil {
					inclusive = strings.Fields(in.attr("PrefixList"))
				}
			default:
				return errXMLSignature
			}
		}
	}
	digestHash, ok := map[string]crypto.Hash{algSHA256: crypto.SHA256, algSHA1: crypto.SHA1}[ref.child(nsDSig, "DigestMethod").attrOrEmpty("Algorithm")]
	if !ok {
		return errXMLSignature
	}
	want, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(ref.child(nsDSig, "DigestValue").text()), ""))
	if err != nil || !bytes.Equal(digest(digestHash, canonical(signed, inclusive, sig)), want) {
		return errXMLSignature
	}
	sigHash, ok := map[string]crypto.Hash{algRSASHA256: crypto.SHA256, algRSASHA1: crypto.SHA1}[info.child(nsDSig, "SignatureMethod").attrOrEmpty("Algorithm")]
	if !ok {
		return errXMLSignature
	}
	value, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(sig.child(nsDSig, "SignatureValue").text()), ""))
	if err != nil {
		return errXMLSignature
	}
	sum := digest(sigHash, canonical(info, nil, nil))
	for _, c := range certs {
		if pub, ok := c.PublicKey.(*rsa.PublicKey); ok && rsa.VerifyPKCS1v15(pub, sigHash, sum, value) == nil {
			return nil
		}
	}
	return errXMLSignature
}

func (n *xmlNode) attrOrEmpty(local string) string {
	if n == nil {
		return ""
	}
	return n.attr(local)
}

func digest(h crypto.Hash, data []byte) []byte {
	if h == crypto.SHA1 {
		sum := sha1.Sum(data)
		return sum[:]
	}
	sum := sha256.Sum256(data)
	return sum[:]
}
