package hotmart

// Unexported pieces that the black-box tests of the purchase decoder reach.
var (
	UnmarshalPurchase          = unmarshalPurchase
	UnmarshalPurchaseReference = unmarshalPurchaseReference
	DecodeErrorFor             = decodeError
)

// ValidJSON is the jsonReader's verdict on b as a whole JSON text.
func ValidJSON(b []byte) bool {
	var r jsonReader
	return r.valid(b)
}

// ReadJSONString decodes b, which must be one JSON string with optional
// whitespace around it, with the jsonReader.
func ReadJSONString(b []byte) (string, bool) {
	r := jsonReader{b: b}
	if !r.atValue() || b[r.i] != '"' {
		return "", false
	}
	start, end, plain := r.scanString()
	if r.failed {
		return "", false
	}
	r.ws()
	if r.i != len(b) {
		return "", false
	}
	return r.stringAt(start, end, plain), true
}
