package codec

import (
	"encoding/base64"
	"fmt"
)

// b64decode decodes base64 in either alphabet (+/ or -_), ignoring ASCII
// whitespace; the trailing '=' padding may be left out.
func b64decode(text string) ([]byte, error) {
	clean := make([]byte, 0, len(text))
	pad := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			continue
		case c == '=':
			pad++
			if pad > 2 {
				return nil, fmt.Errorf("too much '=' padding at byte %d", i+1)
			}
			continue
		case c == '-':
			c = '+'
		case c == '_':
			c = '/'
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/':
		default:
			return nil, fmt.Errorf("invalid base64 character %s at byte %d", quoteByte(c), i+1)
		}
		if pad > 0 {
			return nil, fmt.Errorf("base64 data after '=' padding at byte %d", i+1)
		}
		clean = append(clean, c)
	}
	if len(clean)%4 == 1 {
		return nil, fmt.Errorf("invalid base64 length: %d digits leave a single digit over", len(clean))
	}
	if pad > 0 && (len(clean)+pad)%4 != 0 {
		return nil, fmt.Errorf("incorrect '=' padding for %d digits", len(clean))
	}
	return base64.RawStdEncoding.DecodeString(string(clean))
}

func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return fmt.Sprintf("'%c'", c)
	}
	return fmt.Sprintf("0x%02x", c)
}
